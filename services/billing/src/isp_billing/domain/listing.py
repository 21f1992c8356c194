"""What a list of plans, invoices or payments may be narrowed to (the routes' query parameters)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from isp_billing.domain.enums import InvoiceStatus, PaymentMethod, PaymentStatus


@dataclass(frozen=True)
class PlanFilter:
    search: str | None = None
    is_active: bool | None = None


@dataclass(frozen=True)
class InvoiceFilter:
    customer_id: UUID | None = None
    status: InvoiceStatus | None = None
    period: str | None = None  # YYYY-MM: the month the period starts in


@dataclass(frozen=True)
class PaymentFilter:
    customer_id: UUID | None = None
    status: PaymentStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    payment_method: PaymentMethod | None = None
