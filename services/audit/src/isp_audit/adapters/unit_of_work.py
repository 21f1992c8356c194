from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import UnitOfWork

from isp_audit.adapters.audit_repository import SqlAuditLog


class AuditUnitOfWork(UnitOfWork):
    """One transaction of the audit schema for one tenant (see isp_common.db.UnitOfWork)."""

    audit_logs: SqlAuditLog

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        self.audit_logs = SqlAuditLog(connection, self.tenant_id)
