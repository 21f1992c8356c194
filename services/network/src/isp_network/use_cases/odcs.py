"""ODCs: under an OLT, holding up to `capacity` ODPs."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from isp_common.contracts.network import ODC_EVENTS, ODP_EVENTS

from isp_network.domain.errors import unknown_reference
from isp_network.domain.fiber import NodeKind, Occupied, Odc, ensure_capacity_holds
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.fiber_nodes import delete_node, first_version, found, locked
from isp_network.use_cases.ports import UnitOfWork
from isp_network.use_cases.snapshots import odc_snapshot, odp_snapshot


async def create_odc(uow: UnitOfWork, fields: dict[str, Any]) -> Occupied:
    await _ensure_olt(uow, fields["olt_id"])
    odc = first_version(Odc, fields)
    await uow.odcs.add(odc)
    uow.raise_event(ODC_EVENTS.created, odc.id, odc.version, odc_snapshot(odc))
    return Occupied(odc, 0)


async def update_odc(uow: UnitOfWork, odc_id: UUID, changes: dict[str, Any]) -> Occupied:
    # The lock makes a capacity change and an ODP joining this ODC take turns.
    odc = await locked(uow.odcs, NodeKind.ODC, odc_id)
    odps = await uow.odcs.count_children(odc_id)
    if "capacity" in changes:
        ensure_capacity_holds(NodeKind.ODC, changes["capacity"], odps)
    moved = "olt_id" in changes and changes["olt_id"] != odc.olt_id
    if moved:
        await _ensure_olt(uow, changes["olt_id"])
    updated = odc.changed(changes, utc_now())
    await uow.odcs.save(updated)
    uow.raise_event(ODC_EVENTS.updated, updated.id, updated.version, odc_snapshot(updated))
    if moved:
        await _republish_odps(uow, updated)
    return Occupied(updated, odps)


async def delete_odc(uow: UnitOfWork, odc_id: UUID) -> None:
    gone = await delete_node(uow.odcs, NodeKind.ODC, odc_id)
    uow.raise_event(ODC_EVENTS.deleted, odc_id, gone.version, odc_snapshot(gone, deleted=True))


async def get_odc(uow: UnitOfWork, odc_id: UUID) -> Occupied:
    return found(NodeKind.ODC, await uow.odcs.occupied(odc_id))


async def _republish_odps(uow: UnitOfWork, odc: Odc) -> None:
    """An ODP's snapshot names its OLT: moving the ODC to another OLT changes each of them."""
    for odp in await uow.odps.under(odc.id):
        moved = odp.changed({}, utc_now())
        await uow.odps.save(moved)
        uow.raise_event(
            ODP_EVENTS.updated, moved.id, moved.version, odp_snapshot(moved, odc.olt_id)
        )


async def _ensure_olt(uow: UnitOfWork, olt_id: UUID) -> None:
    if await uow.olts.get(olt_id) is None:
        raise unknown_reference("olt_id", "OLT")
