from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import UnitOfWork

from isp_boost.adapters.history_repository import SqlBoostHistoryRepository
from isp_boost.adapters.pricing_repository import SqlPricingRepository
from isp_boost.adapters.replica_repositories import SqlCustomerReplica, SqlServicePlanReplica
from isp_boost.adapters.request_repository import SqlBoostRequestRepository


class BoostUnitOfWork(UnitOfWork):
    """One transaction of the boost schema for one tenant (see isp_common.db.UnitOfWork)."""

    requests: SqlBoostRequestRepository
    history: SqlBoostHistoryRepository
    pricing: SqlPricingRepository
    customers: SqlCustomerReplica
    service_plans: SqlServicePlanReplica

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        self.requests = SqlBoostRequestRepository(connection, self.tenant_id)
        self.history = SqlBoostHistoryRepository(connection, self.tenant_id)
        self.pricing = SqlPricingRepository(connection, self.tenant_id)
        self.customers = SqlCustomerReplica(connection, self.tenant_id)
        self.service_plans = SqlServicePlanReplica(connection, self.tenant_id)
