"""One handler per event type of the `billing.replicas` queue. Each decodes its contract and
calls one use case inside the consumer's unit of work (which also holds the inbox row)."""

from __future__ import annotations

from isp_common.contracts import decode
from isp_common.contracts.boost import BoostSnapshot
from isp_common.contracts.customers import (
    CUSTOMER_PLAN_CHANGED,
    CUSTOMER_SNAPSHOT_TYPES,
    CustomerPlanChanged,
    CustomerSnapshot,
)
from isp_common.contracts.identity import TenantSnapshot
from isp_common.messaging import consumer
from isp_common.messaging.envelope import Event

from isp_billing.domain.settings import TenantProfile
from isp_billing.use_cases.apply_customer import apply_customer
from isp_billing.use_cases.charge_boost import charge_boost
from isp_billing.use_cases.ports import UnitOfWork
from isp_billing.use_cases.tenant_settings import apply_tenant_profile

Handler = consumer.Handler[UnitOfWork]
BOOST_VERBS = ("requested", "approved", "rejected", "activated", "ended")


async def on_customer(event: Event, uow: UnitOfWork) -> None:
    await apply_customer(uow, decode(event, CustomerSnapshot), event.id)


async def on_plan_changed(event: Event, uow: UnitOfWork) -> None:
    # Its effective date and previous plan, which no snapshot carries, price the proration.
    await apply_customer(uow, decode(event, CustomerPlanChanged), event.id)


async def on_boost(event: Event, uow: UnitOfWork) -> None:
    # Every verb: `activated` may come back stale behind `ended`, whose snapshot still says
    # when the boost was activated (and so that it is to be charged).
    await charge_boost(uow, decode(event, BoostSnapshot))


async def on_tenant(event: Event, uow: UnitOfWork) -> None:
    # The tenant's name, timezone and currency seed the settings it has not set itself.
    tenant = decode(event, TenantSnapshot)
    profile = TenantProfile(tenant.name, tenant.timezone, tenant.currency, tenant.version)
    await apply_tenant_profile(uow, profile)


HANDLERS: dict[str, Handler] = {
    **{type_: on_customer for type_ in CUSTOMER_SNAPSHOT_TYPES},
    CUSTOMER_PLAN_CHANGED: on_plan_changed,
    **{f"boost.boost.{verb}": on_boost for verb in BOOST_VERBS},
    "identity.tenant.created": on_tenant,
    "identity.tenant.updated": on_tenant,
}
