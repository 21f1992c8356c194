"""The `mikrotik-agent.desired` queue: customer, plan, device and boost events into desired
state. Any replica consumes it; the lanes (wherever they run) are woken by NOTIFY."""

from __future__ import annotations

from isp_common.contracts import decode
from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.boost import BoostSnapshot
from isp_common.contracts.customers import (
    CUSTOMER_PLAN_CHANGED,
    CUSTOMER_SNAPSHOT_TYPES,
    CustomerPlanChanged,
    CustomerSnapshot,
)
from isp_common.contracts.network import DEVICE_EVENTS, DeviceSnapshot
from isp_common.messaging.consumer import Consumer, Handler
from isp_common.messaging.envelope import Event
from isp_common.messaging.topology import queue_spec

from isp_mikrotik_agent.adapters.unit_of_work import AgentUnitOfWork
from isp_mikrotik_agent.bootstrap import Runtime
from isp_mikrotik_agent.use_cases.apply_events import (
    apply_boost,
    apply_customer,
    apply_device,
    apply_plan,
)


async def on_customer(event: Event, uow: AgentUnitOfWork) -> None:
    await apply_customer(uow, decode(event, CustomerSnapshot))


async def on_plan_changed(event: Event, uow: AgentUnitOfWork) -> None:
    await apply_customer(uow, decode(event, CustomerPlanChanged))


async def on_plan(event: Event, uow: AgentUnitOfWork) -> None:
    await apply_plan(uow, decode(event, ServicePlanSnapshot))


async def on_device(event: Event, uow: AgentUnitOfWork) -> None:
    await apply_device(uow, decode(event, DeviceSnapshot))


async def on_boost(event: Event, uow: AgentUnitOfWork) -> None:
    await apply_boost(uow, decode(event, BoostSnapshot))


def handlers() -> dict[str, Handler[AgentUnitOfWork]]:
    table: dict[str, Handler[AgentUnitOfWork]] = dict.fromkeys(CUSTOMER_SNAPSHOT_TYPES, on_customer)
    table[CUSTOMER_PLAN_CHANGED] = on_plan_changed
    for verb in ("created", "updated", "deleted"):
        table[f"billing.plan.{verb}"] = on_plan
        table[getattr(DEVICE_EVENTS, verb)] = on_device
    for verb in ("activated", "ended"):
        table[f"boost.boost.{verb}"] = on_boost
    return table


def desired_consumer(runtime: Runtime) -> Consumer[AgentUnitOfWork]:
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("mikrotik-agent", "desired"),
        handlers=handlers(),
        uow_factory=runtime.unit_of_work,
    )
