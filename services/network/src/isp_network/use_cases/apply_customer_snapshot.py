"""customers.customer.* → where the customer hangs on the tree; a deleted one's samples go,
and the devices that were theirs go back to the inventory (no longer assigned to anyone)."""

from __future__ import annotations

from uuid import UUID

from isp_common.contracts.customers import CustomerSnapshot
from isp_common.contracts.network import DEVICE_EVENTS

from isp_network.domain.placement import Placement
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.ports import UnitOfWork
from isp_network.use_cases.snapshots import device_snapshot


async def apply_customer_snapshot(uow: UnitOfWork, customer: CustomerSnapshot) -> bool:
    placement = Placement(
        customer_id=customer.id,
        odp_id=customer.odp_id,
        odc_id=customer.odc_id,
        olt_id=customer.olt_id,
        status=customer.status,
        is_deleted=customer.is_deleted,
        version=customer.version,
    )
    applied = await uow.placements.upsert(placement)
    if customer.is_deleted:
        # A deleted customer's monitoring data is purged (docs/properties.md, Property 5). Later
        # samples of theirs are dropped at insert, since the replica knows them as deleted.
        await uow.monitoring.purge_customer(customer.id)
        await _return_devices_to_inventory(uow, customer.id)
    return applied


async def _return_devices_to_inventory(uow: UnitOfWork, customer_id: UUID) -> None:
    for device in await uow.devices.of_customer(customer_id):
        freed = device.changed({"customer_id": None}, utc_now())
        await uow.devices.save(freed)
        uow.raise_event(DEVICE_EVENTS.updated, freed.id, freed.version, device_snapshot(freed))
