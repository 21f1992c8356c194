"""The outbox relay against the real Postgres and RabbitMQ."""

from __future__ import annotations

import asyncio
import uuid

import aio_pika
import pytest

from isp_common import metrics
from isp_common.db import UnitOfWork
from isp_common.messaging import relay as relay_module
from isp_common.messaging.envelope import Event
from isp_common.messaging.relay import OutboxRelay

pytestmark = pytest.mark.integration


async def test_a_committed_event_is_published_as_its_envelope_and_leaves_the_outbox(kit):
    events = await kit.commit(3)
    relay = kit.relay()

    assert await relay.publish_pending() == 3

    assert await kit.outbox() == []
    for sent in events:  # in commit order
        message = await kit.get(kit.queue)
        assert message is not None
        assert Event.model_validate_json(message.body) == sent
        assert message.routing_key == sent.type
        assert message.message_id == str(sent.id)
        assert message.content_type == "application/json"
        assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        assert message.headers["type"] == sent.type
        assert message.headers["tenant_id"] == str(sent.tenant_id)
    assert await kit.get(kit.queue) is None
    assert kit.sample(metrics.OUTBOX_BACKLOG, service=kit.settings.service_name) == 0


async def test_a_rolled_back_unit_of_work_publishes_nothing(kit):
    relay = kit.relay()
    await relay.publish_pending()  # connected, queue declared: anything published would land

    async with UnitOfWork(kit.db, kit.tenant) as uow:
        aggregate = uuid.uuid4()
        uow.raise_event(kit.EVENT_TYPE, aggregate, 1, kit.ticket(aggregate, 1))
        # left without commit
    with pytest.raises(RuntimeError):
        async with UnitOfWork(kit.db, kit.tenant) as uow:
            aggregate = uuid.uuid4()
            uow.raise_event(kit.EVENT_TYPE, aggregate, 1, kit.ticket(aggregate, 1))
            raise RuntimeError("the use case failed")

    assert await kit.outbox() == []
    assert await relay.publish_pending() == 0
    assert await kit.depth(kit.queue) == 0
    # The path itself works: a committed event after them is the only one that arrives.
    [committed] = await kit.commit()
    assert await relay.publish_pending() == 1
    message = await kit.get(kit.queue)
    assert message.message_id == str(committed.id)
    assert await kit.get(kit.queue) is None


async def test_an_unroutable_event_stays_in_the_outbox_and_is_retried_after_a_pause(
    kit, monkeypatch
):
    monkeypatch.setattr(relay_module, "RETRY_BASE_SECONDS", 0.2)
    # No queue bound to the exchange: mandatory makes the broker return the message.
    relay = OutboxRelay(kit.settings, kit.db, queues=())
    try:
        [event] = await kit.commit()
        failures = kit.sample(metrics.OUTBOX_PUBLISH_FAILURES, service=kit.settings.service_name)

        assert await relay.publish_pending() == 0

        [row] = await kit.outbox()
        assert (row.id, row.attempts) == (event.id, 1)
        assert "NO_ROUTE" in row.last_error
        assert (
            kit.sample(metrics.OUTBOX_PUBLISH_FAILURES, service=kit.settings.service_name)
            == failures + 1
        )
        # Not hammered: within its pause the row is not even claimed.
        assert await relay.publish_pending() == 0
        assert [r.attempts for r in await kit.outbox()] == [1]

        await kit.channel()  # declares and binds the test queue: now it is routable
        await asyncio.sleep(0.25)
        assert await relay.publish_pending() == 1
        assert await kit.outbox() == []
        assert (await kit.get(kit.queue)).message_id == str(event.id)
    finally:
        await relay.close()


async def test_the_relay_wakes_on_notify_without_waiting_for_the_poll(kit):
    kit.settings.relay_poll_seconds = 30.0
    relay = kit.relay()
    running = asyncio.create_task(relay.run())
    try:
        await kit.channel()
        await asyncio.sleep(0.3)  # connected and listening, then idle until notified
        [event] = await kit.commit()

        async def arrived() -> bool:
            return await kit.depth(kit.queue) == 1

        await kit.wait_until(arrived, within=2.0)
        assert (await kit.get(kit.queue)).message_id == str(event.id)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def test_two_relays_share_a_backlog_without_publishing_a_row_twice(kit):
    kit.settings.relay_batch_size = 50
    events = await kit.commit(400)
    first, second = kit.relay(), kit.relay()

    async def drain(relay: OutboxRelay) -> int:
        total = 0
        while published := await relay.publish_pending():
            total += published
        return total

    counts = await asyncio.gather(drain(first), drain(second))

    assert sum(counts) == 400
    assert await kit.depth(kit.queue) == 400
    assert await kit.outbox() == []
    seen = set()
    while (message := await kit.get(kit.queue)) is not None:
        seen.add(message.message_id)
    assert seen == {str(e.id) for e in events}
