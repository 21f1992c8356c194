from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from isp_common.secrets import SecretBox

from isp_customers.domain.codes import CUSTOMER_CODE_COUNTER, format_customer_code
from isp_customers.domain.customer import Customer
from isp_customers.domain.placement import with_fiber_path
from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.clock import utc_now
from isp_customers.use_cases.customer_changes import ensure_identifiers_free, raise_change_event
from isp_customers.use_cases.ports import ReferenceLookup, UnitOfWork
from isp_customers.use_cases.references import assignable_plan, reserve_odp_port


@dataclass(frozen=True)
class NewCustomer:
    service_plan_id: UUID
    # Editable fields (domain.customer.EDITABLE_FIELDS), already typed by the edge.
    fields: Mapping[str, Any] = field(default_factory=dict)
    customer_code: str | None = None
    pppoe_password: str | None = None


async def create_customer(
    uow: UnitOfWork, new: NewCustomer, *, secrets: SecretBox, references: ReferenceLookup
) -> CustomerDetails:
    plan = await assignable_plan(uow, references, new.service_plan_id, "service_plan_id")
    customer_id = uuid.uuid4()
    fields = dict(new.fields)
    if fields.get("odp_id"):
        odp = await reserve_odp_port(uow, references, fields["odp_id"], customer_id)
        fields = with_fiber_path(fields, odp)
    change = Customer.register(
        id=customer_id,
        customer_code=new.customer_code or await _next_free_code(uow),
        fields=fields,
        plan=plan,
        pppoe_password_encrypted=secrets.encrypt(new.pppoe_password)
        if new.pppoe_password
        else None,
        now=utc_now(),
    )
    await ensure_identifiers_free(uow, change.customer)
    await uow.customers.add(change.customer)
    raise_change_event(uow, change)
    return CustomerDetails(change.customer)


async def _next_free_code(uow: UnitOfWork) -> str:
    # An operator may have given a code of the generated form by hand: step over it.
    while True:
        code = format_customer_code(await uow.next_number(CUSTOMER_CODE_COUNTER))
        if not await uow.customers.code_exists(code):
            return code
