"""Logging in through the gateway, with the whole platform up: the platform operator creates a
tenant in identity; its admin logs in (form POST /api/v1/auth/token) and the RS256 token works on
the other services; a subscriber with a portal login sees their own invoices and not another
customer's; wrong passwords lock the name (429 with Retry-After), and a name no account has gets
exactly the same answers; identity.login.failed and identity.login.locked go over the broker,
never carrying the password.
"""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest

from isp_cli import demo_logins

PLAN = {
    "name": "Login 20M",
    "bandwidth_download": 20_000,
    "bandwidth_upload": 10_000,
    "monthly_price": "200000.00",
    # queues named by the login: the simulated router is shared with the other tests' tenants
    "advanced": {"queue_name_template": "{pppoe_username}"},
}
LOCK_AFTER = 5  # failures in a row before a name (or address) is locked (docs/identity.md)


async def data(answer: httpx.Response, status: int = 200) -> Any:
    assert answer.status_code == status, (
        f"{answer.request.method} {answer.request.url}: {answer.status_code} {answer.text[:800]}"
    )
    return answer.json()["data"]


def bearer_client(platform: Any, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=f"{platform.gateway_url}/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


@dataclass
class IdentityTenant:
    id: UUID
    slug: str
    admin_email: str
    admin_password: str
    admin_id: str


async def identity_tenant(platform: Any, tag: str, tenant: UUID | None = None) -> IdentityTenant:
    """A tenant made in identity by the operator, with its first admin's password."""
    tenant = tenant or uuid.uuid4()
    slug, email, password = f"e2e-{tag}", f"admin@{tag}.e2e.test", f"pw-{uuid.uuid4().hex}"
    async with platform.operator_client() as operator:
        made = await data(
            await operator.post(
                "/tenants",
                json={
                    "id": str(tenant),
                    "slug": slug,
                    "name": f"E2E ISP {tag}",
                    "admin_email": email,
                    "admin_full_name": "E2E Admin",
                    "admin_password": password,
                },
            ),
            201,
        )
    assert made["id"] == str(tenant) and made["slug"] == slug
    assert password not in json.dumps(made)
    return IdentityTenant(tenant, slug, email, password, made["admin"]["id"])


async def token_request(
    platform: Any, tenant: str, username: str, password: str, **extra: str
) -> httpx.Response:
    form = {"grant_type": "password", "tenant": tenant, "username": username,
            "password": password, **extra}  # fmt: skip
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        return await http.post("/api/v1/auth/token", data=form)


def access_token(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.text[:800]
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["token_type"].lower() == "bearer"
    assert body["expires_in"] > 0 and body["refresh_token"]
    return str(body["access_token"])


def claims_of(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims of a JWT, unverified (the services verify it)."""
    head, payload, _ = token.split(".")

    def part(text: str) -> dict[str, Any]:
        return dict(json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))))

    return part(head), part(payload)


async def _customer(admin: httpx.AsyncClient, plan: str, login: str, phone: str) -> Any:
    body = {
        "full_name": f"Login {login}",
        "phone": phone,
        "address": "Jl. Masuk 1",
        "service_plan_id": plan,
        "pppoe_username": login,
        "pppoe_password": f"{login}-pw",
    }
    customer = await data(await admin.post("/customers", json=body), 201)
    await data(await admin.post(f"/customers/{customer['id']}/activate", json={}))
    return customer


async def test_a_staff_login_works_on_every_service(platform: Any) -> None:
    made = await identity_tenant(platform, uuid.uuid4().hex[:8])
    # The email is matched case-insensitively.
    answer = await token_request(platform, made.slug, made.admin_email.upper(), made.admin_password)
    token = access_token(answer)
    header, claims = claims_of(token)
    assert header["alg"] == "RS256" and header["kid"]
    assert claims["tenant_id"] == str(made.id) and claims["sub"] == made.admin_id
    assert claims["roles"] == ["admin"] and claims["sid"]
    assert claims["exp"] - claims["iat"] <= 900
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        jwks = (await http.get("/.well-known/jwks.json")).json()
        discovery = (await http.get("/.well-known/openid-configuration")).json()
    # Discovery names the gateway, the URL clients use (isp up sets ISP_IDENTITY_PUBLIC_URL).
    assert discovery["token_endpoint"] == f"{platform.gateway_url}/api/v1/auth/token"
    assert discovery["jwks_uri"] == f"{platform.gateway_url}/.well-known/jwks.json"
    assert discovery["issuer"] == claims["iss"]
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}
    assert all("d" not in key for key in jwks["keys"]), "a private part in the JWKS"
    async with bearer_client(platform, token) as admin:
        me = await data(await admin.get("/auth/me"))
        assert (me["tenant_id"], me["kind"], me["email"]) == (
            str(made.id),
            "user",
            made.admin_email,
        )
        assert await data(await admin.get("/customers")) == []
        plan = await data(await admin.post("/service-plans", json=PLAN), 201)
        assert (await data(await admin.get(f"/service-plans/{plan['id']}")))["id"] == plan["id"]
        assert await data(await admin.get("/tickets")) == []
        users = await data(await admin.get("/users"))
        assert [u["email"] for u in users] == [made.admin_email]
    # The same token's session, ended, is refused by identity's own endpoints at once.
    async with bearer_client(platform, token) as admin:
        refresh = answer.json()["refresh_token"]
        async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
            ended = await http.post("/api/v1/auth/logout", json={"refresh_token": refresh})
        assert ended.status_code in (200, 204), ended.text
        assert (await admin.get("/auth/me")).status_code == 401


async def test_a_subscriber_sees_their_own_invoices_and_not_anothers(
    platform: Any, wait_for: Any
) -> None:
    tag = uuid.uuid4().hex[:8]
    made = await identity_tenant(platform, tag)
    async with platform.client(made.id, "admin") as admin:
        plan = await data(await admin.post("/service-plans", json=PLAN), 201)
        mine = await _customer(admin, plan["id"], f"me-{tag}", "+6281200007771")
        other = await _customer(admin, plan["id"], f"other-{tag}", "+6281200007772")

        async def invoiced(customer: str) -> Any:
            found = await data(await admin.get("/invoices", params={"customer_id": customer}))
            return found[0] if found else None

        await wait_for(lambda: invoiced(mine["id"]), what="my first invoice")
        others_invoice = await wait_for(lambda: invoiced(other["id"]), what="the other's invoice")
        password = f"portal-{uuid.uuid4().hex}"

        async def portal_enabled() -> Any:
            answer = await admin.put(
                f"/customers/{mine['id']}/portal-account", json={"password": password}
            )
            if answer.status_code == 404:  # identity has not heard of the customer yet
                return None
            return await data(answer)

        account = await wait_for(portal_enabled, what="identity to know the customer")
        assert account["enabled"] is True and password not in json.dumps(account)
    token = access_token(await token_request(platform, made.slug, f"me-{tag}", password))
    _, claims = claims_of(token)
    assert claims["roles"] == ["customer"] and claims["customer_id"] == mine["id"]
    async with bearer_client(platform, token) as subscriber:
        own = await data(await subscriber.get(f"/customers/{mine['id']}/invoices"))
        assert own and all(i["customer_id"] == mine["id"] for i in own)
        assert (await data(await subscriber.get(f"/customers/{mine['id']}")))["id"] == mine["id"]
        for path in (
            f"/invoices/{others_invoice['id']}",
            f"/customers/{other['id']}/invoices",
            f"/customers/{other['id']}",
        ):
            answer = await subscriber.get(path)
            assert answer.status_code == 404, f"GET {path}: {answer.status_code} {answer.text}"
            assert answer.json()["error"]["code"] == "NOT_FOUND"
        # a list shows a subscriber their own record only
        listed = await data(await subscriber.get("/customers"))
        assert [c["id"] for c in listed] == [mine["id"]]
        assert [i["customer_id"] for i in await data(await subscriber.get("/invoices"))] == [
            mine["id"]
        ] * len(own)


def _answers(responses: list[httpx.Response]) -> list[tuple[int, str, str]]:
    return [
        (r.status_code, r.json()["error"]["code"], r.json()["error"]["message"]) for r in responses
    ]


@pytest.fixture()
async def lockable(platform: Any) -> tuple[IdentityTenant, IdentityTenant]:
    """Two tenants of their own: every e2e request comes from 127.0.0.1, whose address key
    locks too, and each tenant has its own throttle."""
    tag = uuid.uuid4().hex[:8]
    return (
        await identity_tenant(platform, f"{tag}-a"),
        await identity_tenant(platform, f"{tag}-b"),
    )


async def test_wrong_passwords_lock_and_a_missing_account_answers_the_same(
    platform: Any, lockable: tuple[IdentityTenant, IdentityTenant], event_tap: Any, wait_for: Any
) -> None:
    existing, empty = lockable
    wrong = f"wrong-{uuid.uuid4().hex}"
    tries = LOCK_AFTER + 3
    real = [
        await token_request(platform, existing.slug, existing.admin_email, wrong)
        for _ in range(tries)
    ]
    missing = [
        await token_request(platform, empty.slug, f"nobody@{empty.slug}.test", wrong)
        for _ in range(tries)
    ]
    for answers in (real, missing):
        statuses = [a.status_code for a in answers]
        # The first lock lasts a second: on a slow run it may end before the next try, which
        # then fails again and locks longer. So: five refusals, then locked, and whatever
        # follows is a refusal or a lock, never anything else.
        assert statuses[:LOCK_AFTER] == [401] * LOCK_AFTER, statuses
        assert 429 in statuses[LOCK_AFTER:] and set(statuses) <= {401, 429}, statuses
        for locked in (a for a in answers if a.status_code == 429):
            assert int(locked.headers["retry-after"]) >= 1
            assert locked.json()["error"]["code"] == "RATE_LIMITED"
    assert real[0].json()["error"]["message"] == "invalid credentials"
    # No answer tells an account that exists from one that does not.
    assert _answers(real[:LOCK_AFTER]) == _answers(missing[:LOCK_AFTER])

    def of_tenant(kind: str, tenant: UUID) -> list[Any]:
        return [
            m
            for m in event_tap.messages
            if m.routing_key == kind and json.loads(m.body).get("tenant_id") == str(tenant)
        ]

    async def seen() -> bool:
        return all(
            len(of_tenant("identity.login.failed", t.id)) >= LOCK_AFTER
            and of_tenant("identity.login.locked", t.id)
            for t in (existing, empty)
        )

    await wait_for(seen, what="identity.login.failed and identity.login.locked on the bus")
    for message in event_tap.messages:
        if (message.routing_key or "").startswith("identity."):
            assert wrong.encode() not in message.body, "a password in an event"
            assert existing.admin_password.encode() not in message.body
    logged = "\n".join(platform.output)
    assert wrong not in logged and existing.admin_password not in logged, "a password logged"


async def test_one_tenants_credentials_do_not_log_in_to_another(platform: Any) -> None:
    tag = uuid.uuid4().hex[:8]
    a = await identity_tenant(platform, f"{tag}-a")
    b = await identity_tenant(platform, f"{tag}-b")
    refused = await token_request(platform, b.slug, a.admin_email, a.admin_password)
    assert refused.status_code == 401, refused.text
    assert refused.json()["error"]["message"] == "invalid credentials"
    # and a tenant no one has: the same answer
    nowhere = await token_request(platform, f"none-{tag}", a.admin_email, a.admin_password)
    assert _answers([nowhere]) == _answers([refused])
    # while A's own login works
    access_token(await token_request(platform, a.slug, a.admin_email, a.admin_password))


async def test_the_demo_logins_isp_up_printed_work_and_a_second_run_keeps_them(
    platform: Any,
) -> None:
    kept = demo_logins.stored_passwords(platform.state_dir)
    printed = [
        line for line in platform.output if " login " in f" {line} " and "tenant demo" in line
    ]
    assert any(demo_logins.ADMIN_EMAIL in line and kept["admin"] in line for line in printed)
    assert any(
        demo_logins.SUBSCRIBER_LOGIN in line and kept["subscriber"] in line for line in printed
    )
    for username, password, roles in (
        (demo_logins.ADMIN_EMAIL, kept["admin"], ["admin"]),
        (demo_logins.SUBSCRIBER_LOGIN, kept["subscriber"], ["customer"]),
    ):
        token = access_token(await token_request(platform, "demo", username, password))
        assert claims_of(token)[1]["roles"] == roles
    # What a second `make up` does: the tenant is there already, the same passwords still work.
    said: list[str] = []
    demo_tenant = UUID((platform.state_dir / "demo-tenant").read_text().strip())
    again = await asyncio.to_thread(
        demo_logins.ensure,
        {name: platform.service_url(name) for name in ("identity", "customers")},
        platform.settings,
        demo_tenant,
        (platform.state_dir / "admin-token").read_text().strip(),
        platform.state_dir,
        said.append,
        with_subscriber=True,
    )
    assert [(login.username, login.works) for login in again] == [
        (demo_logins.ADMIN_EMAIL, True),
        (demo_logins.SUBSCRIBER_LOGIN, True),
    ], said
    assert any("in identity already" in line for line in said), said
    assert demo_logins.stored_passwords(platform.state_dir) == kept


async def test_a_refresh_through_the_gateway_rotates_and_a_reused_one_ends_the_session(
    platform: Any, event_tap: Any, wait_for: Any
) -> None:
    made = await identity_tenant(platform, uuid.uuid4().hex[:8])
    first = await token_request(platform, made.slug, made.admin_email, made.admin_password)
    access_token(first)
    old = first.json()["refresh_token"]

    async def refresh(token: str) -> httpx.Response:
        async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
            form = {"grant_type": "refresh_token", "refresh_token": token}
            return await http.post("/api/v1/auth/token", data=form)

    second = await refresh(old)
    fresh = access_token(second)
    new = second.json()["refresh_token"]
    assert new != old
    async with bearer_client(platform, fresh) as admin:
        assert await data(await admin.get("/customers")) == []
    # The used token again: someone else holds a copy, so the whole session ends.
    reused = await refresh(old)
    assert reused.status_code == 401 and reused.json()["error"]["code"] == "UNAUTHORIZED"
    assert (await refresh(new)).status_code == 401, "the family's newest token lives on"

    async def revoked() -> bool:
        return any(
            m.routing_key == "identity.session.revoked"
            and json.loads(m.body)["tenant_id"] == str(made.id)
            and json.loads(m.body)["data"]["reason"] == "reuse_detected"
            for m in event_tap.messages
        )

    await wait_for(revoked, what="identity.session.revoked (reuse_detected) on the bus")
    for message in event_tap.messages:
        assert old.encode() not in message.body and new.encode() not in message.body
