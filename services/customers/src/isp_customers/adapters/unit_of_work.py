from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import UnitOfWork

from isp_customers.adapters.customer_repository import SqlCustomerRepository
from isp_customers.adapters.replica_repositories import (
    SqlAccountReplica,
    SqlOdpReplica,
    SqlProvisioningReplica,
    SqlServicePlanReplica,
)
from isp_customers.adapters.settings_replica import SqlTenantSettingsReplica


class CustomersUnitOfWork(UnitOfWork):
    """One transaction of the customers schema for one tenant (see isp_common.db.UnitOfWork)."""

    customers: SqlCustomerRepository
    service_plans: SqlServicePlanReplica
    odps: SqlOdpReplica
    accounts: SqlAccountReplica
    provisioning: SqlProvisioningReplica
    tenant_settings: SqlTenantSettingsReplica

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        self.customers = SqlCustomerRepository(connection, self.tenant_id)
        self.service_plans = SqlServicePlanReplica(connection, self.tenant_id)
        self.odps = SqlOdpReplica(connection, self.tenant_id)
        self.accounts = SqlAccountReplica(connection, self.tenant_id)
        self.provisioning = SqlProvisioningReplica(connection, self.tenant_id)
        self.tenant_settings = SqlTenantSettingsReplica(connection, self.tenant_id)
