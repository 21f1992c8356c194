from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import UnitOfWork

from isp_billing.adapters.account_repository import SqlAccountRepository
from isp_billing.adapters.ledger import SqlLedger
from isp_billing.adapters.plan_repository import SqlPlanRepository
from isp_billing.adapters.settings_repository import SqlSettingsRepository


class BillingUnitOfWork(UnitOfWork):
    """One transaction of the billing schema for one tenant (see isp_common.db.UnitOfWork)."""

    plans: SqlPlanRepository
    accounts: SqlAccountRepository
    ledger: SqlLedger
    settings: SqlSettingsRepository

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        self.plans = SqlPlanRepository(connection, self.tenant_id)
        self.accounts = SqlAccountRepository(connection, self.tenant_id)
        self.ledger = SqlLedger(connection, self.tenant_id)
        self.settings = SqlSettingsRepository(connection, self.tenant_id)
