from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from isp_common.errors import NotFound

from isp_billing.domain.dates import check_payment_date
from isp_billing.domain.enums import PaymentFor, PaymentMethod, PaymentStatus
from isp_billing.domain.ledger import RECEIPT_COUNTER, Payment, receipt_number
from isp_billing.use_cases.clock import actor_sub, utc_now
from isp_billing.use_cases.ports import UnitOfWork
from isp_billing.use_cases.settle import resettle


@dataclass(frozen=True)
class NewPayment:
    customer_id: UUID
    amount: Decimal
    payment_method: PaymentMethod
    payment_for: PaymentFor
    period_month: int | None = None
    period_year: int | None = None
    reference_number: str | None = None
    notes: str | None = None
    payment_date: date | None = None


async def record_payment(uow: UnitOfWork, new: NewPayment) -> Payment:
    """Allocated to the open invoices oldest first; what is left is credit for the next ones.
    Paying off an overdue account settles it."""
    today = (await uow.settings.get()).today()
    if new.payment_date is not None:
        check_payment_date(new.payment_date, today)
    account = await uow.accounts.get(new.customer_id, for_update=True)
    if account is None or account.is_deleted:
        raise NotFound("customer")
    payment_id = uuid.uuid4()
    await uow.payments.add(
        Payment(
            id=payment_id,
            receipt_number=receipt_number(await uow.next_number(RECEIPT_COUNTER)),
            customer_id=new.customer_id,
            payment_date=new.payment_date or today,
            amount=new.amount,
            payment_method=new.payment_method,
            payment_for=new.payment_for,
            period_month=new.period_month,
            period_year=new.period_year,
            reference_number=new.reference_number,
            notes=new.notes,
            processed_by=actor_sub(),
            status=PaymentStatus.COMPLETED,
            void_reason=None,
            voided_at=None,
            voided_by=None,
            created_at=utc_now(),
        )
    )
    await resettle(uow, new.customer_id, judge_overdue=True)
    payment = await uow.payments.get(payment_id)
    assert payment is not None
    return payment
