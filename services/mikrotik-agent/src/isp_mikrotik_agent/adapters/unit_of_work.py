from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import UnitOfWork

from isp_mikrotik_agent.adapters.desired_repository import SqlDesiredState
from isp_mikrotik_agent.adapters.operation_log import SqlOperationLog
from isp_mikrotik_agent.adapters.router_repository import SqlRouters


class AgentUnitOfWork(UnitOfWork):
    """One transaction of the mikrotik_agent schema for one tenant."""

    routers: SqlRouters
    desired: SqlDesiredState
    operations: SqlOperationLog

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        self.routers = SqlRouters(connection, self.tenant_id)
        self.desired = SqlDesiredState(connection, self.tenant_id)
        self.operations = SqlOperationLog(connection, self.tenant_id)
