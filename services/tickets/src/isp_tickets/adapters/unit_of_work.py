from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import UnitOfWork

from isp_tickets.adapters.replica_repositories import SqlCustomerReplica, SqlSlaPolicies
from isp_tickets.adapters.ticket_repository import SqlTicketRepository


class TicketsUnitOfWork(UnitOfWork):
    """One transaction of the tickets schema for one tenant (see isp_common.db.UnitOfWork)."""

    tickets: SqlTicketRepository
    sla_policies: SqlSlaPolicies
    customers: SqlCustomerReplica

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        self.tickets = SqlTicketRepository(connection, self.tenant_id)
        self.sla_policies = SqlSlaPolicies(connection, self.tenant_id)
        self.customers = SqlCustomerReplica(connection, self.tenant_id)
