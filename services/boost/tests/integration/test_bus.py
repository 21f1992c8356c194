"""Through the real RabbitMQ: customers' and billing's events fill the replicas through the
`boost.replicas` consumer; a deleted customer's boost ends; the expiry job ends a boost whose time
has come; and the relay publishes `boost.boost.ended` to a test consumer bound on the exchange."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import aio_pika
import pytest
from pydantic import BaseModel

from isp_common.messaging import topology
from isp_common.messaging.envelope import new_event
from isp_common.messaging.worker import Worker
from isp_common.settings import Settings
from isp_common.testing.bus import broker_channel, event_about, eventually, listen, publish, running

from isp_boost.bootstrap import Runtime
from isp_boost.consumers.replicas import replicas_consumer
from isp_boost.use_cases.clock import utc_now
from isp_boost.worker import expiry_job

if TYPE_CHECKING:
    from conftest import Snapshots, Tenant

Body = Callable[..., dict[str, Any]]


@pytest.fixture
async def broker(settings: Settings) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    async with broker_channel(settings) as channel:
        # Declared before anything is published: the worker's consumer may still be connecting,
        # and an event published before its queue exists would be routed nowhere.
        await topology.declare_queue(channel, settings, topology.queue_spec("boost", "replicas"))
        yield channel


@pytest.fixture
async def late_worker(runtime: Runtime) -> AsyncIterator[Worker]:
    """The worker with its expiry job's clock five days ahead, every 0.2 s: what the job does
    once a boost's time has come, without waiting hours."""
    job = expiry_job(runtime, 0.2, clock=lambda: utc_now() + timedelta(days=5))
    worker = Worker(
        runtime.settings, runtime.db, consumers=[replicas_consumer(runtime)], jobs=[job]
    )
    async with running(worker) as started:
        yield started


async def _publish(
    broker: aio_pika.abc.AbstractChannel,
    settings: Settings,
    tenant: Tenant,
    type_: str,
    producer: str,
    data: BaseModel,
    aggregate_id: uuid.UUID,
    version: int,
) -> None:
    exchange = await topology.declare_exchange(broker, settings)
    event = new_event(
        type_,
        tenant_id=tenant.id,
        producer=producer,
        aggregate_id=aggregate_id,
        aggregate_version=version,
        data=data,
    )
    await publish(exchange, event)


async def _ended_event(listener: aio_pika.abc.AbstractQueue, request_id: str) -> dict[str, Any]:
    return await eventually(lambda: event_about(listener, request_id))


async def _active_boost(tenant: Tenant, boost_body: Body, customer_id: uuid.UUID) -> str:
    client = tenant.client("admin")
    created = await client.post("/speed-boosts", json=boost_body(customer_id, duration_hours=2))
    assert created.status_code == 201, created.text
    request_id: str = created.json()["data"]["id"]
    await client.post(f"/speed-boosts/{request_id}/approve")
    activated = await client.post(f"/speed-boosts/{request_id}/activate")
    assert activated.status_code == 200, activated.text
    return request_id


async def test_replicas_come_from_the_bus_and_a_deleted_customer_loses_the_boost(
    tenant: Tenant,
    boost_body: Body,
    settings: Settings,
    broker: aio_pika.abc.AbstractChannel,
    worker: Worker,
    snapshots: Snapshots,
) -> None:
    listener = await listen(broker, settings, "boost.boost.ended")
    plan = snapshots.plan(bandwidth_download=15_000, bandwidth_upload=7_000)
    customer = snapshots.customer(plan.id)
    await _publish(broker, settings, tenant, "billing.plan.created", "billing", plan, plan.id, 1)
    await _publish(
        broker, settings, tenant, "customers.customer.created", "customers", customer,
        customer.id, 1,
    )  # fmt: skip
    await tenant.set_price("2000.00")
    client = tenant.client("admin")

    async def customer_known() -> bool:
        answer = await client.post("/speed-boosts", json=boost_body(customer.id))
        return answer.status_code == 201

    await eventually(customer_known)
    request_id = await _active_boost(tenant, boost_body, customer.id)
    boost = (await client.get(f"/customers/{customer.id}/speed-boost")).json()["data"]
    assert (boost["original_speed_download"], boost["original_speed_upload"]) == (15_000, 7_000)

    deleted = customer.model_copy(update={"is_deleted": True, "version": 2})
    await _publish(
        broker, settings, tenant, "customers.customer.deleted", "customers", deleted,
        customer.id, 2,
    )  # fmt: skip
    event = await _ended_event(listener, request_id)
    assert event["type"] == "boost.boost.ended"
    assert event["data"]["status"] == "ended"
    assert event["data"]["end_reason"] == "customer_deleted"
    assert (await client.get(f"/customers/{customer.id}/speed-boost")).status_code == 404
    # The other, still pending, request was withdrawn.
    pending = (await client.get("/speed-boosts", params={"status": "pending"})).json()
    assert pending["data"] == []
    rejected = (await client.get("/speed-boosts", params={"status": "rejected"})).json()["data"]
    assert [r["rejection_reason"] for r in rejected] == ["the customer was deleted"]


async def test_the_expiry_job_ends_a_boost_and_publishes_it(
    tenant: Tenant,
    boost_body: Body,
    settings: Settings,
    broker: aio_pika.abc.AbstractChannel,
    late_worker: Worker,
) -> None:
    listener = await listen(broker, settings, "boost.boost.*")
    plan = await tenant.seed_plan(bandwidth_download=10_000, bandwidth_upload=5_000)
    customer = await tenant.seed_customer(plan)
    await tenant.set_price("1500.00")
    request_id = await _active_boost(tenant, boost_body, customer.id)

    event = await eventually(lambda: event_about(listener, request_id, "boost.boost.ended"))
    data = event["data"]
    assert data["status"] == "expired"
    assert data["end_reason"] == "expired"
    assert data["ended_at"] == data["expires_at"]
    assert (data["original_speed_download"], data["original_speed_upload"]) == (10_000, 5_000)
    assert (data["boosted_speed_download"], data["boosted_speed_upload"]) == (50_000, 20_000)
    assert data["total_price"] == "3000.00"
    client = tenant.client("admin")
    assert (await client.get(f"/customers/{customer.id}/speed-boost")).status_code == 404
    request = (await client.get(f"/speed-boosts/{request_id}")).json()["data"]
    assert request["status"] == "expired"
