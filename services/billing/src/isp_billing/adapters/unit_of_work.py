from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import UnitOfWork

from isp_billing.adapters.account_repository import SqlAccountRepository
from isp_billing.adapters.invoice_repository import SqlInvoiceRepository
from isp_billing.adapters.ledger import SqlLedger
from isp_billing.adapters.payment_repository import SqlPaymentRepository
from isp_billing.adapters.plan_repository import SqlPlanRepository
from isp_billing.adapters.settings_repository import SqlSettingsRepository


class BillingUnitOfWork(UnitOfWork):
    """One transaction of the billing schema for one tenant (see isp_common.db.UnitOfWork); the
    use cases see it as use_cases.ports.UnitOfWork."""

    plans: SqlPlanRepository
    accounts: SqlAccountRepository
    invoices: SqlInvoiceRepository
    payments: SqlPaymentRepository
    ledger: SqlLedger
    settings: SqlSettingsRepository

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        self.plans = SqlPlanRepository(connection, self.tenant_id)
        self.accounts = SqlAccountRepository(connection, self.tenant_id)
        self.invoices = SqlInvoiceRepository(connection, self.tenant_id)
        self.payments = SqlPaymentRepository(connection, self.tenant_id)
        self.ledger = SqlLedger(connection, self.tenant_id)
        self.settings = SqlSettingsRepository(connection, self.tenant_id)
