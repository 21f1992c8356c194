"""The billing run: every period that has started by `as_of` and is not invoiced yet gets its
invoice (billed in advance, issued on the period's first day), in a few set-based statements
whatever the number of customers. Idempotent per customer and period: the account remembers the
periods billed, and a unique index on (customer, period start) backs it. `as_of` is at most a
month after the tenant's today, and one run issues at most MAX_PERIODS_PER_RUN invoices per
customer (domain.dates, domain.cycles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from isp_billing.domain.dates import check_run_as_of
from isp_billing.use_cases.ports import UnitOfWork


@dataclass(frozen=True)
class RunResult:
    as_of: date
    invoices_issued: int
    customers_billed: int


async def billing_run(
    uow: UnitOfWork,
    as_of: date | None = None,
    *,
    only: list[UUID] | None = None,
    opening: bool = False,
) -> RunResult:
    """`opening` (with `only`): the accounts' first invoices, issued whatever the accounts'
    status now (see ledger_sql._DUE)."""
    settings = await uow.settings.get()
    today = settings.today()
    if as_of is not None:
        check_run_as_of(as_of, today)
    day = as_of or today
    issued = await uow.ledger.issue_due_invoices(
        day, settings.invoice_due_days, only, opening=opening and only is not None
    )
    # Credit left by earlier payments pays the new invoices at once.
    await uow.ledger.reallocate(issued.with_credit)
    # A tenant-wide run recomputes the tenant's accounts as one set (hash joins, no id list);
    # accounts that did not change are not written and raise no event.
    targets = issued.customers if only is not None or not issued.customers else None
    await uow.ledger.refresh_accounts(targets, overdue_as_of=None)
    return RunResult(day, issued.issued, len(issued.customers))
