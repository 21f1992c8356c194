"""The value rules of invoices, payments and their numbers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from isp_common.errors import InvalidState

from isp_billing.domain.enums import (
    InvoiceKind,
    InvoiceStatus,
    PaymentFor,
    PaymentMethod,
    PaymentStatus,
)
from isp_billing.domain.ledger import (
    Allocation,
    Invoice,
    Payment,
    invoice_number,
    receipt_number,
)

NOW = datetime(2027, 4, 1, tzinfo=UTC)


def test_document_numbers_are_zero_padded_to_six_digits_and_grow_past_them() -> None:
    assert invoice_number(1) == "INV-000001"
    assert receipt_number(42) == "RCP-000042"
    assert invoice_number(1_234_567) == "INV-1234567"


def _invoice(status: InvoiceStatus, total: str, paid: str) -> Invoice:
    return Invoice(
        id=uuid.uuid4(),
        invoice_number="INV-000001",
        customer_id=uuid.uuid4(),
        kind=InvoiceKind.SUBSCRIPTION,
        status=status,
        period_start=date(2027, 4, 1),
        period_end=date(2027, 4, 30),
        issue_date=date(2027, 4, 1),
        due_date=date(2027, 4, 8),
        total=Decimal(total),
        amount_paid=Decimal(paid),
        lines=[],
        void_reason=None,
        voided_at=None,
        created_at=NOW,
        updated_at=NOW,
    )


def test_an_invoice_owes_what_is_not_yet_paid() -> None:
    assert _invoice(InvoiceStatus.OPEN, "150000.00", "50000.50").balance_due == Decimal("99999.50")
    assert _invoice(InvoiceStatus.PAID, "150000.00", "150000.00").balance_due == Decimal("0.00")


def test_a_void_invoice_owes_nothing_whatever_was_paid() -> None:
    assert _invoice(InvoiceStatus.VOID, "150000.00", "0.00").balance_due == Decimal("0.00")


def _payment(status: PaymentStatus, amount: str, *allocated: str) -> Payment:
    return Payment(
        id=uuid.uuid4(),
        receipt_number="RCP-000001",
        customer_id=uuid.uuid4(),
        payment_date=date(2027, 4, 2),
        amount=Decimal(amount),
        payment_method=PaymentMethod.CASH,
        payment_for=PaymentFor.MONTHLY_SUBSCRIPTION,
        period_month=None,
        period_year=None,
        reference_number=None,
        notes=None,
        processed_by=None,
        status=status,
        void_reason=None,
        voided_at=None,
        voided_by=None,
        created_at=NOW,
        allocations=[
            Allocation(uuid.uuid4(), f"INV-00000{i}", Decimal(a)) for i, a in enumerate(allocated)
        ],
    )


def test_what_a_payment_does_not_settle_is_credit() -> None:
    payment = _payment(PaymentStatus.COMPLETED, "200000.00", "150000.00", "25000.25")
    assert payment.allocated == Decimal("175000.25")
    assert payment.unallocated == Decimal("24999.75")


def test_a_payment_without_allocations_is_all_credit() -> None:
    payment = _payment(PaymentStatus.COMPLETED, "50000.00")
    assert payment.allocated == Decimal("0.00")
    assert payment.unallocated == Decimal("50000.00")


def test_a_void_payment_leaves_no_credit() -> None:
    assert _payment(PaymentStatus.VOID, "200000.00", "150000.00").unallocated == Decimal("0.00")


def test_a_payment_is_voided_once() -> None:
    _payment(PaymentStatus.COMPLETED, "10.00").ensure_voidable()
    with pytest.raises(InvalidState) as refused:
        _payment(PaymentStatus.VOID, "10.00").ensure_voidable()
    assert refused.value.details == {"current_state": "void", "requested_state": "void"}
