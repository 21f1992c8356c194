from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]


async def test_the_whole_life(tenant: Tenant, customer_body: Body, outbox_events: Events) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    customer = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    url = f"/customers/{customer['id']}"

    activated = await client.post(f"{url}/activate", json={"activation_date": "2026-01-05"})
    assert activated.status_code == 200, activated.text
    assert activated.json()["data"]["status"] == "active"
    assert activated.json()["data"]["activation_date"] == "2026-01-05"

    suspended = await client.post(f"{url}/suspend", json={"reason": "router maintenance"})
    assert suspended.json()["data"]["status"] == "suspended"
    assert suspended.json()["data"]["suspension_reason"] == "router maintenance"
    assert suspended.json()["data"]["suspension_cause"] == "manual"

    restored = await client.post(f"{url}/activate")  # no body at all
    assert restored.json()["data"]["status"] == "active"
    assert restored.json()["data"]["activation_date"] == "2026-01-05"

    terminated = await client.post(
        f"{url}/terminate", json={"reason": "moved to Jakarta", "termination_date": "2026-06-30"}
    )
    assert terminated.json()["data"]["status"] == "terminated"
    assert terminated.json()["data"]["termination_date"] == "2026-06-30"
    assert terminated.json()["data"]["termination_reason"] == "moved to Jakarta"

    events = await outbox_events(uuid.UUID(customer["id"]))
    assert [e["type"].rsplit(".", 1)[1] for e in events] == [
        "created",
        "activated",
        "suspended",
        "restored",
        "terminated",
    ]
    assert [e["aggregate_version"] for e in events] == [1, 2, 3, 4, 5]


async def test_invalid_transitions_answer_invalid_state_and_change_nothing(
    tenant: Tenant, customer_body: Body
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    customer = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    url = f"/customers/{customer['id']}"
    refused = await client.post(f"{url}/suspend", json={"reason": "x"})
    assert refused.status_code == 409
    assert refused.json()["error"] == {
        "code": "INVALID_STATE",
        "message": "cannot go from pending_activation to suspended",
        "details": {"current_state": "pending_activation", "requested_state": "suspended"},
    }
    await client.post(f"{url}/terminate", json={"reason": "never connected"})
    for path, body in [
        ("activate", {}),
        ("suspend", {"reason": "x"}),
        ("terminate", {"reason": "x"}),
    ]:
        answer = await client.post(f"{url}/{path}", json=body)
        assert answer.status_code == 409
        assert answer.json()["error"]["details"]["current_state"] == "terminated"
    after = (await client.get(url)).json()["data"]
    assert after["version"] == 2 and after["status"] == "terminated"


async def test_change_plan(tenant: Tenant, customer_body: Body, outbox_events: Events) -> None:
    basic = await tenant.seed_plan(name="Basic", monthly_price="100000.00")
    fast = await tenant.seed_plan(name="Fast", monthly_price="300000.00")
    client = tenant.client("support")
    customer = (await client.post("/customers", json=customer_body(basic.id))).json()["data"]
    url = f"/customers/{customer['id']}/change-plan"
    changed = await client.post(
        url, json={"new_plan_id": str(fast.id), "effective_date": "2026-02-01", "reason": "upgrade"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["service_plan_id"] == str(fast.id)
    assert changed.json()["data"]["monthly_fee"] == "300000.00"
    event = (await outbox_events(uuid.UUID(customer["id"])))[-1]
    assert event["type"] == "customers.customer.plan_changed"
    assert event["data"]["previous_plan_id"] == str(basic.id)
    assert event["data"]["effective_date"] == "2026-02-01"
    assert event["data"]["reason"] == "upgrade"
    same = await client.post(url, json={"new_plan_id": str(fast.id)})
    assert same.status_code == 422
    unknown = await client.post(url, json={"new_plan_id": str(uuid.uuid4())})
    assert unknown.status_code == 502  # billing is unreachable in these tests
    retired = await tenant.seed_plan(is_active=False)
    assert (await client.post(url, json={"new_plan_id": str(retired.id)})).status_code == 422


async def test_lifecycle_bodies_are_validated(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    customer = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    url = f"/customers/{customer['id']}"
    for path, body, field in [
        ("suspend", {}, "reason"),
        ("suspend", {"reason": ""}, "reason"),
        ("terminate", {"reason": "x", "termination_date": "yesterday"}, "termination_date"),
        ("activate", {"activation_date": "2026-13-01"}, "activation_date"),
        ("activate", {"when": "now"}, "when"),
        ("change-plan", {"new_plan_id": "basic"}, "new_plan_id"),
    ]:
        answer = await client.post(f"{url}/{path}", json=body)
        assert answer.status_code == 422, (path, body)
        assert answer.json()["error"]["details"]["fields"][0]["field"] == field
