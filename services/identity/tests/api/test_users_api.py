"""/users: a tenant's admins manage staff accounts and roles; the tenant keeps an active admin;
reset tokens are answered once and only the newest works; no secret is ever answered."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from isp_identity.adapters.tables import one_time_tokens
from isp_identity.domain.opaque_tokens import hash_secret
from isp_identity.domain.refresh import new_family
from isp_identity.domain.sessions import Subject, SubjectKind

if TYPE_CHECKING:
    from conftest import Tenant

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
PASSWORD = "a long and unusual passphrase"


def user_body(**overrides: Any) -> dict[str, Any]:
    return {
        "email": f"Staff.{uuid.uuid4().hex[:8]}@Example.com",
        "full_name": "Budi Support",
        "roles": ["support"],
        **overrides,
    }


async def create(tenant: Tenant, **overrides: Any) -> dict[str, Any]:
    answer = await tenant.client("admin").post("/users", json=user_body(**overrides))
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["data"])


async def test_a_user_without_a_password_gets_a_one_time_reset_token(
    tenant: Tenant, outbox_events: Events
) -> None:
    user = await create(tenant)
    assert user["email"] == user["email"].lower()
    assert (user["has_password"], user["status"], user["roles"]) == (False, "active", ["support"])
    assert user["password_reset"]["reset_token"]
    shown = await tenant.client("admin").get(f"/users/{user['id']}")
    assert "password_reset" not in shown.json()["data"]
    assert user["password_reset"]["reset_token"] not in shown.text
    events = await outbox_events(uuid.UUID(user["id"]))
    assert [e["type"] for e in events] == [
        "identity.user.created",
        "identity.user.password_reset_requested",
    ]


async def test_a_user_with_a_password_has_it_hashed_and_never_shown(
    tenant: Tenant, outbox_events: Events
) -> None:
    user = await create(tenant, password=PASSWORD)
    assert (user["has_password"], user["password_reset"]) == (True, None)
    listed = await tenant.client("admin").get("/users")
    for text in (str(user), listed.text, str(await outbox_events(uuid.UUID(user["id"])))):
        assert PASSWORD not in text and "argon2" not in text


async def test_an_email_is_taken_whatever_its_case(tenant: Tenant) -> None:
    body = user_body()
    assert (await tenant.client("admin").post("/users", json=body)).status_code == 201
    again = await tenant.client("admin").post("/users", json=user_body(email=body["email"].upper()))
    assert again.status_code == 409, again.text
    assert again.json()["error"]["details"]["fields"][0]["field"] == "email"


async def test_the_same_email_in_another_tenant_is_another_user(
    new_tenant: Callable[[], Tenant],
) -> None:
    body = user_body()
    for tenant in (new_tenant(), new_tenant()):
        assert (await tenant.client("admin").post("/users", json=body)).status_code == 201


async def test_invalid_users_are_refused(tenant: Tenant) -> None:
    admin = tenant.client("admin")
    for overrides in (
        {"roles": []},
        {"roles": ["customer"]},
        {"roles": ["platform_admin"]},
        {"email": "not-an-email"},
        {"password": "qz7-tiny"},
        {"password": "1234567890"},
        {"full_name": "line\nbreak"},
        {"extra": True},
    ):
        answer = await admin.post("/users", json=user_body(**overrides))
        assert answer.status_code == 422, (overrides, answer.text)
        assert "qz7-tiny" not in answer.text and "1234567890" not in answer.text


async def test_users_are_listed_oldest_first_a_page_at_a_time(tenant: Tenant) -> None:
    made = [await create(tenant, full_name=f"User {n}") for n in range(3)]
    page = await tenant.client("admin").get("/users", params={"page": 2, "per_page": 2})
    assert page.status_code == 200, page.text
    assert page.json()["meta"] == {"page": 2, "per_page": 2, "total": 3}
    assert [u["id"] for u in page.json()["data"]] == [made[2]["id"]]


async def test_an_admin_changes_names_roles_and_status(
    tenant: Tenant, outbox_events: Events
) -> None:
    await create(tenant, roles=["admin"])
    user = await create(tenant)
    admin = tenant.client("admin")
    patched = await admin.patch(
        f"/users/{user['id']}", json={"roles": ["support", "finance"], "full_name": "Budi S."}
    )
    assert patched.status_code == 200, patched.text
    data = patched.json()["data"]
    assert (data["roles"], data["full_name"], data["version"]) == (
        ["finance", "support"],
        "Budi S.",
        3,
    )
    disabled = await admin.patch(f"/users/{user['id']}", json={"status": "disabled"})
    assert disabled.json()["data"]["status"] == "disabled"
    types = [e["type"] for e in await outbox_events(uuid.UUID(user["id"]))]
    assert types[-2:] == ["identity.user.updated", "identity.user.updated"]
    assert (await admin.patch(f"/users/{uuid.uuid4()}", json={"full_name": "x"})).status_code == 404


async def test_the_last_active_admin_is_neither_demoted_nor_disabled(tenant: Tenant) -> None:
    only = await create(tenant, roles=["admin"])
    admin = tenant.client("admin")
    for change in ({"roles": ["viewer"]}, {"status": "disabled"}):
        refused = await admin.patch(f"/users/{only['id']}", json=change)
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"]["code"] == "INVALID_STATE"
    second = await create(tenant, roles=["admin", "finance"])
    demoted = await admin.patch(f"/users/{only['id']}", json={"roles": ["viewer"]})
    assert demoted.status_code == 200, demoted.text
    refused = await admin.patch(f"/users/{second['id']}", json={"status": "disabled"})
    assert refused.status_code == 409


async def test_two_admins_disabling_each_other_at_once_leave_one_admin(
    new_tenant: Callable[[], Tenant],
) -> None:
    for _ in range(3):
        tenant = new_tenant()
        admins = [await create(tenant, roles=["admin"]) for _ in range(2)]
        answers = await asyncio.gather(
            *(
                tenant.client("admin").patch(f"/users/{u['id']}", json={"status": "disabled"})
                for u in admins
            )
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        listed = (await tenant.client("admin").get("/users")).json()["data"]
        assert [u["status"] for u in listed].count("active") == 1


async def test_only_the_newest_reset_token_is_live(tenant: Tenant) -> None:
    user = await create(tenant)
    admin = tenant.client("admin")
    answers = [await admin.post(f"/users/{user['id']}/reset-password") for _ in range(2)]
    assert all(a.status_code == 200 for a in answers), answers[0].text
    tokens = [user["password_reset"]["reset_token"]] + [
        a.json()["data"]["reset_token"] for a in answers
    ]
    assert len(set(tokens)) == 3
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        rows = (
            await uow.connection.execute(
                select(
                    one_time_tokens.c.id, one_time_tokens.c.secret_hash, one_time_tokens.c.used_at
                ).where(one_time_tokens.c.user_id == uuid.UUID(user["id"]))
            )
        ).all()
    live = {str(row.id) for row in rows if row.used_at is None}
    assert live == {tokens[-1].partition(".")[0]}
    # Only a hash of the secret is stored.
    stored = {row.secret_hash for row in rows}
    assert {hash_secret(t.partition(".")[2]) for t in tokens} == stored
    assert not any(t.partition(".")[2] in stored for t in tokens)
    assert (await admin.post(f"/users/{uuid.uuid4()}/reset-password")).status_code == 404


async def test_only_admins_manage_users(tenant: Tenant) -> None:
    user = await create(tenant)
    for role in ("finance", "support", "technician", "viewer"):
        client = tenant.client(role)
        assert (await client.get("/users")).status_code == 403
        assert (await client.get(f"/users/{user['id']}")).status_code == 403
        assert (await client.post("/users", json=user_body())).status_code == 403
        assert (
            await client.patch(f"/users/{user['id']}", json={"full_name": "x"})
        ).status_code == 403
        assert (await client.post(f"/users/{user['id']}/reset-password")).status_code == 403
    subscriber = tenant.client("customer", customer_id=uuid.uuid4())
    assert (await subscriber.get("/users")).status_code == 403


async def test_disabling_a_user_ends_their_sessions(tenant: Tenant, outbox_events: Events) -> None:
    await create(tenant, roles=["admin"])
    user = await create(tenant, password=PASSWORD)
    subject = Subject(SubjectKind.USER, uuid.UUID(user["id"]))
    families = [new_family(subject, datetime.now(UTC), 30) for _ in range(2)]
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        for family in families:
            await uow.sessions.add_family(family)
        await uow.commit()
    renamed = await tenant.client("admin").patch(f"/users/{user['id']}", json={"full_name": "B"})
    assert renamed.status_code == 200
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        live = [await uow.sessions.family(f.id) for f in families]
    assert all(f is not None and f.revoked_at is None for f in live)
    disabled = await tenant.client("admin").patch(
        f"/users/{user['id']}", json={"status": "disabled"}
    )
    assert disabled.status_code == 200, disabled.text
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        ended = [await uow.sessions.family(f.id) for f in families]
    assert all(f is not None and f.revoked_at is not None for f in ended)
    for family in families:
        assert [e["type"] for e in await outbox_events(family.id)] == ["identity.session.revoked"]


async def test_a_retried_creation_makes_one_user_and_never_repeats_the_reset_token(
    tenant: Tenant,
) -> None:
    admin = tenant.client("admin")
    body, key = user_body(), {"Idempotency-Key": "new-staff-1"}
    first = await admin.post("/users", json=body, headers=key)
    again = await admin.post("/users", json=body, headers=key)
    assert first.status_code == 201, first.text
    assert "no-store" in first.headers["cache-control"]
    assert again.status_code == 409
    assert first.json()["data"]["password_reset"]["reset_token"] not in again.text
    listed = (await admin.get("/users", params={"per_page": 100})).json()["data"]
    assert [u["email"] for u in listed].count(body["email"].lower()) == 1
