from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from isp_common.secrets import SecretBox

from isp_customers.domain.customer import ROUTER_FIELDS
from isp_customers.domain.placement import with_fiber_path
from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.clock import utc_now
from isp_customers.use_cases.customer_changes import (
    customer_to_change,
    details_of,
    ensure_identifiers_free,
    save_change,
)
from isp_customers.use_cases.ports import ReferenceLookup, UnitOfWork
from isp_customers.use_cases.references import reserve_odp_port


@dataclass(frozen=True)
class CustomerUpdate:
    # Only the fields the client sent (domain.customer.EDITABLE_FIELDS).
    changes: Mapping[str, Any] = field(default_factory=dict)
    pppoe_password: str | None = None


async def update_customer(
    uow: UnitOfWork,
    customer_id: UUID,
    update: CustomerUpdate,
    *,
    secrets: SecretBox,
    references: ReferenceLookup,
) -> CustomerDetails:
    customer = await customer_to_change(uow, customer_id)
    changes = dict(update.changes)
    new_odp_id = changes.get("odp_id")
    # A terminated customer is refused by the domain below, before any port is looked at.
    if customer.is_live and new_odp_id is not None and new_odp_id != customer.odp_id:
        odp = await reserve_odp_port(uow, references, new_odp_id, customer.id)
        changes = with_fiber_path(changes, odp)
    password = update.pppoe_password
    change = customer.update(
        changes,
        utc_now(),
        pppoe_password_encrypted=secrets.encrypt(password) if password else None,
    )
    if change is None:
        return await details_of(uow, customer_id)
    if change.changed_fields & set(ROUTER_FIELDS):
        await ensure_identifiers_free(uow, change.customer)
    await save_change(uow, change)
    return await details_of(uow, customer_id)
