"""Through the real RabbitMQ: billing's overdue event reaches the consumer, the customer is
suspended, and the relay publishes customers.customer.suspended to whoever listens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import aio_pika
import pytest

from isp_common.contracts.billing import AccountSnapshot
from isp_common.messaging import topology
from isp_common.messaging.envelope import new_event
from isp_common.messaging.worker import Worker
from isp_common.settings import Settings
from isp_common.testing.bus import broker_channel, event_about, eventually, listen, publish

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


@pytest.fixture
async def broker(settings: Settings) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    async with broker_channel(settings) as channel:
        # Before anything is published: the worker declares it too, but in its own time, and an
        # event sent before its queue exists is routed nowhere.
        await topology.declare_platform(channel, settings)
        yield channel


async def test_overdue_from_billing_suspends_and_the_suspension_is_published(
    tenant: Tenant,
    customer_body: Body,
    settings: Settings,
    broker: aio_pika.abc.AbstractChannel,
    worker: Worker,
) -> None:
    exchange = await topology.declare_exchange(broker, settings)
    listener = await listen(broker, settings, "customers.customer.suspended")

    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    created = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    customer_id = uuid.UUID(created["id"])
    await client.post(f"/customers/{customer_id}/activate")

    overdue = new_event(
        "billing.account.overdue",
        tenant_id=tenant.id,
        producer="billing",
        aggregate_id=customer_id,
        aggregate_version=1,
        data=AccountSnapshot(
            customer_id=customer_id,
            outstanding_balance=Decimal("150000.00"),
            credit=Decimal(0),
            due_date=date(2026, 2, 10),
            is_overdue=True,
            version=1,
        ),
    )
    await publish(exchange, overdue)

    async def suspended() -> dict[str, Any] | None:
        data = (await client.get(f"/customers/{customer_id}")).json()["data"]
        return data if data["status"] == "suspended" else None

    customer = await eventually(suspended)
    assert customer["suspension_reason"] == "overdue"

    event = await eventually(lambda: event_about(listener, customer_id))
    assert event["type"] == "customers.customer.suspended"
    assert event["data"]["suspension_reason"] == "overdue"
    assert event["causation_id"] == str(overdue.id)  # the consumer's context stamped it
    assert event["correlation_id"] == overdue.correlation_id
