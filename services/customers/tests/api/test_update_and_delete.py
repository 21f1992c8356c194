from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]


async def test_patch_changes_only_what_is_sent(
    tenant: Tenant, customer_body: Body, outbox_events: Events
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    created = (await client.post("/customers", json=customer_body(plan.id, city="Bandung"))).json()[
        "data"
    ]
    patched = await client.patch(
        f"/customers/{created['id']}", json={"phone": "+62 811 999 000", "email": None}
    )
    assert patched.status_code == 200, patched.text
    data = patched.json()["data"]
    assert (data["phone"], data["email"], data["city"]) == ("+62 811 999 000", None, "Bandung")
    assert data["version"] == 2
    assert data["updated_at"] > created["updated_at"]
    events = await outbox_events(uuid.UUID(created["id"]))
    assert [e["type"] for e in events] == [
        "customers.customer.created",
        "customers.customer.updated",
    ]
    assert events[-1]["aggregate_version"] == 2


async def test_a_patch_that_changes_nothing_raises_no_event(
    tenant: Tenant, customer_body: Body, outbox_events: Events
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    body = customer_body(plan.id)
    created = (await client.post("/customers", json=body)).json()["data"]
    same = await client.patch(f"/customers/{created['id']}", json={"full_name": body["full_name"]})
    assert same.json()["data"]["version"] == 1
    assert len(await outbox_events(uuid.UUID(created["id"]))) == 1


async def test_required_fields_cannot_be_emptied(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    created = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    for body in ({"full_name": None}, {"address": ""}, {"phone": "  "}):
        answer = await client.patch(f"/customers/{created['id']}", json=body)
        assert answer.status_code == 422, body


async def test_moving_to_a_full_odp_is_refused(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    full = await tenant.seed_odp(capacity=1)
    client = tenant.client("admin")
    await client.post("/customers", json=customer_body(plan.id, odp_id=str(full.id)))
    other = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    moved = await client.patch(f"/customers/{other['id']}", json={"odp_id": str(full.id)})
    assert moved.status_code == 409


async def test_a_terminated_customer_cannot_be_patched(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    created = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    await client.post(f"/customers/{created['id']}/terminate", json={"reason": "moved"})
    answer = await client.patch(f"/customers/{created['id']}", json={"city": "Jakarta"})
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "INVALID_STATE"


async def test_delete_is_soft_and_hides_the_customer_everywhere(
    tenant: Tenant, customer_body: Body, outbox_events: Events
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    created = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    customer_id = created["id"]
    deleted = await client.delete(f"/customers/{customer_id}")
    assert deleted.status_code == 200
    assert deleted.json()["data"] == {"id": customer_id, "deleted": True}
    for answer in (
        await client.get(f"/customers/{customer_id}"),
        await client.get(f"/customers/by-code/{created['customer_code']}"),
        await client.patch(f"/customers/{customer_id}", json={"city": "X"}),
        await client.post(f"/customers/{customer_id}/activate"),
        await client.delete(f"/customers/{customer_id}"),
    ):
        assert answer.status_code == 404
    assert (await client.get("/customers")).json()["meta"]["total"] == 0
    events = await outbox_events(uuid.UUID(customer_id))
    assert events[-1]["type"] == "customers.customer.deleted"
    assert events[-1]["data"]["is_deleted"] is True
    # The code stays taken: codes are never given twice.
    again = await client.post(
        "/customers", json=customer_body(plan.id, customer_code=created["customer_code"])
    )
    assert again.status_code == 409
