"""The REST contract of the audit API (docs/audit.md), through the app in-process."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from isp_audit.use_cases.record_event import record_event

if TYPE_CHECKING:
    from conftest import Tenant


def entry(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "customer",
        "action": "note",
        "description": "Called the subscriber about the outage",
    }
    body.update(overrides)
    return body


async def test_a_direct_entry_is_stored_with_the_caller_and_chained(tenant: Tenant) -> None:
    client = tenant.client("support", sub="agent-12")
    customer_id = uuid.uuid4()
    answer = await client.post(
        "/audit-logs",
        json=entry(customer_id=str(customer_id), old_value="plan A", new_value={"plan": "B"}),
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert answer.status_code == 201, answer.text
    row = answer.json()["data"]
    assert row["performed_by"] == "agent-12"
    assert row["ip_address"] == "203.0.113.9"
    assert row["customer_id"] == str(customer_id)
    assert row["old_value"] == "plan A"
    assert json.loads(row["new_value"]) == {"plan": "B"}
    assert row["seq"] == 1 and row["prev_hash"] == "0" * 64 and len(row["hash"]) == 64
    assert row["event_id"] is None

    second = (await client.post("/audit-logs", json=entry())).json()["data"]
    assert second["seq"] == 2 and second["prev_hash"] == row["hash"]

    auditor = tenant.client("admin")
    read = await auditor.get(f"/audit-logs/{row['id']}")
    assert read.status_code == 200 and read.json()["data"] == row


async def test_the_body_cannot_choose_who_acted(tenant: Tenant) -> None:
    answer = await tenant.client("admin").post(
        "/audit-logs", json=entry(performed_by="someone-else")
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_invalid_entries_are_refused_in_the_envelope(tenant: Tenant) -> None:
    client = tenant.client("admin")
    for body in (
        entry(category="everything"),
        entry(action=""),
        entry(description="   "),
        entry(description="nul\x00byte"),
        entry(customer_id="not-a-uuid"),
        {"category": "customer"},
    ):
        answer = await client.post("/audit-logs", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_every_filter_of_the_list(tenant: Tenant) -> None:
    customer = uuid.uuid4()
    admin, finance = tenant.client("admin", sub="boss"), tenant.client("finance", sub="cashier")
    await admin.post("/audit-logs", json=entry(customer_id=str(customer)))
    await finance.post("/audit-logs", json=entry(category="payment", action="refund"))
    await tenant.runtime.run(
        tenant.id, record_event, tenant.event("billing.plan.updated", {"name": "Home 20M"})
    )

    async def listed(**params: Any) -> list[dict[str, Any]]:
        answer = await admin.get("/audit-logs", params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["meta"]["total"] == len(body["data"])
        return list(body["data"])

    everything = await listed()
    assert [r["seq"] for r in everything] == [3, 2, 1]  # newest first
    assert [r["action"] for r in await listed(category="payment")] == ["refund"]
    assert [r["category"] for r in await listed(action="updated")] == ["service_plan"]
    assert [r["seq"] for r in await listed(customer_id=str(customer))] == [1]
    assert [r["seq"] for r in await listed(performed_by="cashier")] == [2]
    assert [r["seq"] for r in await listed(event_type="billing.plan.updated")] == [3]
    day = everything[0]["created_at"][:10]
    assert len(await listed(date_from=day, date_to=day)) == 3
    assert await listed(date_to="2000-01-01") == []
    assert len(await listed(date_from=everything[1]["created_at"])) == 2
    assert len(await listed(date_to=everything[1]["created_at"])) == 2

    page = await admin.get("/audit-logs", params={"per_page": 2, "page": 2})
    assert page.json()["meta"] == {"page": 2, "per_page": 2, "total": 3}
    assert [r["seq"] for r in page.json()["data"]] == [1]

    bad = await admin.get("/audit-logs", params={"date_from": "yesterday"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_one_customers_trail(tenant: Tenant) -> None:
    customer = uuid.uuid4()
    await tenant.runtime.run(
        tenant.id,
        record_event,
        tenant.event(
            "customers.customer.created", {"customer_code": "CUST-1"}, aggregate_id=customer
        ),
    )
    await tenant.runtime.run(
        tenant.id,
        record_event,
        tenant.event("boost.boost.requested", {"customer_id": str(customer)}),
    )
    await tenant.runtime.run(tenant.id, record_event, tenant.event("tickets.ticket.created", {}))
    trail = await tenant.client("support").get(f"/customers/{customer}/audit-logs")
    assert trail.status_code == 200, trail.text
    rows = trail.json()["data"]
    assert [r["event_type"] for r in rows] == [
        "boost.boost.requested",
        "customers.customer.created",
    ]
    assert rows[1]["description"].endswith(f"[customers.customer {customer} CUST-1]")
    assert rows[0]["category"] == "speed_boost"
    empty = await tenant.client("admin").get(f"/customers/{uuid.uuid4()}/audit-logs")
    assert empty.json()["data"] == [] and empty.json()["meta"]["total"] == 0


async def test_verify_on_an_empty_and_a_written_trail(tenant: Tenant) -> None:
    admin = tenant.client("admin")
    empty = (await admin.get("/audit-logs/verify")).json()["data"]
    assert empty == {
        "ok": True,
        "checked": 0,
        "first_broken_id": None,
        "first_broken_seq": None,
        "reason": None,
        "head_seq": 0,
        "head_hash": "0" * 64,
    }
    for _ in range(3):
        await admin.post("/audit-logs", json=entry())
    written = (await admin.get("/audit-logs/verify")).json()["data"]
    assert written["ok"] and written["checked"] == 3 and written["head_seq"] == 3


async def test_roles(tenant: Tenant) -> None:
    assert (await tenant.client("viewer").post("/audit-logs", json=entry())).status_code == 403
    assert (
        await tenant.client("customer", customer_id=uuid.uuid4()).get("/audit-logs")
    ).status_code == 403
    assert (await tenant.client("support").get("/audit-logs")).status_code == 403
    assert (await tenant.client("technician").post("/audit-logs", json=entry())).status_code == 201
    assert (await tenant.client("viewer").get("/audit-logs/verify")).status_code == 200
    assert (await tenant.anonymous_client().get("/audit-logs")).status_code == 401


async def test_another_tenant_sees_nothing(new_tenant: Callable[[], Tenant]) -> None:
    owner, other = new_tenant(), new_tenant()
    customer = uuid.uuid4()
    row = (
        await owner.client("admin").post("/audit-logs", json=entry(customer_id=str(customer)))
    ).json()["data"]
    stranger = other.client("admin")
    assert (await stranger.get(f"/audit-logs/{row['id']}")).status_code == 404
    assert (await stranger.get("/audit-logs")).json()["data"] == []
    assert (await stranger.get(f"/customers/{customer}/audit-logs")).json()["data"] == []
    assert (await stranger.get("/audit-logs/verify")).json()["data"]["checked"] == 0


async def test_an_unknown_query_parameter_is_refused(tenant: Tenant) -> None:
    answer = await tenant.client("admin").get("/audit-logs", params={"catgory": "payment"})
    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["fields"][0]["field"] == "query.catgory"
