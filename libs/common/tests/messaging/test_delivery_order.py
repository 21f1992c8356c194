"""Whatever the order and however often one aggregate's events arrive, the consumer ends where
in-order delivery ends: same replica, same effects, same version.

Each example draws a history of snapshots (versions 1..n) and a delivery order over it with
duplicates; the events go through the real broker to the real Consumer (its inbox and
consumer_versions tables on the real Postgres, several messages in flight at once). The same
history delivered in order to a second aggregate is the reference.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from isp_common.db import UnitOfWork
from isp_common.messaging.envelope import Event, new_event

pytestmark = pytest.mark.integration

STATUSES = ("open", "in_progress", "resolved", "closed")


async def apply_snapshot(event: Event, uow: UnitOfWork) -> None:
    """A level-triggered consumer: the replica is the snapshot, and the effect (one row per
    aggregate) is derived from the snapshot it holds, not from the event that arrived."""
    schema = uow.db.schema
    name = f"{event.data['ticket_number']}:{event.data['status']}"
    await uow.connection.execute(
        text(
            f"insert into {schema}.widgets (id, tenant_id, name) values (:id, :tenant, :name) "
            "on conflict (id) do update set name = excluded.name"
        ),
        {"id": event.aggregate_id, "tenant": event.tenant_id, "name": name},
    )
    await uow.connection.execute(
        text(f"delete from {schema}.effects where aggregate_id = :id"), {"id": event.aggregate_id}
    )
    await uow.connection.execute(
        text(
            f"insert into {schema}.effects (tenant_id, event_id, aggregate_id, aggregate_version) "
            "values (:tenant, :event, :id, :version)"
        ),
        {
            "tenant": event.tenant_id,
            "event": event.id,
            "id": event.aggregate_id,
            "version": event.aggregate_version,
        },
    )


@pytest.fixture(scope="module")
async def ordered_path(proxied_kit) -> AsyncIterator[Any]:
    kit, _ = proxied_kit
    consumer = kit.consumer({kit.EVENT_TYPE: apply_snapshot}, retry_delay_seconds=0.002)
    await consumer.start()
    yield kit, consumer


def history(kit: Any, aggregate: uuid.UUID, statuses: list[str]) -> list[Event]:
    return [
        new_event(
            kit.EVENT_TYPE,
            tenant_id=kit.tenant,
            producer="tickets",
            aggregate_id=aggregate,
            aggregate_version=version,
            data=kit.ticket(aggregate, version).model_copy(update={"status": status}),
        )
        for version, status in enumerate(statuses, start=1)
    ]


async def end_state(kit: Any, aggregate: uuid.UUID) -> tuple[Any, ...]:
    schema = kit.db.schema
    async with UnitOfWork(kit.db, kit.tenant) as uow:
        conn = uow.connection
        replica = await conn.scalar(
            text(f"select name from {schema}.widgets where id = :id"), {"id": aggregate}
        )
        effects = (
            await conn.execute(
                text(f"select aggregate_version from {schema}.effects where aggregate_id = :id"),
                {"id": aggregate},
            )
        ).scalars()
        version = await conn.scalar(
            text(f"select version from {schema}.consumer_versions where aggregate_id = :id"),
            {"id": aggregate},
        )
    return replica, sorted(effects), version


# Feature: isp-management-system, Property 31: Delivery order independence (docs/properties.md)
@settings(max_examples=100, deadline=None)
@given(
    data=st.data(),
    statuses=st.lists(st.sampled_from(STATUSES), min_size=1, max_size=6),
)
async def test_any_delivery_order_with_duplicates_ends_in_the_in_order_state(
    ordered_path: Any, data: st.DataObject, statuses: list[str]
) -> None:
    kit, consumer = ordered_path
    n = len(statuses)
    extra = data.draw(st.lists(st.integers(0, n - 1), max_size=n), label="duplicates")
    order = data.draw(st.permutations([*range(n), *extra]), label="delivery order")
    in_order, shuffled = uuid.uuid4(), uuid.uuid4()
    reference = history(kit, in_order, statuses)
    events = history(kit, shuffled, statuses)
    # The snapshots differ only by aggregate id: compare without it.
    deliveries = [*reference, *(events[i] for i in order)]

    handled_before = sum(consumer.outcomes.values())
    exchange = await (await kit.channel()).get_exchange(kit.settings.events_exchange)
    for event in deliveries:
        await exchange.publish(
            aio_pika.Message(event.model_dump_json().encode(), message_id=str(event.id)),
            routing_key=event.type,
        )

    async def all_handled() -> bool:
        return sum(consumer.outcomes.values()) >= handled_before + len(deliveries)

    await kit.wait_until(all_handled, within=20, every=0.005)
    assert await end_state(kit, shuffled) == await end_state(kit, in_order)
    replica, effects, version = await end_state(kit, shuffled)
    assert (replica, effects, version) == (f"T-{n}:{statuses[-1]}", [n], n)
    assert consumer.outcomes["refused"] == 0
