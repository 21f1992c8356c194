from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import Database, UnitOfWork

from isp_network.adapters.device_repository import SqlDeviceRepository
from isp_network.adapters.fiber_repository import (
    SqlOdcRepository,
    SqlOdpRepository,
    SqlOltRepository,
)
from isp_network.adapters.monitoring_repository import SqlMonitoringRepository
from isp_network.adapters.partitions import SamplePartitions
from isp_network.adapters.placement_replica import SqlPlacementReplica


class NetworkUnitOfWork(UnitOfWork):
    """One transaction of the network schema for one tenant (see isp_common.db.UnitOfWork)."""

    olts: SqlOltRepository
    odcs: SqlOdcRepository
    odps: SqlOdpRepository
    devices: SqlDeviceRepository
    placements: SqlPlacementReplica
    monitoring: SqlMonitoringRepository

    def __init__(self, db: Database, tenant_id: UUID, partitions: SamplePartitions) -> None:
        super().__init__(db, tenant_id)
        self._partitions = partitions

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        self.olts = SqlOltRepository(connection, self.tenant_id)
        self.odcs = SqlOdcRepository(connection, self.tenant_id)
        self.odps = SqlOdpRepository(connection, self.tenant_id)
        self.devices = SqlDeviceRepository(connection, self.tenant_id)
        self.placements = SqlPlacementReplica(connection, self.tenant_id)
        self.monitoring = SqlMonitoringRepository(connection, self.tenant_id, self._partitions)
