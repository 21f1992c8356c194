"""A staff user's TOTP: set up (the secret shown once), confirmed by a code, then asked for at
login after the password; turned off with the password."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pyotp
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_identity.adapters.tables import users

if TYPE_CHECKING:
    from conftest import LoginWorld

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
PASSWORD = "correct horse battery staple 42"


async def bearer(world: LoginWorld, email: str, **extra: str) -> Any:
    answer = await world.login(email, **extra)
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    return world.tenant.anonymous_client({"Authorization": f"Bearer {token}"})


def a_wrong_code(secret: str) -> str:
    valid = {pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


async def test_totp_set_up_confirm_login_and_turn_off(
    world: LoginWorld, outbox_events: Events, owner_engine: AsyncEngine
) -> None:
    user = await world.staff(roles=("support",))
    client = await bearer(world, user.email)
    setup = await client.post("/auth/totp")
    assert setup.status_code == 200, setup.text
    assert setup.headers["cache-control"] == "no-store"
    secret = setup.json()["data"]["secret"]
    assert setup.json()["data"]["otpauth_uri"].startswith("otpauth://totp/")
    async with owner_engine.connect() as conn:
        stored = (
            await conn.execute(select(users.c.totp_secret_encrypted).where(users.c.id == user.id))
        ).scalar()
    assert stored and secret not in stored  # encrypted at rest
    # Not on until confirmed: a login still needs no code.
    assert (await world.login(user.email)).status_code == 200
    wrong = await client.post("/auth/totp/confirm", json={"code": a_wrong_code(secret)})
    assert wrong.status_code == 422
    confirming = pyotp.TOTP(secret).now()
    confirmed = await client.post("/auth/totp/confirm", json={"code": confirming})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["data"] == {"totp_enabled": True}
    again = await client.post("/auth/totp")
    assert again.status_code == 409

    without = await world.login(user.email)
    assert without.status_code == 401
    assert without.json()["error"]["details"] == {"mfa": "totp_required"}
    bad = await world.login(user.email, totp_code=a_wrong_code(secret))
    assert bad.status_code == 401
    wrong_password = await world.login(
        user.email, "not the password here", totp_code=pyotp.TOTP(secret).now()
    )
    assert wrong_password.status_code == 401
    assert wrong_password.json()["error"]["details"] == {}
    # The confirming code is spent; the next step's code is still within the window.
    spent = await world.login(user.email, totp_code=confirming)
    assert spent.status_code == 401 and spent.json()["error"]["details"] == {"mfa": "totp_invalid"}
    next_code = pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))
    client = await bearer(world, user.email, totp_code=next_code)
    replayed = await world.login(user.email, totp_code=next_code)
    assert replayed.status_code == 401, "a TOTP code logs in once"
    me = await client.get("/auth/me")
    assert me.json()["data"]["totp_enabled"] is True

    refused = await client.request("DELETE", "/auth/totp", json={"password": "not the password"})
    assert refused.status_code == 422
    off = await client.request("DELETE", "/auth/totp", json={"password": PASSWORD})
    assert off.status_code == 200, off.text
    assert (await world.login(user.email)).status_code == 200
    events = await outbox_events(user.id)
    types = [e["type"] for e in events]
    assert "identity.user.totp_enabled" in types and "identity.user.totp_disabled" in types
    assert secret not in str(events)


async def test_totp_is_for_staff(world: LoginWorld) -> None:
    await world.subscriber(code="sub-totp")
    answer = await world.login("sub-totp")
    client = world.tenant.anonymous_client(
        {"Authorization": f"Bearer {answer.json()['access_token']}"}
    )
    assert (await client.post("/auth/totp")).status_code == 403


async def test_the_secret_is_never_kept_for_an_idempotent_replay(
    world: LoginWorld, owner_engine: AsyncEngine
) -> None:
    user = await world.staff(roles=("viewer",))
    client = await bearer(world, user.email)
    answer = await client.post("/auth/totp", headers={"Idempotency-Key": "k-1"})
    assert answer.status_code == 200, answer.text
    secret = answer.json()["data"]["secret"]
    assert "no-store" in answer.headers["cache-control"]
    retry = await client.post("/auth/totp", headers={"Idempotency-Key": "k-1"})
    assert retry.status_code == 409
    assert retry.json()["error"]["code"] == "CONFLICT"
    assert secret not in retry.text
    async with owner_engine.connect() as conn:
        kept = (
            await conn.execute(
                text(
                    "SELECT string_agg(response_body, '') FROM identity.idempotency_keys"
                    " WHERE tenant_id = :tenant"
                ),
                {"tenant": world.tenant.id},
            )
        ).scalar()
    assert kept is not None and secret not in kept
