"""One handler per event type of the `customers.replicas` queue. Each decodes its contract and
calls one use case inside the consumer's unit of work (which also holds the inbox row)."""

from __future__ import annotations

from isp_common.contracts import decode
from isp_common.contracts.billing import (
    AccountSnapshot,
    BillingSettingsSnapshot,
    ServicePlanSnapshot,
)
from isp_common.contracts.mikrotik import ProvisioningResult
from isp_common.contracts.network import OdpSnapshot
from isp_common.messaging import consumer
from isp_common.messaging.envelope import Event

from isp_customers.use_cases.apply_account_snapshot import apply_account_snapshot
from isp_customers.use_cases.apply_billing_settings import apply_billing_settings
from isp_customers.use_cases.apply_odp_snapshot import apply_odp_snapshot
from isp_customers.use_cases.apply_plan_snapshot import apply_plan_snapshot
from isp_customers.use_cases.apply_provisioning_result import apply_provisioning_result
from isp_customers.use_cases.ports import UnitOfWork

Handler = consumer.Handler[UnitOfWork]


async def on_plan(event: Event, uow: UnitOfWork) -> None:
    await apply_plan_snapshot(uow, decode(event, ServicePlanSnapshot))


async def on_odp(event: Event, uow: UnitOfWork) -> None:
    await apply_odp_snapshot(uow, decode(event, OdpSnapshot))


async def on_account(event: Event, uow: UnitOfWork) -> None:
    # One handler for every verb: the snapshot's is_overdue says what to do (level-triggered).
    await apply_account_snapshot(uow, decode(event, AccountSnapshot))


async def on_provisioning(event: Event, uow: UnitOfWork) -> None:
    await apply_provisioning_result(uow, decode(event, ProvisioningResult))


async def on_billing_settings(event: Event, uow: UnitOfWork) -> None:
    await apply_billing_settings(uow, decode(event, BillingSettingsSnapshot))


HANDLERS: dict[str, Handler] = {
    "billing.plan.created": on_plan,
    "billing.plan.updated": on_plan,
    "billing.plan.deleted": on_plan,
    "network.odp.created": on_odp,
    "network.odp.updated": on_odp,
    "network.odp.deleted": on_odp,
    "billing.account.updated": on_account,
    "billing.account.overdue": on_account,
    "billing.account.settled": on_account,
    "billing.settings.updated": on_billing_settings,
    "mikrotik.subscriber.provisioned": on_provisioning,
    "mikrotik.subscriber.provisioning_failed": on_provisioning,
}
