"""What the API shows of plans, invoices, payments, accounts and reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, JsonValue

from isp_common.money import Money

from isp_billing.domain.enums import (
    InvoiceKind,
    InvoiceStatus,
    PaymentFor,
    PaymentMethod,
    PaymentStatus,
    RevenueGrouping,
)
from isp_billing.domain.ledger import Account, Invoice, Payment
from isp_billing.domain.plans import AdvancedConfig, ServicePlan
from isp_billing.domain.settings import BillingSettings
from isp_billing.use_cases.get_plan import PlanDetail
from isp_billing.use_cases.revenue_report import Revenue


class AdvancedOut(AdvancedConfig):
    service_plan_id: UUID
    created_at: datetime | None
    updated_at: datetime | None


class ChangelogOut(BaseModel):
    id: UUID
    field: str
    old_value: JsonValue
    new_value: JsonValue
    changed_by: str | None
    changed_at: datetime


class PlanOut(BaseModel):
    id: UUID
    name: str
    description: str | None
    bandwidth_download: int
    bandwidth_upload: int
    monthly_price: Money
    is_active: bool
    is_deleted: bool = False
    version: int
    created_at: datetime
    updated_at: datetime
    advanced: AdvancedOut | None


class PlanDetailOut(PlanOut):
    changelog: list[ChangelogOut]


def present_plan(plan: ServicePlan) -> PlanOut:
    return PlanOut.model_validate(_plan_values(plan))


def present_plan_detail(detail: PlanDetail) -> PlanDetailOut:
    return PlanDetailOut.model_validate(
        {**_plan_values(detail.plan), "changelog": [vars(c) for c in detail.changelog]}
    )


def _plan_values(plan: ServicePlan) -> dict[str, Any]:
    values: dict[str, Any] = {**vars(plan)}
    if plan.advanced is not None:
        values["advanced"] = {
            **plan.advanced.model_dump(),
            "service_plan_id": plan.id,
            "created_at": plan.advanced_created_at,
            "updated_at": plan.advanced_updated_at,
        }
    return values


class InvoiceOut(BaseModel):
    id: UUID
    invoice_number: str
    customer_id: UUID
    kind: InvoiceKind
    status: InvoiceStatus
    period_start: date
    period_end: date
    issue_date: date
    due_date: date
    total: Money
    amount_paid: Money
    balance_due: Money
    lines: list[dict[str, JsonValue]]
    void_reason: str | None
    voided_at: datetime | None
    created_at: datetime
    updated_at: datetime


def present_invoice(invoice: Invoice) -> InvoiceOut:
    return InvoiceOut.model_validate({**vars(invoice), "balance_due": invoice.balance_due})


class AllocationOut(BaseModel):
    invoice_id: UUID
    invoice_number: str
    amount: Money


class PaymentOut(BaseModel):
    id: UUID
    receipt_number: str
    receipt_url: str
    customer_id: UUID
    payment_date: date
    amount: Money
    payment_method: PaymentMethod
    payment_for: PaymentFor
    period_month: int | None
    period_year: int | None
    reference_number: str | None
    notes: str | None
    processed_by: str | None
    status: PaymentStatus
    void_reason: str | None
    voided_at: datetime | None
    voided_by: str | None
    created_at: datetime
    allocations: list[AllocationOut]
    unallocated: Money


def receipt_url(payment_id: UUID) -> str:
    return f"/api/v1/payments/{payment_id}/receipt"


def present_payment(payment: Payment) -> PaymentOut:
    return PaymentOut.model_validate(
        {
            **vars(payment),
            "allocations": [vars(a) for a in payment.allocations],
            "receipt_url": receipt_url(payment.id),
            "unallocated": payment.unallocated,
        }
    )


class AccountOut(BaseModel):
    customer_id: UUID
    customer_code: str | None
    full_name: str | None
    status: str
    service_plan_id: UUID | None
    billing_cycle_months: int
    anchor_date: date | None
    next_period_start: date | None
    outstanding_balance: Money
    credit: Money
    due_date: date | None
    last_payment_date: date | None
    is_overdue: bool
    version: int


def present_account(account: Account) -> AccountOut:
    return AccountOut.model_validate(
        {**vars(account), "billing_cycle_months": account.cycle_months}
    )


class RevenueGroupOut(BaseModel):
    key: str
    amount: Money
    count: int


class RevenueOut(BaseModel):
    date_from: date
    date_to: date
    group_by: RevenueGrouping
    currency: str
    total: Money
    count: int
    groups: list[RevenueGroupOut]


def present_revenue(report: Revenue) -> RevenueOut:
    return RevenueOut.model_validate({**vars(report), "groups": [vars(g) for g in report.groups]})


class SettingsOut(BillingSettings):
    pass


class RunOut(BaseModel):
    as_of: date
    invoices_issued: int
    customers_billed: int


class OverdueOut(BaseModel):
    as_of: date
    became_overdue: int
    settled: int
