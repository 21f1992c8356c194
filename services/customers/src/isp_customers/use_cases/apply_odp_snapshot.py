from __future__ import annotations

from isp_common.contracts.network import OdpSnapshot

from isp_customers.use_cases.ports import UnitOfWork


async def apply_odp_snapshot(uow: UnitOfWork, snapshot: OdpSnapshot) -> bool:
    """Keeps the ODP replica whose capacity placements are checked against."""
    return await uow.odps.upsert(snapshot)
