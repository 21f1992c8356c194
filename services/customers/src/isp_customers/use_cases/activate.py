from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.clock import lifecycle_date, utc_now
from isp_customers.use_cases.customer_changes import customer_to_change, details_of, save_change
from isp_customers.use_cases.ports import UnitOfWork


async def activate_customer(
    uow: UnitOfWork,
    customer_id: UUID,
    activation_date: date | None = None,
    *,
    now: datetime | None = None,
) -> CustomerDetails:
    """First activation raises `activated`; lifting a manual suspension raises `restored`.
    The activation date defaults to the tenant's today (its timezone, not UTC's)."""
    now = now or utc_now()
    customer = await customer_to_change(uow, customer_id)
    on = await lifecycle_date(uow, activation_date, now)
    await save_change(uow, customer.activate(on, now))
    return await details_of(uow, customer_id)
