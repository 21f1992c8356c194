"""Bad input answers VALIDATION_ERROR (422) in the envelope, naming the fields; refused
transitions answer INVALID_STATE (409) with the current and requested state."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


def _fields(answer: Any) -> set[str]:
    body = answer.json()
    assert answer.status_code == 422, answer.text
    assert body["success"] is False and body["error"]["code"] == "VALIDATION_ERROR"
    return {f["field"].split(".")[-1] for f in body["error"]["details"]["fields"]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": None}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "line\x00break"}, "title"),
        ({"description": None}, "description"),
        ({"category": "outage"}, "category"),
        ({"priority": "critical"}, "priority"),
        ({"customer_id": "not-a-uuid"}, "customer_id"),
        ({"status": "closed"}, "status"),  # unknown field: the status is the workflow's
        ({"ticket_number": "TKT-9"}, "ticket_number"),
    ],
)
async def test_a_bad_create_names_the_field(
    tenant: Tenant, ticket_body: Body, overrides: dict[str, Any], field: str
) -> None:
    body = ticket_body()
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    assert field in _fields(await tenant.client("admin").post("/tickets", json=body))


async def test_bad_bodies_of_actions_and_parameters(tenant: Tenant, ticket_body: Body) -> None:
    client = tenant.client("admin")
    tid = (await client.post("/tickets", json=ticket_body())).json()["data"]["id"]
    assert "assigned_to" in _fields(await client.post(f"/tickets/{tid}/assign", json={}))
    assert "resolution_notes" in _fields(
        await client.post(f"/tickets/{tid}/resolve", json={"resolution_notes": ""})
    )
    assert "body" in _fields(await client.post(f"/tickets/{tid}/comments", json={"body": " "}))
    assert "priority" in _fields(await client.patch(f"/tickets/{tid}", json={"priority": "asap"}))
    assert "ticket_id" in _fields(await client.get("/tickets/not-a-uuid"))
    assert "per_page" in _fields(await client.get("/tickets", params={"per_page": 101}))
    assert "status" in _fields(await client.get("/tickets", params={"status": "done"}))
    assert "statuss" in _fields(await client.get("/tickets", params={"statuss": "open"}))
    assert "low_hours" in _fields(
        await client.put(
            "/tickets/sla",
            json={"low_hours": 0, "medium_hours": 1, "high_hours": 1, "urgent_hours": 1},
        )
    )
    unknown = await client.get(f"/tickets/{uuid.uuid4()}")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "NOT_FOUND"


async def test_a_refused_transition_changes_nothing(tenant: Tenant, ticket_body: Body) -> None:
    client = tenant.client("admin")
    tid = (await client.post("/tickets", json=ticket_body())).json()["data"]["id"]
    answer = await client.post(f"/tickets/{tid}/close")
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "INVALID_STATE"
    assert error["details"] == {"current_state": "open", "requested_state": "closed"}
    detail = (await client.get(f"/tickets/{tid}")).json()["data"]
    assert (detail["status"], detail["version"], len(detail["activities"])) == ("open", 1, 1)


async def test_a_ticket_for_a_deleted_customer_is_refused(
    tenant: Tenant, ticket_body: Body
) -> None:
    gone = await tenant.seed_customer(is_deleted=True)
    answer = await tenant.client("admin").post(
        "/tickets", json=ticket_body(customer_id=str(gone.id))
    )
    assert "customer_id" in _fields(answer)
