"""/tenants: the platform operator creates tenants with their first admin; a tenant's admin
reads and edits its own; secrets are answered once and never again."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Tenant

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
PASSWORD = "correct horse battery staple"


def tenant_body(**overrides: Any) -> dict[str, Any]:
    slug = f"isp-{uuid.uuid4().hex[:12]}"
    return {
        "slug": slug,
        "name": "Net One",
        "timezone": "Asia/Jakarta",
        "currency": "IDR",
        "admin_email": f"Admin@{slug}.example",
        "admin_full_name": "Ana Admin",
        **overrides,
    }


async def test_the_operator_creates_a_tenant_whose_admin_gets_a_one_time_reset_token(
    tenant: Tenant, outbox_events: Events
) -> None:
    body = tenant_body()
    answer = await tenant.client("platform_admin").post("/tenants", json=body)
    assert answer.status_code == 201, answer.text
    created = answer.json()["data"]
    assert (created["slug"], created["status"], created["version"]) == (body["slug"], "active", 1)
    admin = created["admin"]
    assert (admin["email"], admin["roles"], admin["has_password"]) == (
        body["admin_email"].lower(),
        ["admin"],
        False,
    )
    reset = admin["password_reset"]
    token_id, _, secret = reset["reset_token"].partition(".")
    assert uuid.UUID(token_id) and len(secret) >= 40
    tenant_id = uuid.UUID(created["id"])
    types = [e["type"] for e in await outbox_events(tenant_id)]
    assert types == ["identity.tenant.created"]
    user_events = await outbox_events(uuid.UUID(admin["id"]))
    assert [e["type"] for e in user_events] == [
        "identity.user.created",
        "identity.user.password_reset_requested",
    ]
    assert all(e["tenant_id"] == str(tenant_id) for e in user_events)
    assert secret not in str(user_events)


async def test_with_an_admin_password_no_token_is_answered_and_the_password_never_is(
    tenant: Tenant, outbox_events: Events
) -> None:
    answer = await tenant.client("platform_admin").post(
        "/tenants", json=tenant_body(admin_password=PASSWORD)
    )
    assert answer.status_code == 201, answer.text
    admin = answer.json()["data"]["admin"]
    assert (admin["has_password"], admin["password_reset"]) == (True, None)
    assert PASSWORD not in answer.text and "argon2" not in answer.text
    events = await outbox_events(uuid.UUID(admin["id"]))
    assert [e["type"] for e in events][-1] == "identity.user.password_changed"
    assert PASSWORD not in str(events) and "argon2" not in str(events)


async def test_a_weak_admin_password_is_refused_naming_the_field_not_the_value(
    tenant: Tenant,
) -> None:
    for weak in ("qz7-tiny", "password123", "Admin@x-isp.example"):
        body = tenant_body(admin_password=weak)
        body["admin_email"] = "admin@x-isp.example"
        answer = await tenant.client("platform_admin").post("/tenants", json=body)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["details"]["fields"][0]["field"] == "admin_password"
        assert weak not in answer.text


async def test_a_taken_slug_or_id_is_a_conflict(tenant: Tenant) -> None:
    operator = tenant.client("platform_admin")
    first = tenant_body()
    created = (await operator.post("/tenants", json=first)).json()["data"]
    again = await operator.post("/tenants", json=tenant_body(slug=first["slug"]))
    assert again.status_code == 409, again.text
    assert again.json()["error"]["details"]["fields"][0]["field"] == "slug"
    same_id = await operator.post("/tenants", json=tenant_body(id=created["id"]))
    assert same_id.status_code == 409, same_id.text
    assert same_id.json()["error"]["details"]["fields"][0]["field"] == "id"


async def test_an_operator_adopts_a_tenant_known_so_far_only_by_its_id(tenant: Tenant) -> None:
    answer = await tenant.client("platform_admin").post(
        "/tenants", json=tenant_body(id=str(tenant.id))
    )
    assert answer.status_code == 201, answer.text
    own = await tenant.client("admin").get(f"/tenants/{tenant.id}")
    assert own.status_code == 200, own.text
    assert own.json()["data"]["id"] == str(tenant.id)


async def test_only_the_operator_creates_tenants(tenant: Tenant) -> None:
    for roles in (("admin",), ("viewer",), ("customer",)):
        client = tenant.client(*roles, customer_id=uuid.uuid4() if "customer" in roles else None)
        assert (await client.post("/tenants", json=tenant_body())).status_code == 403
    assert (await tenant.anonymous_client().post("/tenants", json=tenant_body())).status_code == 401


async def test_invalid_tenants_are_refused(tenant: Tenant) -> None:
    operator = tenant.client("platform_admin")
    for field, value in (
        ("slug", "Not A Slug"),
        ("slug", "-edge-"),
        ("timezone", "Mars/Olympus"),
        ("currency", "rupiah"),
        ("admin_email", "nobody"),
        ("name", ""),
        ("id", "00000000-0000-0000-0000-000000000000"),
        ("unexpected", 1),
    ):
        answer = await operator.post("/tenants", json=tenant_body(**{field: value}))
        assert answer.status_code == 422, (field, answer.text)


async def test_an_admin_reads_and_edits_its_own_tenant_and_the_operator_any(
    tenant: Tenant, outbox_events: Events
) -> None:
    operator = tenant.client("platform_admin")
    await operator.post("/tenants", json=tenant_body(id=str(tenant.id)))
    admin = tenant.client("admin")
    patched = await admin.patch(
        f"/tenants/{tenant.id}", json={"name": "Net One Plus", "timezone": "Asia/Makassar"}
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["data"]["name"], patched.json()["data"]["version"]) == (
        "Net One Plus",
        2,
    )
    unchanged = await admin.patch(f"/tenants/{tenant.id}", json={"name": "Net One Plus"})
    assert unchanged.json()["data"]["version"] == 2
    for operator_field in ({"slug": "taken-over"}, {"status": "disabled"}):
        refused = await admin.patch(f"/tenants/{tenant.id}", json=operator_field)
        assert refused.status_code == 403, refused.text
    disabled = await operator.patch(f"/tenants/{tenant.id}", json={"status": "disabled"})
    assert disabled.json()["data"]["status"] == "disabled"
    types = [e["type"] for e in await outbox_events(tenant.id)]
    assert types == [
        "identity.tenant.created",
        "identity.tenant.updated",
        "identity.tenant.updated",
    ]
    assert (await operator.get(f"/tenants/{uuid.uuid4()}")).status_code == 404


async def test_staff_other_than_admins_do_not_manage_the_tenant(tenant: Tenant) -> None:
    for role in ("finance", "support", "technician", "viewer"):
        client = tenant.client(role)
        assert (await client.get(f"/tenants/{tenant.id}")).status_code == 403
        assert (await client.patch(f"/tenants/{tenant.id}", json={"name": "x"})).status_code == 403
