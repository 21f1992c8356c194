"""One handler per event type. Each decodes its contract and calls one use case inside the
consumer's unit of work (which also holds the inbox row)."""

from __future__ import annotations

from datetime import timedelta

from isp_common.contracts import decode
from isp_common.contracts.customers import (
    CUSTOMER_PLAN_CHANGED,
    CUSTOMER_SNAPSHOT_TYPES,
    CustomerPlanChanged,
    CustomerSnapshot,
)
from isp_common.contracts.mikrotik import (
    ROUTER_CONNECTION_CHANGED,
    ROUTER_SYNCED,
    TRAFFIC_SAMPLED,
    RouterConnectionChanged,
    RouterSynced,
    TrafficSampled,
)
from isp_common.messaging import consumer
from isp_common.messaging.envelope import Event

from isp_network.use_cases.apply_customer_snapshot import apply_customer_snapshot
from isp_network.use_cases.apply_router_report import (
    apply_connection_changed,
    apply_router_synced,
)
from isp_network.use_cases.ports import UnitOfWork
from isp_network.use_cases.record_samples import record_traffic

Handler = consumer.Handler[UnitOfWork]


async def on_customer(event: Event, uow: UnitOfWork) -> None:
    await apply_customer_snapshot(uow, decode(event, CustomerSnapshot))


async def on_plan_changed(event: Event, uow: UnitOfWork) -> None:
    await apply_customer_snapshot(uow, decode(event, CustomerPlanChanged))


async def on_router_synced(event: Event, uow: UnitOfWork) -> None:
    await apply_router_synced(uow, decode(event, RouterSynced))


async def on_connection_changed(event: Event, uow: UnitOfWork) -> None:
    await apply_connection_changed(uow, decode(event, RouterConnectionChanged))


REPLICA_HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(CUSTOMER_SNAPSHOT_TYPES, on_customer),
    CUSTOMER_PLAN_CHANGED: on_plan_changed,
    ROUTER_SYNCED: on_router_synced,
    ROUTER_CONNECTION_CHANGED: on_connection_changed,
}


def traffic_handlers(retention: timedelta) -> dict[str, Handler]:
    async def on_traffic(event: Event, uow: UnitOfWork) -> None:
        await record_traffic(uow, decode(event, TrafficSampled), retention)

    return {TRAFFIC_SAMPLED: on_traffic}
