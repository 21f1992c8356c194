"""The request lifecycle through the HTTP API: create, read, list, approve, reject, activate,
the active boost and its early end."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


async def test_request_is_priced_pending_and_readable(tenant: Tenant, boost_body: Body) -> None:
    customer = await tenant.seed_customer()
    await tenant.set_price("7500.50")
    client = tenant.client("admin")
    answer = await client.post("/speed-boosts", json=boost_body(customer.id, duration_hours=4))
    assert answer.status_code == 201, answer.text
    request = answer.json()["data"]
    assert request["status"] == "pending"
    assert request["price_per_hour"] == "7500.50"
    assert request["total_price"] == "30002.00"
    assert request["request_number"] == "BST-000001"
    assert request["requested_by"] == "user-admin"
    again = (await client.get(f"/speed-boosts/{request['id']}")).json()["data"]
    assert again == request


async def test_whole_lifecycle_to_early_end(tenant: Tenant, boost_body: Body) -> None:
    plan = await tenant.seed_plan(bandwidth_download=10_000, bandwidth_upload=5_000)
    customer = await tenant.seed_customer(plan)
    await tenant.set_price()
    client = tenant.client("support")
    request = (await client.post("/speed-boosts", json=boost_body(customer.id))).json()["data"]
    url = f"/speed-boosts/{request['id']}"
    approved = await client.post(f"{url}/approve", json={"admin_notes": "ok for tonight"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["data"]["approved_by"] == "user-support"
    activated = (await client.post(f"{url}/activate")).json()["data"]
    assert activated["status"] == "activated"
    started = datetime.fromisoformat(activated["activated_at"])
    assert datetime.fromisoformat(activated["expires_at"]) == started + timedelta(hours=3)
    assert (activated["original_speed_download"], activated["original_speed_upload"]) == (
        10_000,
        5_000,
    )

    active = await client.get(f"/customers/{customer.id}/speed-boost")
    assert active.status_code == 200, active.text
    boost = active.json()["data"]
    assert boost["request_id"] == request["id"]
    assert boost["is_active"] is True
    assert (boost["boosted_speed_download"], boost["boosted_speed_upload"]) == (50_000, 20_000)
    assert (boost["original_speed_download"], boost["original_speed_upload"]) == (10_000, 5_000)

    ended = await client.post(f"/customers/{customer.id}/speed-boost/deactivate")
    assert ended.status_code == 200, ended.text
    assert ended.json()["data"]["status"] == "ended"
    assert ended.json()["data"]["end_reason"] == "deactivated"
    gone = await client.get(f"/customers/{customer.id}/speed-boost")
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "NOT_FOUND"
    again = await client.post(f"/customers/{customer.id}/speed-boost/deactivate")
    assert again.status_code == 404


async def test_reject_needs_a_reason_and_is_final(tenant: Tenant, boost_body: Body) -> None:
    customer = await tenant.seed_customer()
    await tenant.set_price()
    client = tenant.client("admin")
    request = (await client.post("/speed-boosts", json=boost_body(customer.id))).json()["data"]
    url = f"/speed-boosts/{request['id']}"
    missing = await client.post(f"{url}/reject", json={})
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "VALIDATION_ERROR"
    rejected = await client.post(f"{url}/reject", json={"reason": "network maintenance"})
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["data"]["rejection_reason"] == "network maintenance"
    refused = await client.post(f"{url}/approve")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "INVALID_STATE"
    assert error["details"] == {"current_state": "rejected", "requested_state": "approved"}


async def test_activating_a_pending_request_is_invalid_state(
    tenant: Tenant, boost_body: Body
) -> None:
    customer = await tenant.seed_customer()
    await tenant.set_price()
    client = tenant.client("admin")
    request = (await client.post("/speed-boosts", json=boost_body(customer.id))).json()["data"]
    answer = await client.post(f"/speed-boosts/{request['id']}/activate")
    assert answer.status_code == 409
    assert answer.json()["error"]["details"]["current_state"] == "pending"


async def test_second_activation_for_a_customer_conflicts(tenant: Tenant, boost_body: Body) -> None:
    customer = await tenant.seed_customer()
    await tenant.set_price()
    client = tenant.client("admin")
    ids = []
    for _ in range(2):
        created = (await client.post("/speed-boosts", json=boost_body(customer.id))).json()
        ids.append(created["data"]["id"])
        await client.post(f"/speed-boosts/{ids[-1]}/approve")
    assert (await client.post(f"/speed-boosts/{ids[0]}/activate")).status_code == 200
    second = await client.post(f"/speed-boosts/{ids[1]}/activate")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "CONFLICT"
    assert second.json()["error"]["details"]["active_request_id"] == ids[0]
    still = (await client.get(f"/speed-boosts/{ids[1]}")).json()["data"]
    assert still["status"] == "approved"


async def test_list_filters_and_paginates(tenant: Tenant, boost_body: Body) -> None:
    first, second = await tenant.seed_customer(), await tenant.seed_customer()
    await tenant.set_price()
    client = tenant.client("admin")
    made = []
    for customer in (first, first, second):
        created = await client.post("/speed-boosts", json=boost_body(customer.id))
        made.append(created.json()["data"]["id"])
    await client.post(f"/speed-boosts/{made[0]}/approve")
    everything = (await client.get("/speed-boosts", params={"per_page": 2})).json()
    assert everything["meta"] == {"page": 1, "per_page": 2, "total": 3}
    assert [r["id"] for r in everything["data"]] == made[::-1][:2]  # newest first
    by_customer = (await client.get("/speed-boosts", params={"customer_id": str(first.id)})).json()
    assert {r["id"] for r in by_customer["data"]} == set(made[:2])
    approved = (await client.get("/speed-boosts", params={"status": "approved"})).json()
    assert [r["id"] for r in approved["data"]] == [made[0]]


async def test_request_refused_for_unknown_suspended_or_slower_than_plan(
    tenant: Tenant, boost_body: Body
) -> None:
    plan = await tenant.seed_plan(bandwidth_download=20_000, bandwidth_upload=10_000)
    suspended = await tenant.seed_customer(plan, status="suspended")
    active = await tenant.seed_customer(plan)
    await tenant.set_price()
    client = tenant.client("admin")
    unknown = await client.post("/speed-boosts", json=boost_body(uuid.uuid4()))
    assert unknown.status_code == 404
    not_active = await client.post("/speed-boosts", json=boost_body(suspended.id))
    assert not_active.status_code == 409
    assert not_active.json()["error"]["details"]["reason"] == "customer_not_active"
    slower = await client.post(
        "/speed-boosts", json=boost_body(active.id, requested_speed_download=15_000)
    )
    assert slower.status_code == 422
    assert slower.json()["error"]["details"]["fields"][0]["field"] == "requested_speed_download"
    same = await client.post(
        "/speed-boosts",
        json=boost_body(active.id, requested_speed_download=20_000, requested_speed_upload=10_000),
    )
    assert same.status_code == 422


async def test_request_needs_a_configured_price(tenant: Tenant, boost_body: Body) -> None:
    customer = await tenant.seed_customer()
    client = tenant.client("admin")
    answer = await client.post("/speed-boosts", json=boost_body(customer.id))
    assert answer.status_code == 409
    assert answer.json()["error"]["details"]["reason"] == "pricing_not_configured"
