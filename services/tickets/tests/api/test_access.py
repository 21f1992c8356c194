"""Who may do what: roles per route, a subscriber sees only its own tickets, and another
tenant's tickets do not exist (404, absent from lists)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


async def _ticket(tenant: Tenant, body: dict[str, Any]) -> dict[str, Any]:
    answer = await tenant.client("support").post("/tickets", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["data"])


async def test_no_or_bad_token_is_unauthorized(tenant: Tenant) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Basic x"}):
        answer = await tenant.anonymous_client(headers).get("/tickets")
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("viewer", "post", "/tickets", "ticket"),
        ("finance", "post", "/tickets", "ticket"),
        ("technician", "patch", "/tickets/{id}", {"title": "x"}),
        ("technician", "post", "/tickets/{id}/assign", {"assigned_to": "me"}),
        ("viewer", "post", "/tickets/{id}/start", None),
        ("finance", "post", "/tickets/{id}/resolve", {"resolution_notes": "x"}),
        ("technician", "post", "/tickets/{id}/close", None),
        ("technician", "post", "/tickets/{id}/reopen", None),
        ("viewer", "post", "/tickets/{id}/comments", {"body": "x"}),
        ("customer", "post", "/tickets/{id}/start", None),
        ("customer", "post", "/tickets/{id}/assign", {"assigned_to": "me"}),
        ("customer", "get", "/tickets/sla", None),
        ("support", "put", "/tickets/sla", "sla"),
    ],
)
async def test_roles_without_the_right_are_forbidden(
    tenant: Tenant, ticket_body: Body, role: str, method: str, path: str, body: Any
) -> None:
    customer_id = uuid.uuid4()
    ticket = await _ticket(tenant, ticket_body(customer_id=str(customer_id)))
    payload = {
        "ticket": ticket_body(),
        "sla": {f"{p}_hours": 5 for p in ("low", "medium", "high", "urgent")},
    }
    client = tenant.client(role, customer_id=customer_id if role == "customer" else None)
    answer = await client.request(
        method.upper(),
        path.format(id=ticket["id"]),
        json=payload.get(body, body) if isinstance(body, str) else body,
    )
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "FORBIDDEN"


async def test_readers_of_every_staff_role_read(tenant: Tenant, ticket_body: Body) -> None:
    ticket = await _ticket(tenant, ticket_body())
    for role in ("admin", "support", "technician", "finance", "viewer"):
        client = tenant.client(role)
        assert (await client.get(f"/tickets/{ticket['id']}")).status_code == 200
        assert (await client.get("/tickets")).json()["meta"]["total"] == 1


async def test_a_customer_opens_reads_and_comments_on_its_own_tickets_only(
    tenant: Tenant, ticket_body: Body
) -> None:
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    other = await _ticket(tenant, ticket_body(customer_id=str(theirs)))
    internal = await _ticket(tenant, ticket_body())  # about no customer
    me = tenant.client("customer", customer_id=mine, sub="subscriber-1")

    answer = await me.post("/tickets", json=ticket_body(customer_id=None))
    assert answer.status_code == 201, answer.text
    own = answer.json()["data"]
    assert own["customer_id"] == str(mine)  # from the token
    same = await me.post("/tickets", json=ticket_body(customer_id=str(mine)))
    assert same.status_code == 201
    assert (await me.post("/tickets", json=ticket_body(customer_id=str(theirs)))).status_code == 404
    assigning = await me.post("/tickets", json=ticket_body(assigned_to="agent-1"))
    assert assigning.status_code == 403

    listed = (await me.get("/tickets", params={"customer_id": str(theirs)})).json()
    assert listed["meta"]["total"] == 0
    listed = (await me.get("/tickets")).json()
    assert {t["id"] for t in listed["data"]} == {own["id"], same.json()["data"]["id"]}

    for foreign in (other, internal):
        assert (await me.get(f"/tickets/{foreign['id']}")).status_code == 404
        by_number = await me.get(f"/tickets/by-number/{foreign['ticket_number']}")
        assert by_number.status_code == 404
        comment = await me.post(f"/tickets/{foreign['id']}/comments", json={"body": "hi"})
        assert comment.status_code == 404
        assert comment.json()["error"]["code"] == "NOT_FOUND"

    comment = await me.post(f"/tickets/{own['id']}/comments", json={"body": "Still down"})
    assert comment.status_code == 201, comment.text
    assert comment.json()["data"]["performed_by"] == "subscriber-1"
    detail = (await me.get(f"/tickets/{own['id']}")).json()["data"]
    assert [a["activity_type"] for a in detail["activities"]] == ["created", "commented"]
    # What others wrote stays as it was.
    untouched = (await tenant.client("admin").get(f"/tickets/{other['id']}")).json()["data"]
    assert [a["activity_type"] for a in untouched["activities"]] == ["created"]


async def test_another_tenants_tickets_do_not_exist(
    new_tenant: Callable[[], Tenant], ticket_body: Body
) -> None:
    owner, stranger = new_tenant(), new_tenant()
    ticket = await _ticket(owner, ticket_body())
    client = stranger.client("admin")
    tid = ticket["id"]
    reads = [
        await client.get(f"/tickets/{tid}"),
        await client.get(f"/tickets/by-number/{ticket['ticket_number']}"),
        await client.patch(f"/tickets/{tid}", json={"title": "mine now"}),
        await client.post(f"/tickets/{tid}/assign", json={"assigned_to": "x"}),
        await client.post(f"/tickets/{tid}/start"),
        await client.post(f"/tickets/{tid}/resolve", json={"resolution_notes": "x"}),
        await client.post(f"/tickets/{tid}/close"),
        await client.post(f"/tickets/{tid}/reopen"),
        await client.post(f"/tickets/{tid}/comments", json={"body": "x"}),
    ]
    assert [r.status_code for r in reads] == [404] * len(reads)
    assert {r.json()["error"]["code"] for r in reads} == {"NOT_FOUND"}
    assert (await client.get("/tickets")).json()["meta"]["total"] == 0
    # The stranger's own numbering starts at 1: counters are per tenant.
    mine = await _ticket(stranger, ticket_body())
    assert mine["ticket_number"] == ticket["ticket_number"] == "TKT-000001"
    unchanged = (await owner.client("admin").get(f"/tickets/{tid}")).json()["data"]
    assert (unchanged["version"], unchanged["status"]) == (1, "open")
