"""Events into desired state: each handler upserts the agent's replica and wakes the lanes."""

from __future__ import annotations

from datetime import UTC, datetime

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.boost import BoostSnapshot
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.contracts.network import DeviceSnapshot

from isp_mikrotik_agent.use_cases.ports import UnitOfWork

BOOST_RUNNING = "activated"


async def apply_customer(uow: UnitOfWork, customer: CustomerSnapshot) -> None:
    """A subscriber goes to the router the customer names, else to the tenant's default."""
    target = customer.router_id or await uow.routers.default_router_id()
    await uow.desired.upsert_customer(customer, target, datetime.now(UTC))
    await uow.desired.notify()


async def apply_plan(uow: UnitOfWork, plan: ServicePlanSnapshot) -> None:
    if await uow.desired.upsert_plan(plan):
        await uow.desired.notify()


async def apply_device(uow: UnitOfWork, device: DeviceSnapshot) -> None:
    changed, default_changed = await uow.routers.upsert_device(device, datetime.now(UTC))
    if default_changed:
        await uow.desired.retarget_default(await uow.routers.default_router_id())
    if changed:
        await uow.desired.notify()


async def apply_boost(uow: UnitOfWork, boost: BoostSnapshot) -> None:
    now = datetime.now(UTC)
    if boost.status == BOOST_RUNNING and (boost.expires_at is None or boost.expires_at > now):
        speeds = (boost.requested_speed_upload, boost.requested_speed_download)
        await uow.desired.set_boost(boost.customer_id, boost.id, speeds, boost.expires_at, now)
    else:
        await uow.desired.set_boost(boost.customer_id, boost.id, None, None, now)
    await uow.desired.notify()
