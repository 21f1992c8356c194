"""The tenant's SLA policy, due times, `sla_breached` shown and filtered, PATCH and the filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


def _due_hours(ticket: dict[str, Any]) -> float:
    due = datetime.fromisoformat(ticket["sla_due_at"]) - datetime.fromisoformat(
        ticket["created_at"]
    )
    return due / timedelta(hours=1)


async def test_the_policy_defaults_and_can_be_replaced(tenant: Tenant, ticket_body: Body) -> None:
    admin = tenant.client("admin")
    defaults = (await admin.get("/tickets/sla")).json()["data"]
    assert defaults == {"low_hours": 72, "medium_hours": 24, "high_hours": 8, "urgent_hours": 4}
    before = (await admin.post("/tickets", json=ticket_body(priority="urgent"))).json()["data"]
    policy = {"low_hours": 120, "medium_hours": 48, "high_hours": 12, "urgent_hours": 2}
    answer = await admin.put("/tickets/sla", json=policy)
    assert answer.status_code == 200 and answer.json()["data"] == policy
    assert (await tenant.client("viewer").get("/tickets/sla")).json()["data"] == policy
    after = (await admin.post("/tickets", json=ticket_body(priority="urgent"))).json()["data"]
    assert _due_hours(after) == 2
    # A due time already promised stays.
    kept = (await admin.get(f"/tickets/{before['id']}")).json()["data"]
    assert _due_hours(kept) == 4
    # A new priority is due by the current policy, counted from opening.
    patched = await admin.patch(f"/tickets/{before['id']}", json={"priority": "low"})
    assert patched.status_code == 200, patched.text
    assert _due_hours(patched.json()["data"]) == 120


async def test_breached_tickets_are_shown_and_filtered(
    tenant: Tenant, ticket_body: Body, owner_engine: AsyncEngine
) -> None:
    admin = tenant.client("admin")
    late, on_time, resolved_in_time = [
        (await admin.post("/tickets", json=ticket_body(title=t))).json()["data"]
        for t in ("late", "on time", "resolved in time")
    ]
    await admin.post(f"/tickets/{resolved_in_time['id']}/start")
    await admin.post(f"/tickets/{resolved_in_time['id']}/resolve", json={"resolution_notes": "ok"})
    # Time passes: the first and the resolved one were due an hour ago.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE tickets.tickets SET sla_due_at = now() - interval '1 hour'"
                " WHERE id = ANY(:ids)"
            ),
            {"ids": [UUID(late["id"]), UUID(resolved_in_time["id"])]},
        )
        await conn.execute(
            text(
                "UPDATE tickets.tickets SET resolved_at = sla_due_at - interval '1 minute'"
                " WHERE id = :id"
            ),
            {"id": UUID(resolved_in_time["id"])},
        )
    breached = (await admin.get("/tickets", params={"sla_breached": "true"})).json()
    assert [t["id"] for t in breached["data"]] == [late["id"]]
    assert breached["data"][0]["sla_breached"] is True
    fine = (await admin.get("/tickets", params={"sla_breached": "false"})).json()
    assert {t["id"] for t in fine["data"]} == {on_time["id"], resolved_in_time["id"]}
    assert (await admin.get(f"/tickets/{late['id']}")).json()["data"]["sla_breached"] is True


async def test_filters_search_and_pages(tenant: Tenant, ticket_body: Body) -> None:
    admin = tenant.client("admin")
    customer = await tenant.seed_customer()
    made = []
    for n, (category, priority) in enumerate(
        [("billing", "low"), ("technical", "urgent"), ("complaint", "low"), ("request", "medium")]
    ):
        body = ticket_body(title=f"Case 100%_{n}", category=category, priority=priority)
        if n % 2:
            body["customer_id"] = str(customer.id)
        made.append((await admin.post("/tickets", json=body)).json()["data"])
    await admin.post(f"/tickets/{made[0]['id']}/assign", json={"assigned_to": "tech-9"})
    await admin.post(f"/tickets/{made[2]['id']}/start")

    async def ids(**params: Any) -> list[str]:
        answer = (await admin.get("/tickets", params=params)).json()
        assert answer["meta"]["total"] == len(answer["data"])
        return [t["id"] for t in answer["data"]]

    assert await ids() == [t["id"] for t in reversed(made)]  # newest first
    assert await ids(category="billing") == [made[0]["id"]]
    assert await ids(priority="low") == [made[2]["id"], made[0]["id"]]
    assert await ids(assigned_to="tech-9") == [made[0]["id"]]
    assert await ids(status="in_progress") == [made[2]["id"]]
    assert await ids(customer_id=str(customer.id)) == [made[3]["id"], made[1]["id"]]
    assert await ids(search="100%_2") == [made[2]["id"]]
    assert await ids(search=made[1]["ticket_number"]) == [made[1]["id"]]
    assert await ids(search="_%") == []
    page = (await admin.get("/tickets", params={"per_page": 3, "page": 2})).json()
    assert page["meta"] == {"page": 2, "per_page": 3, "total": 4}
    assert [t["id"] for t in page["data"]] == [made[0]["id"]]


async def test_patch_records_what_changed_and_a_no_op_records_nothing(
    tenant: Tenant, ticket_body: Body
) -> None:
    admin = tenant.client("admin")
    ticket = (await admin.post("/tickets", json=ticket_body())).json()["data"]
    tid = ticket["id"]
    same = await admin.patch(f"/tickets/{tid}", json={"title": ticket["title"], "category": None})
    assert same.json()["data"]["version"] == 1
    changed = await admin.patch(f"/tickets/{tid}", json={"category": "complaint", "title": "New"})
    data = changed.json()["data"]
    assert (data["category"], data["title"], data["version"]) == ("complaint", "New", 2)
    assert data["updated_at"] > ticket["updated_at"]
    activities = (await admin.get(f"/tickets/{tid}")).json()["data"]["activities"]
    assert [a["activity_type"] for a in activities] == ["created", "updated"]
    assert "category from technical to complaint" in activities[1]["description"]
