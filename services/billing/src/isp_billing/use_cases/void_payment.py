from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound

from isp_billing.domain.ledger import Payment
from isp_billing.use_cases.clock import actor_sub
from isp_billing.use_cases.ports import UnitOfWork
from isp_billing.use_cases.settle import resettle


async def void_payment(uow: UnitOfWork, payment_id: UUID, reason: str) -> Payment:
    """The record stays (status void, with the reason); its allocations are reversed and the
    account is what it would be had the payment never been recorded (docs/properties.md,
    Property 13)."""
    payment = await uow.payments.get(payment_id)
    if payment is None:
        raise NotFound("payment")
    await uow.accounts.get(payment.customer_id, for_update=True)  # one ledger change at a time
    payment = await uow.payments.get(payment_id, for_update=True)
    assert payment is not None
    payment.ensure_voidable()
    await uow.payments.void(payment_id, reason, actor_sub())
    await resettle(uow, payment.customer_id, judge_overdue=True)
    voided = await uow.payments.get(payment_id)
    assert voided is not None
    return voided
