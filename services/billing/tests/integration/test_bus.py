"""Through the real RabbitMQ: customers' events reach billing's consumer (the account is kept and
the first period invoiced), an overdue account is published as billing.account.overdue and seen
by a consumer bound to billing.account.*, and paying it off publishes billing.account.settled."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import aio_pika
import pytest

from isp_common.contracts.billing import AccountSnapshot
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging import topology
from isp_common.messaging.envelope import Event, new_event
from isp_common.messaging.worker import Worker
from isp_common.settings import Settings

from isp_billing.bootstrap import Runtime
from isp_billing.worker import build_worker

if TYPE_CHECKING:
    from conftest import Tenant

T = TypeVar("T")


@pytest.fixture
async def broker(
    settings: Settings, forget_broker_names: Callable[[Settings], Awaitable[None]]
) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    connection = await aio_pika.connect(settings.amqp_url)
    yield await connection.channel()
    await connection.close()
    await forget_broker_names(settings)


@pytest.fixture
async def worker(runtime: Runtime) -> AsyncIterator[Worker]:
    worker = build_worker(runtime)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    yield worker
    stop.set()
    await asyncio.wait_for(running, timeout=30)


async def eventually(probe: Callable[[], Awaitable[T | None]], within: float = 20) -> T:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        value = await probe()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("nothing happened in time")
        await asyncio.sleep(0.05)


async def publish(exchange: aio_pika.abc.AbstractExchange, event: Event) -> None:
    await exchange.publish(
        aio_pika.Message(
            event.model_dump_json().encode(),
            content_type="application/json",
            message_id=str(event.id),
            type=event.type,
        ),
        routing_key=event.type,
        mandatory=True,
    )


async def test_overdue_and_settled_travel_the_bus(
    tenant: Tenant,
    settings: Settings,
    broker: aio_pika.abc.AbstractChannel,
    worker: Worker,
) -> None:
    exchange = await topology.declare_exchange(broker, settings)
    await topology.declare_platform(broker, settings)
    listener = await broker.declare_queue(exclusive=True)
    await listener.bind(exchange, routing_key="billing.account.*")

    plan = await tenant.plan("150000.00")
    customer_id = uuid.uuid4()
    activated = datetime.now(UTC).date() - timedelta(days=40)
    now = datetime.now(UTC)
    for version, (verb, status) in enumerate(
        [("created", "pending_activation"), ("activated", "active")], start=1
    ):
        snapshot = CustomerSnapshot(
            id=customer_id,
            customer_code="CUST-000001",
            full_name="Dewi Lestari",
            phone="+62 811 000 111",
            address="Jl. Asia Afrika 8, Bandung",
            status=status,
            service_plan_id=uuid.UUID(plan["id"]),
            activation_date=activated if verb == "activated" else None,
            version=version,
            created_at=now,
            updated_at=now,
        )
        await publish(
            exchange,
            new_event(
                f"customers.customer.{verb}",
                tenant_id=tenant.id,
                producer="customers",
                aggregate_id=customer_id,
                aggregate_version=version,
                data=snapshot,
            ),
        )

    async def invoiced() -> list[dict[str, Any]] | None:
        answer = await tenant.client("admin").get(
            "/invoices", params={"customer_id": str(customer_id)}
        )
        return answer.json()["data"] if answer.status_code == 200 else None

    invoices = await eventually(invoiced)
    assert len(invoices) == 2  # 40 days ago and 10 days ago: both periods billed

    async def seen(kind: str) -> dict[str, Any] | None:
        message = await listener.get(no_ack=True, fail=False)
        if message is None:
            return None
        event = json.loads(message.body)
        if event["aggregate_id"] == str(customer_id) and event["type"] == kind:
            return event
        return None

    check = await tenant.client("admin").post("/billing/overdue-check", json={})
    assert check.json()["data"]["became_overdue"] == 1
    overdue = await eventually(lambda: seen("billing.account.overdue"))
    snapshot = AccountSnapshot.model_validate(overdue["data"])
    assert snapshot.is_overdue and snapshot.outstanding_balance == 300_000
    Event.model_validate(overdue)  # the envelope written in SQL is the platform's envelope

    await tenant.pay(customer_id, "300000.00")
    settled = await eventually(lambda: seen("billing.account.settled"))
    assert settled["data"]["is_overdue"] is False
    assert settled["aggregate_version"] > overdue["aggregate_version"]
    assert settled["data"]["outstanding_balance"] == "0.00"
