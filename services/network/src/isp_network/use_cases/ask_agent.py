"""Asking the agent about a router now: test its connection, or reconcile it (202).

No transaction is held while the agent is asked: the device is read in one unit of work, and
what the answer says about it is written in another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from isp_network.domain.devices import ConnectionStatus, ConnectionTest, Device, RouterReport
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.devices import get_device
from isp_network.use_cases.ports import Agent, UnitOfWork


@dataclass(frozen=True)
class SyncRequested:
    device_id: UUID
    requested_at: datetime


async def test_connection(
    units: Callable[[], UnitOfWork], agent: Agent, device_id: UUID, bearer: str | None
) -> ConnectionTest:
    device = await _manageable(units, device_id)
    result = await agent.test_connection(device.id, bearer)
    async with units() as uow:
        report = RouterReport(device.id, utc_now(), connection_status=ConnectionStatus.ONLINE)
        await uow.devices.record_report(report)
        await uow.commit()
    return result


async def request_sync(
    units: Callable[[], UnitOfWork], agent: Agent, device_id: UUID, bearer: str | None
) -> SyncRequested:
    """The result arrives later as mikrotik.router.synced (see apply_router_report)."""
    device = await _manageable(units, device_id)
    requested_at = utc_now()
    await agent.request_sync(device.id, bearer)
    return SyncRequested(device.id, requested_at)


async def _manageable(units: Callable[[], UnitOfWork], device_id: UUID) -> Device:
    async with units() as uow:
        device = await get_device(uow, device_id)
    device.ensure_manageable()
    return device
