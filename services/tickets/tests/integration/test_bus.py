"""Through the real RabbitMQ: customers' `deleted` event reaches the `tickets.customers` queue,
the customer's open tickets are closed, and the relay publishes tickets.ticket.closed."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import aio_pika
import pytest

from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging import topology
from isp_common.messaging.envelope import new_event
from isp_common.messaging.worker import Worker
from isp_common.settings import Settings
from isp_common.testing.bus import broker_channel, eventually, listen
from isp_common.testing.bus import publish as publish_event

from isp_tickets.bootstrap import Runtime
from isp_tickets.domain.customers import KnownCustomer

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


@pytest.fixture
async def broker(settings: Settings) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    async with broker_channel(settings) as channel:
        yield channel


async def test_a_deleted_customers_open_tickets_are_closed_and_published(
    tenant: Tenant,
    ticket_body: Body,
    settings: Settings,
    broker: aio_pika.abc.AbstractChannel,
    runtime: Runtime,
    worker: Worker,
    snapshot_of_customer: Callable[..., CustomerSnapshot],
) -> None:
    # Declared as a deployment declares it, so that nothing published before the worker's
    # consumer is up is lost.
    await topology.declare_queue(broker, settings, topology.queue_spec("tickets", "customers"))
    exchange = await topology.declare_exchange(broker, settings)
    listener = await listen(broker, settings, "tickets.ticket.closed")

    async def publish(verb: str, data: Any) -> uuid.UUID:
        event = new_event(
            f"customers.customer.{verb}",
            tenant_id=tenant.id,
            producer="customers",
            aggregate_id=data.id,
            aggregate_version=data.version,
            data=data,
        )
        await publish_event(exchange, event)
        return event.id

    customer = snapshot_of_customer(full_name="Dewi Lestari")
    await publish("created", customer)

    async def replicated() -> KnownCustomer | None:
        return await runtime.run(tenant.id, lambda uow: uow.customers.get(customer.id))

    assert (await eventually(replicated)).full_name == "Dewi Lestari"
    client = tenant.client("support")
    body = ticket_body(customer_id=str(customer.id))
    opened = [(await client.post("/tickets", json=body)).json()["data"] for _ in range(2)]
    assert {t["customer_name"] for t in opened} == {"Dewi Lestari"}
    await client.post(f"/tickets/{opened[1]['id']}/start")
    open_ids = {t["id"] for t in opened}

    deletion = await publish(
        "deleted", customer.model_copy(update={"is_deleted": True, "version": 2})
    )

    async def all_closed() -> bool:
        page = (await client.get("/tickets", params={"customer_id": str(customer.id)})).json()
        return {t["status"] for t in page["data"]} == {"closed"}

    await eventually(all_closed)
    published: dict[str, dict[str, Any]] = {}

    async def every_closure_published() -> bool:
        message = await listener.get(no_ack=True, fail=False)
        if message is not None:
            event = json.loads(message.body)
            published[event["aggregate_id"]] = event
        return set(published) >= open_ids

    await eventually(every_closure_published)
    for tid in open_ids:
        event = published[tid]
        assert event["data"]["status"] == "closed"
        assert event["causation_id"] == str(deletion)  # the consumer's context stamped it
