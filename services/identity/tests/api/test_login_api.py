"""POST /auth/token's password grant: staff by email, subscribers by code, PPPoE username or
phone; every refusal the same 401; repeated failures lock (429, Retry-After) for existing and
missing names alike; identity.login.failed / identity.login.locked in the outbox."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import jwt
import pytest

from isp_identity.app import create_identity_app
from isp_identity.domain.throttle import aggregate_id, name_key

if TYPE_CHECKING:
    from conftest import LoginWorld

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
async def frozen_world(world: LoginWorld) -> AsyncIterator[LoginWorld]:
    """The same tenant on an app whose clock stands still: a lock, once taken, holds for the
    whole test, however slowly the machine runs it."""
    at = datetime.now(UTC)
    frozen = dataclasses.replace(world.runtime, clock=lambda: at)
    tenant = type(world.tenant)(frozen, create_identity_app(frozen), id=world.tenant.id)
    yield type(world)(tenant)
    await tenant.aclose()


def claims_of(access_token: str) -> dict[str, Any]:
    return dict(jwt.decode(access_token, options={"verify_signature": False}))


async def test_a_staff_user_logs_in_with_their_email_in_any_case(world: LoginWorld) -> None:
    user = await world.staff(roles=("support", "viewer"))
    answer = await world.login(user.email.upper())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert (body["token_type"], body["expires_in"]) == ("bearer", 900)
    assert answer.headers["cache-control"] == "no-store"
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "RS256" and header["kid"]
    claims = claims_of(body["access_token"])
    assert claims["sub"] == str(user.id)
    assert claims["tenant_id"] == str(world.tenant.id)
    assert claims["roles"] == ["support", "viewer"]
    assert claims["exp"] - claims["iat"] == 900
    assert "customer_id" not in claims and claims["sid"] and claims["jti"]
    me = await world.tenant.anonymous_client(
        {"Authorization": f"Bearer {body['access_token']}"}
    ).get("/auth/me")
    assert me.status_code == 200, me.text
    assert me.json()["data"]["email"] == user.email
    assert me.json()["data"]["kind"] == "user"


async def test_a_subscriber_logs_in_with_code_pppoe_name_or_phone(world: LoginWorld) -> None:
    account = await world.subscriber(code="CUST-0042", pppoe="budi@net", phone="+628123456789")
    for name in ("cust-0042", "BUDI@net", "+628123456789"):
        answer = await world.login(name)
        assert answer.status_code == 200, (name, answer.text)
        claims = claims_of(answer.json()["access_token"])
        assert claims["roles"] == ["customer"]
        assert claims["customer_id"] == claims["sub"] == str(account.customer_id)


async def test_a_name_two_subscribers_share_logs_nobody_in(world: LoginWorld) -> None:
    await world.subscriber(phone="+62811000111")
    await world.subscriber(phone="+62811000111")
    answer = await world.login("+62811000111")
    assert answer.status_code == 401, answer.text


async def test_every_refusal_tells_the_same(world: LoginWorld) -> None:
    user = await world.staff()
    disabled = await world.staff(status="disabled")
    closed = await world.subscriber(code="off-1", enabled=False)
    answers = [
        await world.login(user.email, "a wrong password entirely"),
        await world.login("nobody@example.com"),
        await world.login(disabled.email),
        await world.login(closed.customer_code),
        await world.login(user.email, "x"),  # wrong, and shorter than any password
    ]
    unknown_tenant = await world.tenant.anonymous_client().post(
        "/auth/token",
        data={
            "grant_type": "password",
            "username": user.email,
            "password": PASSWORD,
            "tenant": f"no-such-{uuid.uuid4().hex[:6]}",
        },
    )
    answers.append(unknown_tenant)
    bodies = {(a.status_code, a.text) for a in answers}
    assert len(bodies) == 1, bodies
    status, text = bodies.pop()
    assert status == 401
    assert "invalid credentials" in text


async def test_the_tenant_may_come_as_client_id(world: LoginWorld) -> None:
    user = await world.staff()
    answer = await world.tenant.anonymous_client().post(
        "/auth/token",
        data={
            "grant_type": "password",
            "username": user.email,
            "password": PASSWORD,
            "client_id": world.slug,
        },
    )
    assert answer.status_code == 200, answer.text


async def test_a_bad_grant_or_missing_field_is_a_validation_error(world: LoginWorld) -> None:
    client = world.tenant.anonymous_client()
    odd = await client.post("/auth/token", data={"grant_type": "client_credentials"})
    assert odd.status_code == 422 and odd.json()["error"]["code"] == "VALIDATION_ERROR"
    missing = await client.post("/auth/token", data={"grant_type": "password", "username": "a"})
    assert missing.status_code == 422
    assert missing.json()["error"]["details"]["fields"][0]["field"] == "password"


async def _fail_until_locked(world: LoginWorld, name: str, source: str) -> list[int]:
    statuses: list[int] = []
    for _ in range(8):
        answer = await world.login(
            name, "a wrong password entirely", headers={"X-Forwarded-For": source}
        )
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            assert int(answer.headers["retry-after"]) >= 1
            assert answer.json()["error"]["code"] == "RATE_LIMITED"
            assert "password" not in answer.text
            break
    return statuses


async def test_repeated_failures_lock_an_existing_and_a_missing_name_alike(
    frozen_world: LoginWorld, outbox_events: Events
) -> None:
    world = frozen_world
    user = await world.staff()
    existing = await _fail_until_locked(world, user.email, "198.51.100.7")
    missing = await _fail_until_locked(world, "ghost@example.com", "198.51.100.8")
    # The clock stands still: the fifth failure locks, the sixth attempt is refused.
    assert existing == missing == [401] * 5 + [429], (existing, missing)
    # Locked, even the right password is refused until the lock ends.
    refused = await world.login(user.email, headers={"X-Forwarded-For": "198.51.100.9"})
    assert refused.status_code == 429
    for name in (user.email, "ghost@example.com"):
        types = [e["type"] for e in await outbox_events(aggregate_id(name_key(name)))]
        assert types.count("identity.login.failed") >= 5
        assert "identity.login.locked" in types
    events = await outbox_events(aggregate_id(name_key(user.email)))
    failed = [e for e in events if e["type"] == "identity.login.failed"]
    assert failed[0]["data"]["subject_id"] == str(user.id)
    assert PASSWORD not in str(events) and "a wrong password entirely" not in str(events)


async def test_a_source_address_is_locked_across_names(frozen_world: LoginWorld) -> None:
    world = frozen_world
    statuses: list[int] = []
    for attempt in range(16):
        answer = await world.login(
            f"guess{attempt}@example.com",
            "nope nope nope",
            headers={"X-Forwarded-For": "203.0.113.5"},
        )
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            break
    assert statuses == [401] * 5 + [429], statuses
    user = await world.staff()
    other_source = await world.login(user.email, headers={"X-Forwarded-For": "203.0.113.6"})
    assert other_source.status_code == 200


async def test_a_success_clears_the_name_s_failures(world: LoginWorld) -> None:
    user = await world.staff()
    for _ in range(4):
        answer = await world.login(
            user.email, "not it at all, no", headers={"X-Forwarded-For": "192.0.2.1"}
        )
        assert answer.status_code == 401
    assert (
        await world.login(user.email, headers={"X-Forwarded-For": "192.0.2.2"})
    ).status_code == 200
    for _ in range(4):
        answer = await world.login(
            user.email, "not it at all, no", headers={"X-Forwarded-For": "192.0.2.3"}
        )
        assert answer.status_code == 401


async def test_a_nul_character_in_the_form_is_a_validation_error(world: LoginWorld) -> None:
    answer = await world.login("someone\x00@example.com")
    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["fields"][0]["field"] == "username"
