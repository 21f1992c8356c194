"""Who may do what: roles per route, a subscriber's token only for itself, another tenant's ids
answer 404 and its lists are empty, and a missing or bad token is 401."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


async def _approved_request(tenant: Tenant, boost_body: Body, customer_id: uuid.UUID) -> str:
    admin = tenant.client("admin")
    created = await admin.post("/speed-boosts", json=boost_body(customer_id))
    request_id: str = created.json()["data"]["id"]
    await admin.post(f"/speed-boosts/{request_id}/approve")
    return request_id


@pytest.mark.parametrize("role", ["finance", "technician", "viewer"])
async def test_only_admin_and_support_decide(tenant: Tenant, boost_body: Body, role: str) -> None:
    customer = await tenant.seed_customer()
    await tenant.set_price()
    request_id = await _approved_request(tenant, boost_body, customer.id)
    client = tenant.client(role)
    for path in ("approve", "activate"):
        answer = await client.post(f"/speed-boosts/{request_id}/{path}")
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"]["code"] == "FORBIDDEN"
    reject = await client.post(f"/speed-boosts/{request_id}/reject", json={"reason": "no"})
    assert reject.status_code == 403
    deactivate = await client.post(f"/customers/{customer.id}/speed-boost/deactivate")
    assert deactivate.status_code == 403
    create = await client.post("/speed-boosts", json=boost_body(customer.id))
    assert create.status_code == 403
    # Every role may read.
    assert (await client.get(f"/speed-boosts/{request_id}")).status_code == 200
    assert (await client.get("/speed-boosts/pricing")).status_code == 200


async def test_pricing_is_set_by_admin_or_finance_only(tenant: Tenant) -> None:
    unset = (await tenant.client("viewer").get("/speed-boosts/pricing")).json()["data"]
    assert unset == {
        "price_per_hour": None,
        "is_configured": False,
        "updated_at": None,
        "updated_by": None,
    }
    for role in ("support", "technician", "viewer"):
        refused = await tenant.client(role).put(
            "/speed-boosts/pricing", json={"price_per_hour": "1.00"}
        )
        assert refused.status_code == 403
    set_ = await tenant.client("finance").put(
        "/speed-boosts/pricing", json={"price_per_hour": "12500.5"}
    )
    assert set_.status_code == 200, set_.text
    assert set_.json()["data"]["price_per_hour"] == "12500.50"
    read = (await tenant.client("admin").get("/speed-boosts/pricing")).json()["data"]
    assert read["price_per_hour"] == "12500.50"
    assert read["is_configured"] is True
    assert read["updated_by"] == "user-finance"


async def test_a_subscriber_requests_and_sees_only_for_itself(
    tenant: Tenant, boost_body: Body
) -> None:
    me, other = await tenant.seed_customer(), await tenant.seed_customer()
    await tenant.set_price()
    mine = tenant.client("customer", customer_id=me.id)

    for_other = await mine.post("/speed-boosts", json=boost_body(other.id))
    assert for_other.status_code == 404
    assert for_other.json()["error"]["code"] == "NOT_FOUND"
    created = await mine.post("/speed-boosts", json=boost_body(me.id, customer_notes="game night"))
    assert created.status_code == 201, created.text
    assert created.json()["data"]["customer_notes"] == "game night"

    other_request = await _approved_request(tenant, boost_body, other.id)
    assert (await mine.get(f"/speed-boosts/{other_request}")).status_code == 404
    listed = (await mine.get("/speed-boosts")).json()
    assert [r["customer_id"] for r in listed["data"]] == [str(me.id)]
    asked_other = (await mine.get("/speed-boosts", params={"customer_id": str(other.id)})).json()
    assert asked_other["data"] == [] and asked_other["meta"]["total"] == 0
    await tenant.client("admin").post(f"/speed-boosts/{other_request}/activate")
    assert (await mine.get(f"/customers/{other.id}/speed-boost")).status_code == 404
    # A subscriber cannot decide on its own request either.
    own_id = created.json()["data"]["id"]
    assert (await mine.post(f"/speed-boosts/{own_id}/approve")).status_code == 403
    assert (await mine.get("/speed-boosts/pricing")).status_code == 200


async def test_another_tenant_finds_nothing(
    new_tenant: Callable[[], Tenant], boost_body: Body
) -> None:
    owner, stranger = new_tenant(), new_tenant()
    customer = await owner.seed_customer()
    await owner.set_price()
    await stranger.set_price()
    request_id = await _approved_request(owner, boost_body, customer.id)
    await owner.client("admin").post(f"/speed-boosts/{request_id}/activate")

    client = stranger.client("admin")
    for method, path, body in (
        ("GET", f"/speed-boosts/{request_id}", None),
        ("POST", f"/speed-boosts/{request_id}/approve", None),
        ("POST", f"/speed-boosts/{request_id}/reject", {"reason": "mine now"}),
        ("POST", f"/speed-boosts/{request_id}/activate", None),
        ("GET", f"/customers/{customer.id}/speed-boost", None),
        ("POST", f"/customers/{customer.id}/speed-boost/deactivate", None),
        ("POST", "/speed-boosts", boost_body(customer.id)),
    ):
        answer = await client.request(method, path, json=body)
        assert answer.status_code == 404, (method, path, answer.text)
        assert answer.json()["error"]["code"] == "NOT_FOUND"
    listed = (await client.get("/speed-boosts")).json()
    assert listed["data"] == [] and listed["meta"]["total"] == 0
    # Still the owner's, untouched.
    still = (await owner.client("viewer").get(f"/speed-boosts/{request_id}")).json()["data"]
    assert still["status"] == "activated"


async def test_no_token_or_a_bad_one_is_unauthorized(tenant: Tenant) -> None:
    client = tenant.client("admin")
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer not-a-jwt"}):
        answer = await client.get("/speed-boosts", headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "UNAUTHORIZED"
