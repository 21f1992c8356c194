"""The whole workflow through the API: every step answers, records one activity and one event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[UUID], Awaitable[list[dict[str, Any]]]]


async def test_a_ticket_goes_through_its_whole_workflow(
    tenant: Tenant, ticket_body: Body, outbox_events: Events
) -> None:
    customer = await tenant.seed_customer(full_name="Siti Rahayu")
    support = tenant.client("support", sub="agent-7")
    technician = tenant.client("technician", sub="tech-3")
    answer = await support.post("/tickets", json=ticket_body(customer_id=str(customer.id)))
    assert answer.status_code == 201, answer.text
    ticket = answer.json()["data"]
    assert ticket["ticket_number"] == "TKT-000001"
    assert ticket["status"] == "open"
    assert ticket["customer_name"] == "Siti Rahayu"
    assert ticket["customer_code"] == customer.customer_code
    assert ticket["sla_breached"] is False
    due = datetime.fromisoformat(ticket["sla_due_at"]) - datetime.fromisoformat(
        ticket["created_at"]
    )
    assert due == timedelta(hours=8)  # high, by the default policy
    tid = ticket["id"]

    steps: list[tuple[Any, str, dict[str, Any] | None, str]] = [
        (support, "assign", {"assigned_to": "tech-3"}, "open"),
        (technician, "start", None, "in_progress"),
        (technician, "resolve", {"resolution_notes": "Replaced the patch cord"}, "resolved"),
        (support, "reopen", {"reason": "Still down"}, "open"),
        (technician, "start", None, "in_progress"),
        (technician, "resolve", {"resolution_notes": "Replaced the ONU"}, "resolved"),
        (support, "close", None, "closed"),
    ]
    for client, action, body, status in steps:
        answer = await client.post(f"/tickets/{tid}/{action}", json=body)
        assert answer.status_code == 200, (action, answer.text)
        assert answer.json()["data"]["status"] == status
    comment = await support.post(f"/tickets/{tid}/comments", json={"body": "Thanks!"})
    assert comment.status_code == 409, comment.text  # closed is final
    assert comment.json()["error"]["code"] == "INVALID_STATE"

    detail = (await support.get(f"/tickets/{tid}")).json()["data"]
    assert detail["resolution_notes"] == "Replaced the ONU"
    assert detail["resolved_at"] is not None and detail["closed_at"] is not None
    kinds = [(a["activity_type"], a["performed_by"]) for a in detail["activities"]]
    assert kinds == [
        ("created", "agent-7"),
        ("assigned", "agent-7"),
        ("status_changed", "tech-3"),
        ("resolved", "tech-3"),
        ("status_changed", "agent-7"),
        ("status_changed", "tech-3"),
        ("resolved", "tech-3"),
        ("status_changed", "agent-7"),
    ]
    events = await outbox_events(UUID(tid))
    assert [e["type"].rsplit(".", 1)[1] for e in events] == [
        "created",
        "assigned",
        "started",
        "resolved",
        "reopened",
        "started",
        "resolved",
        "closed",
    ]
    assert [e["aggregate_version"] for e in events] == list(range(1, 9))
    assert events[-1]["actor"]["sub"] == "agent-7"
    by_number = await support.get(f"/tickets/by-number/{ticket['ticket_number']}")
    assert by_number.json()["data"]["id"] == tid
