"""What the use cases need from the outside world, as protocols; adapters/ implements them and
bootstrap.py hands the use cases the concrete unit of work."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from isp_common.contracts.customers import CustomerSnapshot
from isp_common.pagination import Page, PageRequest
from isp_common.transaction import Transaction

from isp_billing.domain.cycles import MAX_PERIODS_PER_RUN
from isp_billing.domain.enums import RevenueGrouping
from isp_billing.domain.ledger import Account, Invoice, IssuedInvoices, Payment, RevenueGroup
from isp_billing.domain.listing import InvoiceFilter, PaymentFilter, PlanFilter
from isp_billing.domain.plans import ChangelogEntry, FieldChange, ServicePlan
from isp_billing.domain.settings import BillingSettings, TenantProfile


class PlanRepository(Protocol):
    async def add(self, plan: ServicePlan) -> None: ...

    async def save(self, plan: ServicePlan) -> None: ...

    async def delete(self, plan_id: UUID, now: datetime) -> None: ...

    async def get(self, plan_id: UUID, *, for_update: bool = False) -> ServicePlan | None:
        """A plan that is not deleted; `for_update` locks it until commit."""
        ...

    async def page(self, where: PlanFilter, request: PageRequest) -> Page[ServicePlan]: ...

    async def customers_using(self, plan_id: UUID) -> int:
        """Customers on this plan that still hold a subscription."""
        ...

    async def add_changelog(
        self, plan_id: UUID, changes: list[FieldChange], by: str | None, at: datetime
    ) -> None: ...

    async def changelog(self, plan_id: UUID) -> list[ChangelogEntry]: ...


class AccountRepository(Protocol):
    async def upsert_customer(
        self, customer: CustomerSnapshot, default_cycle_months: int
    ) -> None: ...

    async def get(self, customer_id: UUID, *, for_update: bool = False) -> Account | None: ...

    async def start_billing(self, customer_id: UUID, anchor: date, cycle_months: int) -> None: ...

    async def reanchor(self, customer_id: UUID, cycle_months: int) -> None:
        """A new cycle starts where the billed periods end."""
        ...

    async def reanchor_plan(self, plan_id: UUID, cycle_months: int) -> None: ...


class InvoiceRepository(Protocol):
    async def add(self, invoice: Invoice, source_key: str) -> bool:
        """False when an invoice of that source already exists (a redelivered event)."""
        ...

    async def source_exists(self, customer_id: UUID, source_key: str) -> bool: ...

    async def subscription_covering(self, customer_id: UUID, day: date) -> Invoice | None: ...

    async def void_open(self, customer_id: UUID, reason: str) -> int: ...

    async def get(self, invoice_id: UUID) -> Invoice | None: ...

    async def page(self, where: InvoiceFilter, request: PageRequest) -> Page[Invoice]: ...


class PaymentRepository(Protocol):
    async def add(self, payment: Payment) -> None: ...

    async def get(self, payment_id: UUID, *, for_update: bool = False) -> Payment | None: ...

    async def void(self, payment_id: UUID, reason: str, by: str) -> None: ...

    async def page(self, where: PaymentFilter, request: PageRequest) -> Page[Payment]: ...

    async def revenue(
        self, date_from: date, date_to: date, group_by: RevenueGrouping
    ) -> list[RevenueGroup]: ...


class Ledger(Protocol):
    """The set-based statements: each costs the same for one customer or all of the tenant's."""

    async def issue_due_invoices(
        self,
        as_of: date,
        due_days: int,
        only: list[UUID] | None = None,
        max_periods: int = MAX_PERIODS_PER_RUN,
        *,
        opening: bool = False,
    ) -> IssuedInvoices: ...

    async def reallocate(self, customer_ids: list[UUID]) -> None: ...

    async def refresh_accounts(
        self, customer_ids: list[UUID] | None, *, overdue_as_of: date | None
    ) -> dict[str, int]:
        """Recomputes the accounts (all when `customer_ids` is None) and publishes their
        events; answers the number of events per type."""
        ...


class SettingsRepository(Protocol):
    async def get(self) -> BillingSettings:
        """The stored settings, or the defaults."""
        ...

    async def ensure(self) -> None: ...

    async def put(
        self,
        new: BillingSettings,
        *,
        own_fields: frozenset[str] | None = None,
        profile: TenantProfile | None = None,
    ) -> tuple[int, datetime]:
        """Answers the settings' new version and update time. `own_fields` (None: unchanged)
        are the seeded fields the tenant set itself; `profile` the tenant profile applied."""
        ...

    async def seed_state(self) -> tuple[frozenset[str], TenantProfile | None]:
        """The seeded fields the tenant set itself and the last tenant profile applied,
        locked until commit."""
        ...

    async def remember_profile(self, profile: TenantProfile) -> None: ...

    async def mark_daily_run(self, day: date) -> None: ...


class UnitOfWork(Transaction, Protocol):
    tenant_id: UUID

    @property
    def plans(self) -> PlanRepository: ...

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def invoices(self) -> InvoiceRepository: ...

    @property
    def payments(self) -> PaymentRepository: ...

    @property
    def ledger(self) -> Ledger: ...

    @property
    def settings(self) -> SettingsRepository: ...

    async def next_number(self, counter: str) -> int: ...
