"""The replica handlers, called as the consumer calls them: inside a real unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from isp_common.contracts import producer_of
from isp_common.contracts.billing import AccountSnapshot, ServicePlanSnapshot
from isp_common.contracts.mikrotik import ProvisioningResult
from isp_common.contracts.network import OdpSnapshot
from isp_common.messaging.envelope import new_event

from isp_customers.consumers.handlers import HANDLERS

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]


async def deliver(
    tenant: Tenant, type_: str, data: BaseModel, aggregate_id: uuid.UUID, version: int = 1
) -> None:
    event = new_event(
        type_,
        tenant_id=tenant.id,
        producer=producer_of(type_),
        aggregate_id=aggregate_id,
        aggregate_version=version,
        data=data,
    )
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        await HANDLERS[type_](event, uow)
        await uow.commit()


def account(
    customer_id: str, version: int, *, overdue: bool, balance: str = "150000.00"
) -> AccountSnapshot:
    return AccountSnapshot(
        customer_id=uuid.UUID(customer_id),
        outstanding_balance=Decimal(balance),
        credit=Decimal(0),
        due_date=date(2026, 2, 10),
        last_payment_date=date(2026, 1, 9) if not overdue else None,
        is_overdue=overdue,
        version=version,
    )


async def _active_customer(tenant: Tenant, customer_body: Body) -> dict[str, Any]:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    created = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    return dict((await client.post(f"/customers/{created['id']}/activate")).json()["data"])


async def _read(tenant: Tenant, customer_id: str) -> dict[str, Any]:
    return dict((await tenant.client("admin").get(f"/customers/{customer_id}")).json()["data"])


async def test_overdue_suspends_and_settled_restores(
    tenant: Tenant, customer_body: Body, outbox_events: Events
) -> None:
    customer = await _active_customer(tenant, customer_body)
    cid = customer["id"]
    await deliver(
        tenant, "billing.account.overdue", account(cid, 1, overdue=True), uuid.UUID(cid), 1
    )
    suspended = await _read(tenant, cid)
    assert (suspended["status"], suspended["suspension_reason"]) == ("suspended", "overdue")
    assert suspended["outstanding_balance"] == "150000.00"
    assert suspended["due_date"] == "2026-02-10"
    # An operator cannot lift billing's suspension by hand.
    refused = await tenant.client("admin").post(f"/customers/{cid}/activate")
    assert refused.status_code == 409

    await deliver(
        tenant,
        "billing.account.settled",
        account(cid, 2, overdue=False, balance="0.00"),
        uuid.UUID(cid),
        2,
    )
    restored = await _read(tenant, cid)
    assert restored["status"] == "active" and restored["suspension_reason"] is None
    assert restored["outstanding_balance"] == "0.00"
    assert restored["last_payment_date"] == "2026-01-09"
    types = [e["type"] for e in await outbox_events(uuid.UUID(cid))]
    assert types[-2:] == ["customers.customer.suspended", "customers.customer.restored"]


async def test_settled_leaves_a_manual_suspension_alone(
    tenant: Tenant, customer_body: Body
) -> None:
    customer = await _active_customer(tenant, customer_body)
    cid = customer["id"]
    await tenant.client("admin").post(f"/customers/{cid}/suspend", json={"reason": "fraud check"})
    await deliver(
        tenant, "billing.account.overdue", account(cid, 1, overdue=True), uuid.UUID(cid), 1
    )
    await deliver(
        tenant, "billing.account.settled", account(cid, 2, overdue=False), uuid.UUID(cid), 2
    )
    after = await _read(tenant, cid)
    assert (after["status"], after["suspension_reason"], after["suspension_cause"]) == (
        "suspended",
        "fraud check",
        "manual",
    )


async def test_an_older_account_event_changes_nothing(tenant: Tenant, customer_body: Body) -> None:
    customer = await _active_customer(tenant, customer_body)
    cid = customer["id"]
    await deliver(
        tenant,
        "billing.account.updated",
        account(cid, 5, overdue=False, balance="10.00"),
        uuid.UUID(cid),
        5,
    )
    await deliver(
        tenant, "billing.account.overdue", account(cid, 4, overdue=True), uuid.UUID(cid), 4
    )
    after = await _read(tenant, cid)
    assert after["status"] == "active"
    assert after["outstanding_balance"] == "10.00"


async def test_account_events_for_unknown_customers_are_kept_quietly(tenant: Tenant) -> None:
    stranger = str(uuid.uuid4())
    await deliver(
        tenant, "billing.account.overdue", account(stranger, 1, overdue=True), uuid.UUID(stranger)
    )


async def test_plan_replica_follows_billing(tenant: Tenant, customer_body: Body) -> None:
    now = datetime.now(UTC)
    plan = ServicePlanSnapshot(
        id=uuid.uuid4(),
        name="Home 30M",
        bandwidth_download=30000,
        bandwidth_upload=15000,
        monthly_price=Decimal("200000.00"),
        is_active=True,
        version=1,
        created_at=now,
        updated_at=now,
    )
    await deliver(tenant, "billing.plan.created", plan, plan.id)
    client = tenant.client("admin")
    created = await client.post("/customers", json=customer_body(plan.id))
    assert created.status_code == 201
    assert created.json()["data"]["monthly_fee"] == "200000.00"
    retired = plan.model_copy(update={"is_active": False, "version": 2})
    await deliver(tenant, "billing.plan.updated", retired, plan.id, 2)
    stale = plan.model_copy(update={"version": 1})
    await deliver(tenant, "billing.plan.updated", stale, plan.id, 1)  # older: ignored
    refused = await client.post("/customers", json=customer_body(plan.id))
    assert refused.status_code == 422
    await deliver(
        tenant,
        "billing.plan.deleted",
        retired.model_copy(update={"is_deleted": True, "version": 3}),
        plan.id,
        3,
    )
    gone = await client.post("/customers", json=customer_body(plan.id))
    assert "unknown service plan" in gone.json()["error"]["message"]


async def test_odp_replica_follows_network(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    odp = OdpSnapshot(id=uuid.uuid4(), name="ODP-9", capacity=1, version=1)
    await deliver(tenant, "network.odp.created", odp, odp.id)
    client = tenant.client("admin")
    assert (
        await client.post("/customers", json=customer_body(plan.id, odp_id=str(odp.id)))
    ).status_code == 201
    assert (
        await client.post("/customers", json=customer_body(plan.id, odp_id=str(odp.id)))
    ).status_code == 409
    await deliver(
        tenant,
        "network.odp.updated",
        odp.model_copy(update={"capacity": 2, "version": 2}),
        odp.id,
        2,
    )
    assert (
        await client.post("/customers", json=customer_body(plan.id, odp_id=str(odp.id)))
    ).status_code == 201


async def test_provisioning_status_follows_the_agent(tenant: Tenant, customer_body: Body) -> None:
    customer = await _active_customer(tenant, customer_body)
    cid = uuid.UUID(customer["id"])
    assert customer["provisioning_status"] == "pending"
    at = datetime.now(UTC)
    failed = ProvisioningResult(customer_id=cid, status="failed", error="router down", at=at)
    await deliver(tenant, "mikrotik.subscriber.provisioning_failed", failed, cid)
    assert (await _read(tenant, str(cid)))["provisioning_status"] == "failed"
    done = ProvisioningResult(customer_id=cid, status="provisioned", at=at + timedelta(seconds=5))
    await deliver(tenant, "mikrotik.subscriber.provisioned", done, cid, 2)
    late = ProvisioningResult(customer_id=cid, status="failed", at=at + timedelta(seconds=1))
    await deliver(tenant, "mikrotik.subscriber.provisioning_failed", late, cid, 3)  # older report
    assert (await _read(tenant, str(cid)))["provisioning_status"] == "provisioned"


async def test_a_change_since_the_agents_report_shows_as_pending(
    tenant: Tenant, customer_body: Body
) -> None:
    customer = await _active_customer(tenant, customer_body)
    cid, version = uuid.UUID(customer["id"]), customer["version"]
    at = datetime.now(UTC)
    done = ProvisioningResult(
        customer_id=cid, status="provisioned", customer_version=version, at=at
    )
    await deliver(tenant, "mikrotik.subscriber.provisioned", done, cid, 1)
    assert (await _read(tenant, str(cid)))["provisioning_status"] == "provisioned"
    suspended = await tenant.client("admin").post(
        f"/customers/{cid}/suspend", json={"reason": "moved house"}
    )
    assert suspended.status_code == 200
    assert suspended.json()["data"]["provisioning_status"] == "pending"
    caught_up = ProvisioningResult(
        customer_id=cid,
        status="provisioned",
        customer_version=suspended.json()["data"]["version"],
        at=at + timedelta(seconds=1),
    )
    await deliver(tenant, "mikrotik.subscriber.provisioned", caught_up, cid, 2)
    assert (await _read(tenant, str(cid)))["provisioning_status"] == "provisioned"
