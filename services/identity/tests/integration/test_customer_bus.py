"""Through the real RabbitMQ: customers' events reach the `identity.customers` queue, the
portal account follows them, and a deletion's identity.portal_account.disabled is published by
the relay."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aio_pika
import pytest

from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging import topology
from isp_common.messaging.envelope import new_event
from isp_common.messaging.worker import Worker
from isp_common.settings import Settings
from isp_common.testing.bus import broker_channel, eventually, listen
from isp_common.testing.bus import publish as publish_event

from isp_identity.bootstrap import Runtime
from isp_identity.domain.accounts import PortalAccount

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture
async def broker(settings: Settings) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    async with broker_channel(settings) as channel:
        yield channel


async def test_a_customer_s_events_keep_the_portal_account_and_a_deletion_is_published(
    tenant: Tenant,
    settings: Settings,
    broker: aio_pika.abc.AbstractChannel,
    runtime: Runtime,
    worker: Worker,
) -> None:
    # Declared as a deployment declares it: nothing published before the consumer is up is lost.
    await topology.declare_queue(broker, settings, topology.queue_spec("identity", "customers"))
    exchange = await topology.declare_exchange(broker, settings)
    listener = await listen(broker, settings, "identity.portal_account.disabled")
    now = datetime.now(UTC)
    customer = CustomerSnapshot(
        id=uuid.uuid4(),
        customer_code="CUST-BUS-1",
        full_name="Dewi",
        phone="0812",
        address="Jl. Asia Afrika 1",
        status="active",
        pppoe_username="dewi",
        version=1,
        created_at=now,
        updated_at=now,
    )

    async def publish(verb: str, data: CustomerSnapshot) -> uuid.UUID:
        event = new_event(
            f"customers.customer.{verb}",
            tenant_id=tenant.id,
            producer="customers",
            aggregate_id=data.id,
            aggregate_version=data.version,
            data=data,
        )
        await publish_event(exchange, event)
        return event.id

    async def account() -> PortalAccount | None:
        async with runtime.unit_of_work(tenant.id) as uow:
            return await uow.portal_accounts.get(customer.id)

    await publish("created", customer)
    assert (await eventually(account)).pppoe_username == "dewi"  # type: ignore[union-attr]
    enabled = await tenant.client("admin").put(
        f"/customers/{customer.id}/portal-account", json={"activation": True}
    )
    assert enabled.status_code == 200, enabled.text

    deletion = await publish(
        "deleted", customer.model_copy(update={"is_deleted": True, "version": 2})
    )
    published: list[dict[str, Any]] = []

    async def disabled_published() -> bool:
        message = await listener.get(no_ack=True, fail=False)
        if message is not None:
            published.append(json.loads(message.body))
        return any(e["aggregate_id"] == str(customer.id) for e in published)

    await eventually(disabled_published)
    [event] = [e for e in published if e["aggregate_id"] == str(customer.id)]
    assert event["data"]["enabled"] is False
    assert event["causation_id"] == str(deletion)
    gone = await account()
    assert gone is not None and not gone.enabled and gone.activation_code_hash is None
