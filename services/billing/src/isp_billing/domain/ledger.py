"""What the ledger holds: invoices, payments and their allocations, and an account's state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from isp_common.errors import InvalidState

from isp_billing.domain.enums import (
    InvoiceKind,
    InvoiceStatus,
    PaymentFor,
    PaymentMethod,
    PaymentStatus,
)

ZERO = Decimal("0.00")
INVOICE_COUNTER = "invoice"
RECEIPT_COUNTER = "receipt"


def invoice_number(n: int) -> str:
    return f"INV-{n:06d}"


def receipt_number(n: int) -> str:
    return f"RCP-{n:06d}"


@dataclass(frozen=True, kw_only=True)
class Invoice:
    id: UUID
    invoice_number: str
    customer_id: UUID
    kind: InvoiceKind
    status: InvoiceStatus
    period_start: date
    period_end: date
    issue_date: date
    due_date: date
    total: Decimal
    amount_paid: Decimal
    lines: list[dict[str, Any]]
    void_reason: str | None
    voided_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def balance_due(self) -> Decimal:
        return ZERO if self.status is InvoiceStatus.VOID else self.total - self.amount_paid


@dataclass(frozen=True)
class Allocation:
    invoice_id: UUID
    invoice_number: str
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class Payment:
    id: UUID
    receipt_number: str
    customer_id: UUID
    payment_date: date
    amount: Decimal
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
    allocations: list[Allocation] = field(default_factory=list)

    @property
    def allocated(self) -> Decimal:
        return sum((a.amount for a in self.allocations), ZERO)

    @property
    def unallocated(self) -> Decimal:
        """What this payment leaves as the account's credit."""
        return ZERO if self.status is PaymentStatus.VOID else self.amount - self.allocated

    def ensure_voidable(self) -> None:
        if self.status is PaymentStatus.VOID:
            raise InvalidState(
                self.status.value, PaymentStatus.VOID.value, "payment is already void"
            )


@dataclass(frozen=True, kw_only=True)
class Account:
    customer_id: UUID
    customer_code: str | None
    full_name: str | None
    status: str
    service_plan_id: UUID | None
    is_deleted: bool
    cycle_months: int
    anchor_date: date | None
    periods_billed: int
    next_period_start: date | None
    outstanding_balance: Decimal
    credit: Decimal
    due_date: date | None
    last_payment_date: date | None
    is_overdue: bool
    version: int


@dataclass(frozen=True)
class IssuedInvoices:
    """What one billing run issued: the customers billed, and those of them holding credit."""

    issued: int
    customers: list[UUID]
    with_credit: list[UUID]


@dataclass(frozen=True)
class RevenueGroup:
    key: str
    amount: Decimal
    count: int
