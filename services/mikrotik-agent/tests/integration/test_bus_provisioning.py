"""The controller path end to end: events on the real RabbitMQ → the desired consumer → the
router's lane (run by a lane manager holding its advisory lock) → the simulated router over
TCP → outcome events in the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import aio_pika
import pytest
from pydantic import BaseModel
from sqlalchemy import text

from isp_common.contracts import producer_of
from isp_common.messaging import topology
from isp_common.messaging.envelope import new_event

from isp_mikrotik_agent.bootstrap import Runtime
from isp_mikrotik_agent.consumers.desired import desired_consumer
from isp_mikrotik_agent.controller.manager import LaneManager
from isp_mikrotik_agent.domain.desired import SuspensionMode, SuspensionSettings
from isp_mikrotik_agent.use_cases.settings import put_settings
from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant


async def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:  # noqa: ASYNC109
    """Polls `check` (a plain or a coroutine function) until it is truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


@pytest.fixture
async def agent(runtime: Runtime, tenant: Tenant) -> AsyncIterator[Callable[..., Any]]:
    """The consumer and a lane manager for this test's tenant; returns `publish(type, data)`."""
    connection = await aio_pika.connect(runtime.settings.amqp_url)
    channel = await connection.channel()
    await topology.declare_platform(channel, runtime.settings)
    exchange = await topology.declare_exchange(channel, runtime.settings)
    consumer = desired_consumer(runtime)
    await consumer.start()
    manager = LaneManager(
        runtime.settings.service_dsn,
        runtime.db.schema,
        runtime.unit_of_work,
        runtime.decrypt,
        runtime.settings.lane_config(),
        scan_seconds=0.2,
        tenants={tenant.id},
    )
    lanes = asyncio.create_task(manager.run())

    async def publish(type_: str, data: BaseModel, aggregate_id: Any, version: int) -> None:
        event = new_event(
            type_,
            tenant_id=tenant.id,
            producer=producer_of(type_),
            aggregate_id=aggregate_id,
            aggregate_version=version,
            data=data,
        )
        await exchange.publish(
            aio_pika.Message(event.model_dump_json().encode(), message_id=str(event.id)),
            routing_key=type_,
        )

    yield publish
    lanes.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await lanes
    await consumer.stop()
    await connection.close()


async def outcomes(runtime: Runtime, customer_id: Any) -> list[tuple[str, int]]:
    async with runtime.db.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT type, payload->'data'->>'customer_version' AS v FROM mikrotik_agent.outbox "
                "WHERE payload->>'aggregate_id' = :id ORDER BY seq"
            ),
            {"id": str(customer_id)},
        )
        return [(r.type, int(r.v)) for r in rows]


@pytest.mark.parametrize("mode", list(SuspensionMode))
@pytest.mark.parametrize("fixed_address", [False, True])
async def test_a_subscribers_life_reaches_the_router(
    agent: Any,
    tenant: Tenant,
    sim: SimulatedRouter,
    reset_router: Any,
    new_customer: Any,
    mode: SuspensionMode,
    fixed_address: bool,
) -> None:
    router = reset_router(sim)
    publish = agent
    await tenant.runtime.run(tenant.id, put_settings, SuspensionSettings(mode=mode))
    device = await tenant.add_router(sim)
    plan = await tenant.add_plan()
    await publish("network.device.updated", device, device.id, device.version)
    customer = new_customer(
        plan.id, status="active", remote_address="10.40.0.9" if fixed_address else None
    )
    name = customer.pppoe_username
    await publish("customers.customer.activated", customer, customer.id, 1)
    await eventually(lambda: router.find("/queue/simple", name=customer.customer_code))
    assert router.find("/ppp/secret", name=name)[0]["disabled"] == "false"
    router.connect_session(name)

    suspended = customer.model_copy(update={"status": "suspended", "version": 2})
    await publish("customers.customer.suspended", suspended, customer.id, 2)
    await eventually(lambda: not router.find("/ppp/active", name=name))
    secret = router.find("/ppp/secret", name=name)[0]
    if mode is SuspensionMode.ISOLATE:
        assert secret["profile"] == "isolir"
        statics = router.find("/ip/firewall/address-list", list="isolir", dynamic="false")
        assert len(statics) == (1 if fixed_address else 0)
    else:
        assert secret["disabled"] == "true"

    restored = customer.model_copy(update={"status": "active", "version": 3})
    await publish("customers.customer.restored", restored, customer.id, 3)
    await eventually(
        lambda: (
            router.find("/ppp/secret", name=name)[0]["profile"] == "default"
            and router.find("/ppp/secret", name=name)[0]["disabled"] == "false"
        )
    )
    assert router.find("/ip/firewall/address-list", list="isolir") == []

    faster = await tenant.add_plan(bandwidth_download=50_000, bandwidth_upload=25_000)
    await publish("billing.plan.created", faster, faster.id, 1)
    changed = restored.model_copy(update={"service_plan_id": faster.id, "version": 4})
    await publish("customers.customer.updated", changed, customer.id, 4)
    await eventually(
        lambda: (
            router.find("/queue/simple", name=customer.customer_code)[0]["max-limit"]
            == "25000000/50000000"
        )
    )

    deleted = changed.model_copy(update={"is_deleted": True, "version": 5})
    await publish("customers.customer.deleted", deleted, customer.id, 5)
    await eventually(lambda: not router.find("/ppp/secret", name=name))
    assert router.find("/queue/simple", name=customer.customer_code) == []

    # The router changes before the lane writes the outcome: wait for the last outcome too.
    async def provisioned() -> set[int]:
        events = await outcomes(tenant.runtime, customer.id)
        return {v for t, v in events if t == "mikrotik.subscriber.provisioned"}

    async def all_provisioned() -> bool:
        return {1, 2, 3, 5} <= await provisioned()

    assert await eventually(all_provisioned), await provisioned()


async def test_a_router_down_during_activation_converges_when_back(
    agent: Any, tenant: Tenant, sim: SimulatedRouter, reset_router: Any, new_customer: Any
) -> None:
    router = reset_router(sim)
    publish = agent
    device = await tenant.add_router(sim)
    plan = await tenant.add_plan()
    await sim.go_down()
    try:
        customer = new_customer(plan.id, status="active")
        await publish("customers.customer.activated", customer, customer.id, 1)

        async def failed() -> bool:
            return ("mikrotik.subscriber.provisioning_failed", 1) in await outcomes(
                tenant.runtime, customer.id
            )

        await eventually(failed)
    finally:
        await sim.come_up()
    await eventually(lambda: router.find("/queue/simple", name=customer.customer_code), 20)
    await asyncio.sleep(1.0)  # more lane cycles: nothing may be added twice
    assert len(router.find("/ppp/secret", name=customer.pppoe_username)) == 1
    assert len(router.find("/queue/simple", name=customer.customer_code)) == 1
    async with tenant.client() as client:
        answer = await client.get(f"/routers/{device.id}")
    assert answer.json()["data"]["connection_status"] == "online"
