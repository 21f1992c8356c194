"""Tenant B's admin finds nothing of tenant A: its tenant, users and portal accounts are
NOT_FOUND (never FORBIDDEN), and nothing of A changes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from isp_common.testing.reordering import customer_history, deliver_all, history_events

from isp_identity.consumers.customers import customers_consumer

if TYPE_CHECKING:
    from conftest import Tenant


async def test_another_tenant_s_admin_gets_not_found_for_everything(
    new_tenant: Callable[[], Tenant],
) -> None:
    a, b = new_tenant(), new_tenant()
    slug = f"isp-{uuid.uuid4().hex[:12]}"
    body = {
        "slug": slug,
        "name": "A",
        "admin_email": f"admin@{slug}.example",
        "admin_full_name": "A",
        "id": str(a.id),
    }
    assert (await a.client("platform_admin").post("/tenants", json=body)).status_code == 201
    user = (
        await a.client("admin").post(
            "/users", json={"email": "s@a.example", "full_name": "S", "roles": ["support"]}
        )
    ).json()["data"]
    customer = uuid.uuid4()
    history = customer_history(
        customer, ["created"], plans=[uuid.uuid4()], activated_on=datetime.now(UTC).date()
    )
    await deliver_all(
        customers_consumer(a.runtime), history_events(a.id, "customers", customer, history), [0]
    )
    intruder = b.client("admin")
    attempts = [
        intruder.get(f"/tenants/{a.id}"),
        intruder.patch(f"/tenants/{a.id}", json={"name": "Taken"}),
        intruder.get(f"/users/{user['id']}"),
        intruder.patch(f"/users/{user['id']}", json={"status": "disabled"}),
        intruder.post(f"/users/{user['id']}/reset-password"),
        intruder.get(f"/customers/{customer}/portal-account"),
        intruder.put(f"/customers/{customer}/portal-account", json={"activation": True}),
        intruder.delete(f"/customers/{customer}/portal-account"),
    ]
    for attempt in attempts:
        answer = await attempt
        assert answer.status_code == 404, (answer.request.url, answer.text)
    assert (await intruder.get("/users")).json()["meta"]["total"] == 0
    owner = a.client("admin")
    assert (await owner.get(f"/tenants/{a.id}")).json()["data"]["name"] == "A"
    assert (await owner.get(f"/users/{user['id']}")).json()["data"]["status"] == "active"
    portal = (await owner.get(f"/customers/{customer}/portal-account")).json()["data"]
    assert portal["enabled"] is False
