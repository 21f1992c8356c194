"""mikrotik.router.synced / connection_changed → the device's sync result and connection."""

from __future__ import annotations

from isp_common.contracts.mikrotik import RouterConnectionChanged, RouterSynced

from isp_network.domain.devices import ConnectionStatus, RouterReport
from isp_network.use_cases.ports import UnitOfWork


async def apply_router_synced(uow: UnitOfWork, synced: RouterSynced) -> bool:
    result = {
        "ok": synced.ok,
        "added": synced.added,
        "updated": synced.updated,
        "removed": synced.removed,
        "error": synced.error,
    }
    # Having synced, the agent did reach the router.
    status = ConnectionStatus.ONLINE if synced.ok else None
    report = RouterReport(synced.router_id, synced.at, status, sync_result=result)
    return await uow.devices.record_report(report)


async def apply_connection_changed(uow: UnitOfWork, changed: RouterConnectionChanged) -> bool:
    try:
        status = ConnectionStatus(changed.connection_status)
    except ValueError:
        status = ConnectionStatus.UNKNOWN
    return await uow.devices.record_report(RouterReport(changed.router_id, changed.at, status))
