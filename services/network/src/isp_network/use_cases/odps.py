"""ODPs: under an ODC (which has room for a fixed number), holding up to `capacity` customers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from isp_common.contracts.network import ODP_EVENTS

from isp_network.domain.errors import unknown_reference
from isp_network.domain.fiber import (
    NodeKind,
    Occupied,
    Odp,
    ensure_capacity_holds,
    ensure_room_for_one_more,
)
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.fiber_nodes import delete_node, first_version, found, locked
from isp_network.use_cases.ports import UnitOfWork
from isp_network.use_cases.snapshots import odp_snapshot


async def create_odp(uow: UnitOfWork, fields: dict[str, Any]) -> Occupied:
    olt_id = await _make_room_under(uow, fields["odc_id"])
    odp = first_version(Odp, fields)
    await uow.odps.add(odp)
    uow.raise_event(ODP_EVENTS.created, odp.id, odp.version, odp_snapshot(odp, olt_id))
    return Occupied(odp, 0, olt_id)


async def update_odp(uow: UnitOfWork, odp_id: UUID, changes: dict[str, Any]) -> Occupied:
    odp = await locked(uow.odps, NodeKind.ODP, odp_id)
    customers = await uow.odps.count_customers(odp_id)
    if "capacity" in changes:
        ensure_capacity_holds(NodeKind.ODP, changes["capacity"], customers)
    olt_id: UUID | None
    if "odc_id" in changes and changes["odc_id"] != odp.odc_id:
        olt_id = await _make_room_under(uow, changes["odc_id"])
    else:
        olt_id = await uow.odps.olt_of(odp.odc_id)
    updated = odp.changed(changes, utc_now())
    await uow.odps.save(updated)
    uow.raise_event(ODP_EVENTS.updated, updated.id, updated.version, odp_snapshot(updated, olt_id))
    return Occupied(updated, customers, olt_id)


async def delete_odp(uow: UnitOfWork, odp_id: UUID) -> None:
    gone = await delete_node(uow.odps, NodeKind.ODP, odp_id)
    olt_id = await uow.odps.olt_of(gone.odc_id)
    uow.raise_event(
        ODP_EVENTS.deleted, odp_id, gone.version, odp_snapshot(gone, olt_id, deleted=True)
    )


async def get_odp(uow: UnitOfWork, odp_id: UUID) -> Occupied:
    return found(NodeKind.ODP, await uow.odps.occupied(odp_id))


async def _make_room_under(uow: UnitOfWork, odc_id: UUID) -> UUID:
    """Locks the ODC (so two ODPs joining it take turns) and checks it has room; its OLT."""
    odc = await uow.odcs.get(odc_id, for_update=True)
    if odc is None:
        raise unknown_reference("odc_id", "ODC")
    used = await uow.odcs.count_children(odc_id)
    ensure_room_for_one_more(NodeKind.ODC, odc_id, odc.capacity, used)
    return odc.olt_id
