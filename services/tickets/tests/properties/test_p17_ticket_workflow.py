from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[UUID], Awaitable[list[dict[str, Any]]]]

# The workflow of docs/tickets.md, written out independently of the service's own table:
# (status, action) → status after it. Comments and PATCHes keep the status, refused when closed.
WORKFLOW = {
    ("open", "assign"): "open",
    ("in_progress", "assign"): "in_progress",
    ("open", "start"): "in_progress",
    ("in_progress", "resolve"): "resolved",
    ("resolved", "close"): "closed",
    ("resolved", "reopen"): "open",
}
REQUESTED = {
    "assign": "assigned",
    "start": "in_progress",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "open",
    "comments": "commented",
    "patch": "updated",
}
ACTIVITY = {
    "assign": "assigned",
    "start": "status_changed",
    "resolve": "resolved",
    "close": "status_changed",
    "reopen": "status_changed",
    "comments": "commented",
    "patch": "updated",
}
EVENT = {
    "assign": "assigned",
    "start": "started",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "reopened",
    "comments": "commented",
    "patch": "updated",
}
ROLE_OF = {"assign": "support", "close": "support", "reopen": "admin", "patch": "admin"}
commands = st.lists(
    st.tuples(st.sampled_from(sorted(REQUESTED)), st.sampled_from(["ana", "budi", "citra"])),
    max_size=10,
)


def allowed(status: str, action: str) -> str | None:
    if action in ("comments", "patch"):
        return None if status == "closed" else status
    return WORKFLOW.get((status, action))


# Feature: isp-management-system, Property 17: Ticket workflow (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=commands)
async def test_every_transition_follows_the_workflow_and_writes_one_activity(
    new_tenant: Callable[[], Tenant],
    ticket_body: Body,
    outbox_events: Events,
    steps: list[tuple[str, str]],
) -> None:
    tenant = new_tenant()
    ticket = await tenant.client("support", sub="opener").post("/tickets", json=ticket_body())
    ticket = ticket.json()["data"]
    tid = ticket["id"]
    status, resolved = "open", False
    expected_activities: list[tuple[str, str, str | None, str | None]] = [
        ("created", "opener", None, "open")
    ]
    expected_events = ["created"]
    for n, (action, who) in enumerate(steps):
        client = tenant.client(ROLE_OF.get(action, "technician"), sub=who)
        if action == "patch":
            answer = await client.patch(f"/tickets/{tid}", json={"title": f"Title {n}"})
        else:
            body = {
                "assign": {"assigned_to": who},
                "resolve": {"resolution_notes": f"Fixed {n}"},
                "comments": {"body": f"Note {n}"},
            }.get(action)
            answer = await client.post(f"/tickets/{tid}/{action}", json=body)
        after = allowed(status, action)
        if after is None:
            assert answer.status_code == 409, (status, action, answer.text)
            error = answer.json()["error"]
            assert error["code"] == "INVALID_STATE"
            assert error["details"] == {
                "current_state": status,
                "requested_state": REQUESTED[action],
            }
            continue
        assert answer.status_code in (200, 201), (status, action, answer.text)
        moved = action in ("start", "resolve", "close", "reopen")
        expected_activities.append(
            (ACTIVITY[action], who, status if moved else None, after if moved else None)
        )
        expected_events.append(EVENT[action])
        resolved = (resolved or action == "resolve") and action != "reopen"
        status = after
        if action != "comments":
            data = answer.json()["data"]
            assert data["status"] == status
            # resolved_at is set exactly while the resolution stands (closing keeps it).
            assert (data["resolved_at"] is not None) == resolved
            assert (data["resolution_notes"] is not None) == resolved

    detail = (await tenant.client("viewer").get(f"/tickets/{tid}")).json()["data"]
    assert detail["status"] == status
    assert detail["version"] == len(expected_activities)  # a refusal changed nothing
    activities = detail["activities"]
    got = [
        (a["activity_type"], a["performed_by"], a["from_status"], a["to_status"])
        for a in activities
    ]
    assert got == expected_activities
    resolutions = [a for a in activities if a["activity_type"] == "resolved"]
    if resolved:
        assert datetime.fromisoformat(detail["resolved_at"]) == datetime.fromisoformat(
            resolutions[-1]["created_at"]
        )
    else:
        assert detail["resolved_at"] is None
    assert (detail["closed_at"] is not None) == (status == "closed")
    events = await outbox_events(UUID(tid))
    assert [e["type"] for e in events] == [f"tickets.ticket.{verb}" for verb in expected_events]
    assert [e["aggregate_version"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["data"]["status"] == status
