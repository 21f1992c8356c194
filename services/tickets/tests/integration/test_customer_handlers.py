"""The `tickets.customers` handlers, called as the consumer calls them: inside a real unit of
work. The replica follows the customer; a deletion closes the customer's unclosed tickets."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from isp_common import context
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging.envelope import new_event

from isp_tickets.consumers.handlers import HANDLERS

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]


async def deliver(
    tenant: Tenant, verb: str, snapshot: CustomerSnapshot, actor: str = "ops"
) -> None:
    token = context.current.set(context.RequestContext(actor=context.Actor(sub=actor)))
    try:
        event = new_event(
            f"customers.customer.{verb}",
            tenant_id=tenant.id,
            producer="customers",
            aggregate_id=snapshot.id,
            aggregate_version=snapshot.version,
            data=snapshot,
        )
        async with tenant.runtime.unit_of_work(tenant.id) as uow:
            await HANDLERS[event.type](event, uow)
            await uow.commit()
    finally:
        context.current.reset(token)


async def test_the_replica_names_the_customer_and_ignores_older_versions(
    tenant: Tenant, ticket_body: Body, snapshot_of_customer: Callable[..., CustomerSnapshot]
) -> None:
    snapshot = snapshot_of_customer(full_name="Old Name", version=2)
    await deliver(tenant, "created", snapshot)
    client = tenant.client("admin")
    ticket = (await client.post("/tickets", json=ticket_body(customer_id=str(snapshot.id)))).json()
    tid = ticket["data"]["id"]
    await deliver(tenant, "updated", snapshot.model_copy(update={"full_name": "New", "version": 3}))
    await deliver(
        tenant, "updated", snapshot.model_copy(update={"full_name": "Stale", "version": 1})
    )
    shown = (await client.get(f"/tickets/{tid}")).json()["data"]
    assert (shown["customer_name"], shown["customer_code"]) == ("New", snapshot.customer_code)


async def test_deleting_a_customer_closes_their_unclosed_tickets(
    tenant: Tenant, ticket_body: Body, outbox_events: Events
) -> None:
    customer = await tenant.seed_customer()
    bystander = await tenant.seed_customer()
    client = tenant.client("admin")

    async def open_ticket(customer_id: uuid.UUID, *actions: tuple[str, Any]) -> str:
        answer = await client.post("/tickets", json=ticket_body(customer_id=str(customer_id)))
        tid = str(answer.json()["data"]["id"])
        for action, body in actions:
            assert (await client.post(f"/tickets/{tid}/{action}", json=body)).status_code == 200
        return tid

    resolve = ("resolve", {"resolution_notes": "done"})
    opened = await open_ticket(customer.id)
    working = await open_ticket(customer.id, ("start", None))
    resolved = await open_ticket(customer.id, ("start", None), resolve)
    closed = await open_ticket(customer.id, ("start", None), resolve, ("close", None))
    other = await open_ticket(bystander.id)

    deleted = customer.model_copy(update={"is_deleted": True, "version": 2})
    await deliver(tenant, "deleted", deleted, actor="admin-who-deleted")
    await deliver(tenant, "deleted", deleted)  # a replay changes nothing more

    for tid, was in ((opened, "open"), (working, "in_progress"), (resolved, "resolved")):
        detail = (await client.get(f"/tickets/{tid}")).json()["data"]
        assert detail["status"] == "closed"
        last = detail["activities"][-1]
        assert (last["activity_type"], last["from_status"], last["to_status"]) == (
            "status_changed",
            was,
            "closed",
        )
        assert last["performed_by"] == "admin-who-deleted"
        assert "customer was deleted" in last["description"]
        assert (await outbox_events(uuid.UUID(tid)))[-1]["type"] == "tickets.ticket.closed"
    assert (
        len((await client.get(f"/tickets/{closed}")).json()["data"]["activities"]) == 4
    )  # untouched
    assert (await client.get(f"/tickets/{other}")).json()["data"]["status"] == "open"
    unclosed = await client.get("/tickets", params={"customer_id": str(customer.id)})
    assert {t["status"] for t in unclosed.json()["data"]} == {"closed"}
    refused = await client.post("/tickets", json=ticket_body(customer_id=str(customer.id)))
    assert refused.status_code == 422


async def test_no_ticket_opened_during_the_deletion_stays_open(
    tenant: Tenant, ticket_body: Body
) -> None:
    """Opening tickets races the deletion: each ends either refused or closed, never open."""
    client = tenant.client("admin")
    for _ in range(5):
        customer = await tenant.seed_customer()
        body = ticket_body(customer_id=str(customer.id))
        deleted = customer.model_copy(update={"is_deleted": True, "version": 2})
        answers, _ = await asyncio.gather(
            asyncio.gather(*(client.post("/tickets", json=body) for _ in range(4))),
            deliver(tenant, "deleted", deleted),
        )
        assert {a.status_code for a in answers} <= {201, 422}
        listed = await client.get("/tickets", params={"customer_id": str(customer.id)})
        assert {t["status"] for t in listed.json()["data"]} <= {"closed"}
