"""Customer events keep the account: who, which plan, which status, and when billing starts.

Level-triggered (any order of delivery ends the same): what billing does follows from the
snapshot and the account it holds, not from the event's verb, since an older event requeued
behind a newer one is skipped as stale. A customer that has been activated (an activation date,
or a live status) and whose account has no anchor yet starts billing, whichever event says so
first; a deleted customer's open invoices are voided. Only the proration of a plan change needs
the `plan_changed` event itself (its effective date and previous plan are in no snapshot)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from isp_common.contracts.customers import CustomerPlanChanged, CustomerSnapshot

from isp_billing.domain.cycles import Period, period_price, proration
from isp_billing.domain.enums import InvoiceKind, InvoiceStatus
from isp_billing.domain.ledger import INVOICE_COUNTER, ZERO, Account, Invoice, invoice_number
from isp_billing.use_cases.billing_run import billing_run
from isp_billing.use_cases.clock import utc_now
from isp_billing.use_cases.ports import UnitOfWork
from isp_billing.use_cases.settle import resettle

# Statuses a customer is only ever in once activated.
LIVE = frozenset({"active", "suspended"})


def has_been_activated(customer: CustomerSnapshot) -> bool:
    return customer.activation_date is not None or customer.status in LIVE


async def apply_customer(uow: UnitOfWork, customer: CustomerSnapshot, event_id: UUID) -> None:
    await uow.settings.ensure()
    before = await uow.accounts.get(customer.id, for_update=True)
    plan = await uow.plans.get(customer.service_plan_id) if customer.service_plan_id else None
    cycle_months = plan.cycle.months if plan else 1
    await uow.accounts.upsert_customer(customer, cycle_months)
    if has_been_activated(customer) and (before is None or before.anchor_date is None):
        settings = await uow.settings.get()
        anchor = customer.activation_date or settings.today()
        await uow.accounts.start_billing(customer.id, anchor, cycle_months)
        # Billed in advance: the first period's invoice is issued on activation, even when
        # billing learns of the activation from a later event (termination, deletion).
        await billing_run(uow, settings.today(), only=[customer.id], opening=True)
    if isinstance(customer, CustomerPlanChanged) and before:
        await _change_plan(uow, customer, before, event_id)
    if customer.is_deleted:
        await uow.invoices.void_open(customer.id, "customer deleted")
        await resettle(uow, customer.id, judge_overdue=True)


async def _change_plan(
    uow: UnitOfWork, change: CustomerPlanChanged, before: Account, event_id: UUID
) -> None:
    """An upgrade mid-period is charged for the days left; the next period is billed at the new
    plan's price (and cycle) from the start."""
    new_plan = await uow.plans.get(change.service_plan_id) if change.service_plan_id else None
    if new_plan is None or before.anchor_date is None:
        return
    covering = await uow.invoices.subscription_covering(change.id, change.effective_date)
    if covering is not None:
        old_plan = await uow.plans.get(change.previous_plan_id) if change.previous_plan_id else None
        charged = (
            period_price(old_plan.monthly_price, before.cycle_months)
            if old_plan
            else covering.total
        )
        period = Period(covering.period_start, covering.period_end)
        new_price = period_price(new_plan.monthly_price, before.cycle_months)
        amount = proration(charged, new_price, period, change.effective_date)
        if amount > 0:
            await _charge_proration(uow, change, period, amount, new_plan.name, event_id)
    if new_plan.cycle.months != before.cycle_months:
        await uow.accounts.reanchor(change.id, new_plan.cycle.months)


async def _charge_proration(
    uow: UnitOfWork,
    change: CustomerPlanChanged,
    period: Period,
    amount: Decimal,
    plan_name: str,
    event_id: UUID,
) -> None:
    settings = await uow.settings.get()
    today = settings.today()
    now = utc_now()
    invoice = Invoice(
        id=uuid.uuid4(),
        invoice_number=invoice_number(await uow.next_number(INVOICE_COUNTER)),
        customer_id=change.id,
        kind=InvoiceKind.PRORATION,
        status=InvoiceStatus.OPEN,
        period_start=change.effective_date,
        period_end=period.end,
        issue_date=today,
        due_date=today + timedelta(days=settings.invoice_due_days),
        total=amount,
        amount_paid=ZERO,
        lines=[
            {
                "kind": InvoiceKind.PRORATION.value,
                "description": f"Upgrade to {plan_name} from {change.effective_date} "
                f"to {period.end}",
                "service_plan_id": str(change.service_plan_id),
                "previous_plan_id": str(change.previous_plan_id),
                "period_start": change.effective_date.isoformat(),
                "period_end": period.end.isoformat(),
                "amount": format(amount, "f"),
            }
        ],
        void_reason=None,
        voided_at=None,
        created_at=now,
        updated_at=now,
    )
    if await uow.invoices.add(invoice, f"proration:{event_id}"):
        await resettle(uow, change.id, judge_overdue=False)
