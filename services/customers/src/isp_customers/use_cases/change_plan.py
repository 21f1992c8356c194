from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from isp_common.contracts.customers import CustomerPlanChanged

from isp_customers.domain.lifecycle import ensure_not_terminated
from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.clock import lifecycle_date, utc_now
from isp_customers.use_cases.customer_changes import customer_to_change, details_of, save_change
from isp_customers.use_cases.ports import ReferenceLookup, UnitOfWork
from isp_customers.use_cases.references import assignable_plan
from isp_customers.use_cases.snapshots import customer_snapshot


async def change_plan(
    uow: UnitOfWork,
    customer_id: UUID,
    new_plan_id: UUID,
    *,
    reason: str | None = None,
    effective_date: date | None = None,
    references: ReferenceLookup,
    now: datetime | None = None,
) -> CustomerDetails:
    """The customer is on the new plan at once; `effective_date` (default: the tenant's today)
    travels in the event so that billing prorates from that day."""
    now = now or utc_now()
    customer = await customer_to_change(uow, customer_id)
    ensure_not_terminated(customer.status, "plan_changed")  # before billing is asked anything
    effective = await lifecycle_date(uow, effective_date, now)
    plan = await assignable_plan(uow, references, new_plan_id, "new_plan_id")
    change = customer.change_plan(plan, now)
    event = CustomerPlanChanged(
        **customer_snapshot(change.customer).model_dump(),
        previous_plan_id=customer.service_plan_id,
        effective_date=effective,
        reason=reason,
    )
    await save_change(uow, change, event)
    return await details_of(uow, customer_id)
