"""The closed vocabularies of billing (docs/billing.md)."""

from __future__ import annotations

from enum import StrEnum


class PaymentMethod(StrEnum):
    CASH = "cash"
    TRANSFER = "transfer"
    E_WALLET = "e-wallet"
    CREDIT_CARD = "credit_card"


class PaymentFor(StrEnum):
    MONTHLY_SUBSCRIPTION = "monthly_subscription"
    INSTALLATION = "installation"
    SPEED_BOOST = "speed_boost"
    OTHER = "other"


class PaymentStatus(StrEnum):
    COMPLETED = "completed"
    VOID = "void"


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    VOID = "void"


class InvoiceKind(StrEnum):
    SUBSCRIPTION = "subscription"  # one period of the plan, billed in advance
    PRORATION = "proration"  # the rest of a period after an upgrade mid-cycle
    SPEED_BOOST = "speed_boost"  # one activated boost


class RevenueGrouping(StrEnum):
    MONTH = "month"
    PAYMENT_METHOD = "payment_method"
    PAYMENT_FOR = "payment_for"
