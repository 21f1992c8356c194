"""ODCs: under an OLT, holding up to `capacity` ODPs."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from isp_common.errors import NotFound

from isp_network.domain.errors import unknown_reference
from isp_network.domain.fiber import (
    NodeKind,
    Occupied,
    Odc,
    ensure_capacity_holds,
    ensure_deletable,
)
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.ports import UnitOfWork
from isp_network.use_cases.snapshots import odc_snapshot, odp_snapshot


async def create_odc(uow: UnitOfWork, fields: dict[str, Any]) -> Occupied:
    await _ensure_olt(uow, fields["olt_id"])
    now = utc_now()
    odc = Odc(id=uuid.uuid4(), version=1, created_at=now, updated_at=now, **fields)
    await uow.odcs.add(odc)
    uow.raise_event("network.odc.created", odc.id, odc.version, odc_snapshot(odc))
    return Occupied(odc, 0)


async def update_odc(uow: UnitOfWork, odc_id: UUID, changes: dict[str, Any]) -> Occupied:
    # The lock makes a capacity change and an ODP joining this ODC take turns.
    odc = await _locked(uow, odc_id)
    odps = await uow.odcs.count_children(odc_id)
    if "capacity" in changes:
        ensure_capacity_holds(NodeKind.ODC, changes["capacity"], odps)
    moved = "olt_id" in changes and changes["olt_id"] != odc.olt_id
    if moved:
        await _ensure_olt(uow, changes["olt_id"])
    updated = odc.changed(changes, utc_now())
    await uow.odcs.save(updated)
    uow.raise_event("network.odc.updated", updated.id, updated.version, odc_snapshot(updated))
    if moved:
        await _republish_odps(uow, updated)
    return Occupied(updated, odps)


async def delete_odc(uow: UnitOfWork, odc_id: UUID) -> None:
    odc = await _locked(uow, odc_id)
    ensure_deletable(
        NodeKind.ODC,
        odc_id,
        await uow.odcs.count_children(odc_id),
        await uow.odcs.count_customers(odc_id),
    )
    await uow.odcs.delete(odc_id)
    gone = odc.changed({}, utc_now())
    uow.raise_event("network.odc.deleted", odc_id, gone.version, odc_snapshot(gone, deleted=True))


async def get_odc(uow: UnitOfWork, odc_id: UUID) -> Occupied:
    found = await uow.odcs.occupied(odc_id)
    if found is None:
        raise NotFound("ODC")
    return found


async def _republish_odps(uow: UnitOfWork, odc: Odc) -> None:
    """An ODP's snapshot names its OLT: moving the ODC to another OLT changes each of them."""
    for odp in await uow.odps.under(odc.id):
        moved = odp.changed({}, utc_now())
        await uow.odps.save(moved)
        uow.raise_event(
            "network.odp.updated", moved.id, moved.version, odp_snapshot(moved, odc.olt_id)
        )


async def _ensure_olt(uow: UnitOfWork, olt_id: UUID) -> None:
    if await uow.olts.get(olt_id) is None:
        raise unknown_reference("olt_id", "OLT")


async def _locked(uow: UnitOfWork, odc_id: UUID) -> Odc:
    odc = await uow.odcs.get(odc_id, for_update=True)
    if odc is None:
        raise NotFound("ODC")
    return odc
