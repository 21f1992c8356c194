"""`relay_throughput`: events/s from the outbox to the broker through `OutboxRelay`, against raw
aio-pika publishing the same messages with publisher confirms.

Both publish N events (the same JSON bodies, the same properties, `mandatory`) to the same topic
exchange, bound to the same durable quorum queue, in batches of ISP_RELAY_BATCH_SIZE in flight
at once, each until the broker confirmed every one. The relay also claims its rows with
`FOR UPDATE SKIP LOCKED` and deletes them after the confirms: that database work is what the
ratio prices. Target: the relay moves at least half the raw rate.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime

import aio_pika
import asyncpg

from isp_common.db import Database
from isp_common.messaging import topology
from isp_common.messaging.topology import QueueSpec

from harness import BenchContext, BenchUnavailable
from measure import Measurement

NAME = "relay_throughput"
UNIT = "events/s"
TARGET = 0.5
SCHEMA = "customers"
EVENT_TYPE = "customers.customer.updated"
RELAY_TIMEOUT_SECONDS = 120.0


def _bodies(count: int, tenant: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    now = datetime.now(UTC).isoformat()
    bodies = []
    for n in range(count):
        event_id, customer_id = uuid.uuid4(), uuid.uuid4()
        envelope = {
            "id": str(event_id),
            "type": EVENT_TYPE,
            "version": 1,
            "occurred_at": now,
            "tenant_id": str(tenant),
            "producer": "customers",
            "aggregate_id": str(customer_id),
            "aggregate_version": 2,
            "correlation_id": str(event_id),
            "causation_id": None,
            "actor": {"sub": "bench", "roles": ["admin"], "ip": "127.0.0.1"},
            "data": {
                "id": str(customer_id),
                "customer_code": f"BENCH{n:06d}",
                "full_name": f"Bench Customer {n}",
                "phone": f"+6281{n:09d}",
                "email": f"bench{n}@example.net",
                "address": f"Jl. Benchmark No. {n}",
                "city": "Bandung",
                "status": "active",
                "monthly_fee": "150000.00",
                "pppoe_username": f"bench{n}",
                "version": 2,
                "created_at": now,
                "updated_at": now,
            },
        }
        bodies.append((event_id, json.dumps(envelope)))
    return bodies


async def _fill_outbox(
    owner_dsn: str, tenant: uuid.UUID, bodies: list[tuple[uuid.UUID, str]]
) -> None:
    conn = await asyncpg.connect(owner_dsn)
    try:
        await conn.executemany(
            f"INSERT INTO {SCHEMA}.outbox (id, tenant_id, type, payload) "
            "VALUES ($1, $2, $3, $4::jsonb)",
            [(event_id, tenant, EVENT_TYPE, body) for event_id, body in bodies],
        )
    finally:
        await conn.close()


async def _queue_depth(channel: aio_pika.abc.AbstractChannel, name: str) -> int:
    queue = await channel.declare_queue(name, passive=True)
    return int(queue.declaration_result.message_count or 0)


async def _wait_depth(channel: aio_pika.abc.AbstractChannel, name: str, expected: int) -> None:
    # Confirmed means enqueued; the count a passive declare reports can lag a moment.
    for _ in range(50):
        if await _queue_depth(channel, name) == expected:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"queue {name} holds {await _queue_depth(channel, name)}, not {expected}")


async def run(ctx: BenchContext) -> Measurement:
    try:
        from isp_common.messaging.relay import OutboxRelay
    except ImportError as exc:
        raise BenchUnavailable(f"isp_common.messaging.relay.OutboxRelay: {exc}") from None

    run_id = uuid.uuid4().hex[:8]
    settings = ctx.settings(
        events_exchange=f"isp.events.bench.{run_id}", queue_prefix=f"bench.{run_id}."
    )
    sink = QueueSpec("bench", "sink", ("#",))
    queue_name = topology.queue_name(settings, sink)
    tenant = uuid.uuid4()
    count = ctx.events
    batch = settings.relay_batch_size

    connection = await aio_pika.connect(settings.amqp_url)
    db = Database(settings.service_dsn, SCHEMA, producer="customers")
    relay = OutboxRelay(settings, db, queues=(sink,))
    rates: dict[str, list[float]] = {"relay": [], "raw": []}
    try:
        admin = await connection.channel()
        await topology.declare_queue(admin, settings, sink)
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await topology.declare_exchange(channel, settings)
        await relay.publish_pending()  # connects and declares; the raw side is connected too

        for _ in range(ctx.rounds):
            # The relay: N rows committed in the outbox, timed until all are confirmed.
            bodies = _bodies(count, tenant)
            await _fill_outbox(ctx.owner_dsn, tenant, bodies)
            published = 0
            started = time.perf_counter()
            while published < count:
                if time.perf_counter() - started > RELAY_TIMEOUT_SECONDS:
                    raise RuntimeError(f"relay published {published} of {count} in time")
                published += await relay.publish_pending()
            rates["relay"].append(count / (time.perf_counter() - started))
            await _wait_depth(admin, queue_name, count)
            await admin.queue_delete(queue_name)
            await topology.declare_queue(admin, settings, sink)

            # Raw aio-pika: the same bodies and properties, the same batches in flight.
            messages = [
                aio_pika.Message(
                    body.encode(),
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    message_id=str(event_id),
                    type=EVENT_TYPE,
                    headers={"type": EVENT_TYPE, "tenant_id": str(tenant)},
                )
                for event_id, body in bodies
            ]
            started = time.perf_counter()
            for first in range(0, count, batch):
                await asyncio.gather(
                    *(
                        exchange.publish(m, routing_key=EVENT_TYPE, mandatory=True)
                        for m in messages[first : first + batch]
                    )
                )
            rates["raw"].append(count / (time.perf_counter() - started))
            await _wait_depth(admin, queue_name, count)
            await admin.queue_delete(queue_name)
            await topology.declare_queue(admin, settings, sink)
    finally:
        await relay.close()
        await db.dispose()
        async with connection:
            cleanup = await connection.channel()
            for name in (queue_name, f"{queue_name}.dead"):
                await cleanup.queue_delete(name)
            await cleanup.exchange_delete(settings.events_exchange)

    value = sum(rates["relay"]) / len(rates["relay"])
    baseline = sum(rates["raw"]) / len(rates["raw"])
    return Measurement(
        value=value,
        baseline=baseline,
        unit=UNIT,
        target=TARGET,
        what=(
            "outbox → broker through OutboxRelay (claim, publish with confirms, delete) vs raw "
            "aio-pika publish-with-confirms of the same messages"
        ),
        details={
            "events": count,
            "batch": batch,
            "rounds": ctx.rounds,
            "relay_rates": [round(r) for r in rates["relay"]],
            "raw_rates": [round(r) for r in rates["raw"]],
        },
    )
