"""Through the real RabbitMQ and the real worker: customer events move ODP counts and purge a
deleted customer's samples; the agent's router events land on the device; its traffic events
become samples; network's own events reach whoever listens."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import aio_pika
import pytest
from pydantic import BaseModel

from isp_common.contracts import producer_of
from isp_common.contracts.mikrotik import (
    RouterConnectionChanged,
    RouterSynced,
    TrafficSample,
    TrafficSampled,
)
from isp_common.messaging import topology
from isp_common.messaging.envelope import new_event
from isp_common.messaging.worker import Worker
from isp_common.settings import Settings
from isp_common.testing.bus import broker_channel, event_about, eventually, running
from isp_common.testing.bus import publish as publish_event

from isp_network.bootstrap import Runtime
from isp_network.worker import build_worker

if TYPE_CHECKING:
    from conftest import CustomerOf, MakeTree, Tenant


@pytest.fixture
async def exchange(settings: Settings) -> AsyncIterator[aio_pika.abc.AbstractExchange]:
    async with broker_channel(settings) as channel:
        await topology.declare_platform(channel, settings)
        yield await topology.declare_exchange(channel, settings)


@pytest.fixture
async def worker(runtime: Runtime, exchange: Any) -> AsyncIterator[Worker]:
    async with running(build_worker(runtime)) as started:
        yield started


async def publish(
    exchange: aio_pika.abc.AbstractExchange,
    tenant: Tenant,
    type_: str,
    data: BaseModel,
    aggregate_id: uuid.UUID,
    version: int = 1,
) -> None:
    event = new_event(
        type_,
        tenant_id=tenant.id,
        producer=producer_of(type_),
        aggregate_id=aggregate_id,
        aggregate_version=version,
        data=data,
    )
    await publish_event(exchange, event)


async def test_customer_events_move_the_odp_count_and_purge_samples(
    tenant: Tenant,
    make_tree: MakeTree,
    customer_of: CustomerOf,
    exchange: aio_pika.abc.AbstractExchange,
    worker: Worker,
) -> None:
    customer = customer_of
    client = tenant.client("admin")
    odp = await make_tree(client)
    first, second = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    await client.post(
        "/monitoring",
        json={"customer_id": str(first), "timestamp": (now - timedelta(minutes=1)).isoformat()},
    )
    await publish(exchange, tenant, "customers.customer.activated", customer(first, odp), first)
    await publish(exchange, tenant, "customers.customer.created", customer(second, odp), second)

    async def used(expected: int) -> bool:
        data = (await client.get(f"/odps/{odp['id']}")).json()["data"]
        return bool(data["used"] == expected)

    await eventually(lambda: used(2))
    gone = customer(first, odp, version=2, deleted=True)
    await publish(exchange, tenant, "customers.customer.deleted", gone, first, 2)
    await eventually(lambda: used(1))
    current = await client.get(f"/customers/{first}/monitoring/current")
    assert current.status_code == 404


async def test_router_and_traffic_events_land(
    tenant: Tenant, exchange: aio_pika.abc.AbstractExchange, worker: Worker
) -> None:
    client = tenant.client("admin")
    body = {"device_name": "R", "device_type": "router", "ip_address": "10.1.1.1"}
    router_id = uuid.UUID((await client.post("/devices", json=body)).json()["data"]["id"])
    now = datetime.now(UTC)
    await publish(
        exchange,
        tenant,
        "mikrotik.router.connection_changed",
        RouterConnectionChanged(router_id=router_id, connection_status="online", at=now),
        router_id,
        1,
    )
    synced = RouterSynced(router_id=router_id, ok=True, added=5, at=now)
    await publish(exchange, tenant, "mikrotik.router.synced", synced, router_id, 2)

    async def device_synced() -> dict[str, Any] | None:
        data = (await client.get(f"/devices/{router_id}")).json()["data"]
        return data if data["last_sync_result"] else None

    device = await eventually(device_synced)
    assert device["connection_status"] == "online"
    assert device["last_sync_result"]["added"] == 5

    customer_id = uuid.uuid4()
    traffic = TrafficSampled(
        router_id=router_id,
        samples=[
            TrafficSample(
                customer_id=customer_id,
                at=now - timedelta(minutes=n),
                bytes_in=1000 * n,
                bytes_out=10 * n,
                rate_in_kbps=2000,
                rate_out_kbps=500,
                is_online=True,
            )
            for n in range(1, 4)
        ],
    )
    # The same aggregate version twice: traffic batches are not skipped as stale.
    await publish(exchange, tenant, "mikrotik.traffic.sampled", traffic, router_id, 1)
    later = TrafficSampled(
        router_id=router_id,
        samples=[traffic.samples[0].model_copy(update={"at": now - timedelta(seconds=5)})],
    )
    await publish(exchange, tenant, "mikrotik.traffic.sampled", later, router_id, 1)

    async def stored() -> list[dict[str, Any]] | None:
        answer = await client.get(f"/customers/{customer_id}/monitoring")
        samples = answer.json()["data"]["samples"]
        return samples if len(samples) == 4 else None

    samples = await eventually(stored)
    assert [s["download_usage"] for s in samples] == [3000, 2000, 1000, 1000]
    assert {s["download_speed"] for s in samples} == {2000}


async def test_network_events_reach_listeners(
    tenant: Tenant, settings: Settings, exchange: aio_pika.abc.AbstractExchange, worker: Worker
) -> None:
    channel = exchange.channel
    listener = await channel.declare_queue(exclusive=True)
    await listener.bind(exchange, routing_key="network.device.*")
    body = {"device_name": "R", "device_type": "router", "mikrotik_password": "pw-123"}
    created = (await tenant.client("admin").post("/devices", json=body)).json()["data"]

    event = await eventually(lambda: event_about(listener, created["id"]))
    assert event["type"] == "network.device.created"
    assert "pw-123" not in json.dumps(event) and event["data"]["password_encrypted"]
