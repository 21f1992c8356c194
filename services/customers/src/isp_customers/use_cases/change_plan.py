from __future__ import annotations

from datetime import date
from uuid import UUID

from isp_common.contracts.customers import CustomerPlanChanged

from isp_customers.domain.lifecycle import ensure_not_terminated
from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.clock import utc_now, utc_today
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
) -> CustomerDetails:
    """The customer is on the new plan at once; `effective_date` travels in the event so that
    billing prorates from that day."""
    customer = await customer_to_change(uow, customer_id)
    ensure_not_terminated(customer.status, "plan_changed")  # before billing is asked anything
    plan = await assignable_plan(uow, references, new_plan_id, "new_plan_id")
    change = customer.change_plan(plan, utc_now())
    event = CustomerPlanChanged(
        **customer_snapshot(change.customer).model_dump(),
        previous_plan_id=customer.service_plan_id,
        effective_date=effective_date or utc_today(),
        reason=reason,
    )
    await save_change(uow, change, event)
    return await details_of(uow, customer_id)
