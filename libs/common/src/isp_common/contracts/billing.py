"""billing.plan.* (service plans with their advanced config), billing.account.* and
billing.settings.* (the tenant's settings other services need: its timezone)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel

from isp_common.contracts import register
from isp_common.money import Money


class PlanAdvancedSnapshot(BaseModel):
    burst_rate_download: int | None = None
    burst_rate_upload: int | None = None
    burst_threshold: int | None = None
    burst_time: int | None = None
    billing_cycle: str = "monthly"
    grace_period_days: int = 0
    queue_type: str | None = None
    queue_name_template: str | None = None
    auto_apply_to_mikrotik: bool = True


class ServicePlanSnapshot(BaseModel):
    id: UUID
    name: str
    description: str | None = None
    bandwidth_download: int  # kbps
    bandwidth_upload: int  # kbps
    monthly_price: Money
    is_active: bool
    advanced: PlanAdvancedSnapshot | None = None
    is_deleted: bool = False
    version: int
    created_at: datetime
    updated_at: datetime


class AccountSnapshot(BaseModel):
    customer_id: UUID
    outstanding_balance: Money
    credit: Money
    due_date: date | None = None
    last_payment_date: date | None = None
    is_overdue: bool
    version: int


class BillingSettingsSnapshot(BaseModel):
    """The tenant's settings others depend on; the aggregate id is the tenant's id."""

    timezone: str  # IANA name: the tenant's calendar dates are this zone's
    currency: str
    version: int
    updated_at: datetime


register("billing.plan.created", ServicePlanSnapshot, "A service plan was created.")
register(
    "billing.plan.updated", ServicePlanSnapshot, "A plan, its advanced config or is_active changed."
)
register("billing.plan.deleted", ServicePlanSnapshot, "A service plan was deleted.")
register(
    "billing.account.updated",
    AccountSnapshot,
    "A customer's balance, due date or payment date changed.",
)
register(
    "billing.account.overdue",
    AccountSnapshot,
    "An invoice is open past due date plus grace period; customers suspends with reason overdue.",
)
register(
    "billing.account.settled",
    AccountSnapshot,
    "An overdue account was paid off; customers restores a customer suspended for overdue.",
)
register(
    "billing.settings.updated",
    BillingSettingsSnapshot,
    "The tenant's billing settings changed; customers dates lifecycle events in its timezone.",
)
