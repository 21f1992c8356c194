"""`agent_activation`: from a `customers.customer.activated` event published on RabbitMQ to the
subscriber's queue present on the router (the simulator, over TCP): the desired consumer, the
NOTIFY wake-up, the router's lane (targeted reconcile) and the outcome rows, 1,000 activations
one after another. Target: p99 under 300 ms. The baseline, in the same run, is a bare
librouteros add of the same secret and queue (what the router itself costs).
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
import uuid
from datetime import UTC, datetime

import aio_pika
import librouteros

from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging import topology
from isp_common.messaging.envelope import new_event

from agent_world import router_and_plan
from harness import BenchContext
from isp_cli import infra
from isp_cli.services import service
from isp_mikrotik_agent.bootstrap import agent_settings, build_runtime
from isp_mikrotik_agent.consumers.desired import desired_consumer
from isp_mikrotik_agent.controller.manager import LaneManager
from measure import Measurement
from routeros_sim import SimulatedRouter

NAME = "agent_activation"
UNIT = "ms"
TARGET = 300.0
ACTIVATIONS = 1_000


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(ctx: BenchContext, activations: int = ACTIVATIONS) -> Measurement:
    run_id = uuid.uuid4().hex[:8]
    settings = agent_settings(
        database_url=ctx.owner_url,
        log_json=True,
        log_level="WARNING",
        events_exchange=f"isp.events.bench.{run_id}",
        queue_prefix=f"bench.{run_id}.",
        agent_poll_seconds=1.0,
        agent_full_sync_seconds=3600.0,
        agent_traffic_seconds=None,
    )
    await asyncio.to_thread(infra.migrate, settings, service("mikrotik-agent"))
    runtime = build_runtime(settings)
    tenant = uuid.uuid4()
    now = datetime.now(UTC)
    latencies: list[float] = []
    bare: list[float] = []
    async with SimulatedRouter(user="admin", password="admin", tick_interval=None) as sim:
        device, plan = await router_and_plan(runtime, tenant, sim, now)
        connection = await aio_pika.connect(settings.amqp_url)
        channel = await connection.channel()
        await topology.declare_queue(
            channel, settings, topology.queue_spec("mikrotik-agent", "desired")
        )
        exchange = await topology.declare_exchange(channel, settings)
        consumer = desired_consumer(runtime)
        await consumer.start()
        manager = LaneManager(
            settings.service_dsn,
            runtime.db.schema,
            runtime.unit_of_work,
            runtime.decrypt,
            settings.lane_config(),
            scan_seconds=0.2,
            tenants={tenant},
        )
        lanes = asyncio.create_task(manager.run())
        while device.id not in manager.owned:  # noqa: ASYNC110  (polling a dict)
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # the lane's first (full) sync
        password = runtime.secrets.encrypt("pw")
        try:
            for number in range(activations):
                code = f"A{number:06d}"
                customer = CustomerSnapshot(
                    id=uuid.uuid4(),
                    customer_code=code,
                    full_name="Bench",
                    phone="1",
                    address="x",
                    status="active",
                    service_plan_id=plan.id,
                    pppoe_username=f"u{code}",
                    pppoe_password_encrypted=password,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                event = new_event(
                    "customers.customer.activated",
                    tenant_id=tenant,
                    producer="customers",
                    aggregate_id=customer.id,
                    aggregate_version=1,
                    data=customer,
                )
                body = aio_pika.Message(event.model_dump_json().encode(), message_id=str(event.id))
                started = time.perf_counter()
                await exchange.publish(body, routing_key=event.type)
                while not sim.router.find("/queue/simple", name=code):  # noqa: ASYNC110
                    await asyncio.sleep(0.001)
                latencies.append((time.perf_counter() - started) * 1000)
        finally:
            lanes.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await lanes
            await consumer.stop()
            await channel.queue_delete(topology.queue_name(settings, consumer.spec))
            await channel.queue_delete(topology.dead_letter_name(settings, consumer.spec))
            await channel.exchange_delete(settings.events_exchange)
            await connection.close()
        api = await librouteros.async_connect(sim.host, "admin", "admin", port=sim.port)
        for number in range(min(activations, 200)):
            started = time.perf_counter()
            await api.path("ppp", "secret").add(name=f"bare{number}", password="pw")
            await api.path("queue", "simple").add(
                name=f"bare{number}", target=f"<pppoe-bare{number}>", **{"max-limit": "10M/20M"}
            )
            bare.append((time.perf_counter() - started) * 1000)
        await api.close()
    await runtime.aclose()
    return Measurement(
        value=_p(latencies, 0.99),
        baseline=_p(bare, 0.99),
        absolute=True,
        unit=UNIT,
        target=TARGET,
        what=f"activation event on RabbitMQ -> queue on the simulated router, p99 of {activations}",
        details={
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(_p(latencies, 0.99), 2),
            "max_ms": round(max(latencies), 2),
            "bare_librouteros_add_p50_ms": round(statistics.median(bare), 2),
            "bare_librouteros_add_p99_ms": round(_p(bare, 0.99), 2),
        },
    )
