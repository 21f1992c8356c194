"""Through the real RabbitMQ: customers' events reach billing's consumer (the account is kept and
the first period invoiced), an overdue account is published as billing.account.overdue and seen
by a consumer bound to billing.account.*, and paying it off publishes billing.account.settled."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import aio_pika
import pytest

from isp_common.contracts.billing import AccountSnapshot
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging import topology
from isp_common.messaging.envelope import Event, new_event
from isp_common.messaging.worker import Worker
from isp_common.settings import Settings
from isp_common.testing.bus import broker_channel, event_about, eventually, listen, publish

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture
async def broker(settings: Settings) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    async with broker_channel(settings) as channel:
        yield channel


async def test_overdue_and_settled_travel_the_bus(
    tenant: Tenant,
    settings: Settings,
    broker: aio_pika.abc.AbstractChannel,
    worker: Worker,
) -> None:
    exchange = await topology.declare_exchange(broker, settings)
    await topology.declare_platform(broker, settings)
    listener = await listen(broker, settings, "billing.account.*")

    plan = await tenant.plan("150000.00")
    customer_id = uuid.uuid4()
    activated = datetime.now(UTC).date() - timedelta(days=40)
    now = datetime.now(UTC)
    for version, (verb, status) in enumerate(
        [("created", "pending_activation"), ("activated", "active")], start=1
    ):
        snapshot = CustomerSnapshot(
            id=customer_id,
            customer_code="CUST-000001",
            full_name="Dewi Lestari",
            phone="+62 811 000 111",
            address="Jl. Asia Afrika 8, Bandung",
            status=status,
            service_plan_id=uuid.UUID(plan["id"]),
            activation_date=activated if verb == "activated" else None,
            version=version,
            created_at=now,
            updated_at=now,
        )
        await publish(
            exchange,
            new_event(
                f"customers.customer.{verb}",
                tenant_id=tenant.id,
                producer="customers",
                aggregate_id=customer_id,
                aggregate_version=version,
                data=snapshot,
            ),
        )

    async def invoiced() -> list[dict[str, Any]] | None:
        answer = await tenant.client("admin").get(
            "/invoices", params={"customer_id": str(customer_id)}
        )
        return answer.json()["data"] if answer.status_code == 200 else None

    invoices = await eventually(invoiced, within=20)
    assert len(invoices) == 2  # 40 days ago and 10 days ago: both periods billed

    check = await tenant.client("admin").post("/billing/overdue-check", json={})
    assert check.json()["data"]["became_overdue"] == 1
    overdue = await eventually(
        lambda: event_about(listener, customer_id, "billing.account.overdue"), within=20
    )
    snapshot = AccountSnapshot.model_validate(overdue["data"])
    assert snapshot.is_overdue and snapshot.outstanding_balance == 300_000
    Event.model_validate(overdue)  # the envelope written in SQL is the platform's envelope

    await tenant.pay(customer_id, "300000.00")
    settled = await eventually(
        lambda: event_about(listener, customer_id, "billing.account.settled"), within=20
    )
    assert settled["data"]["is_overdue"] is False
    assert settled["aggregate_version"] > overdue["aggregate_version"]
    assert settled["data"]["outstanding_balance"] == "0.00"
