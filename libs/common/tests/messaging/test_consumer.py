"""The consumer: inbox, versions, context, retries and dead letters, on the real services."""

from __future__ import annotations

import asyncio
import uuid

import aio_pika
import pytest
from sqlalchemy import text

from isp_common import context, metrics
from isp_common.db import UnitOfWork
from isp_common.messaging.dead_letters import replay_dead_letters
from isp_common.messaging.envelope import Event

pytestmark = pytest.mark.integration


async def publish_raw(kit, body: bytes, *, message_id: str, routing_key: str | None = None):
    """What the relay would send (again): at-least-once delivery means duplicates happen."""
    channel = await kit.channel()
    exchange = await channel.get_exchange(kit.settings.events_exchange)
    await exchange.publish(
        aio_pika.Message(body, message_id=message_id, content_type="application/json"),
        routing_key=routing_key or kit.EVENT_TYPE,
    )


def outcome(kit, name: str) -> float:
    return kit.sample(metrics.CONSUMER_HANDLED, queue=kit.queue, outcome=name)


async def test_a_duplicate_delivery_is_applied_once(kit):
    [event] = await kit.commit()
    await kit.relay().publish_pending()
    await publish_raw(kit, event.model_dump_json().encode(), message_id=str(event.id))

    async with kit.consumer():

        async def both_handled() -> bool:
            return outcome(kit, "applied") + outcome(kit, "duplicate") >= 2

        await kit.wait_until(both_handled)

    assert await kit.effects() == {event.id: 1}
    assert (outcome(kit, "applied"), outcome(kit, "duplicate")) == (1, 1)
    assert await kit.depth(kit.queue) == 0


async def test_an_event_older_than_the_applied_version_is_ignored(kit):
    aggregate = uuid.uuid4()
    relay = kit.relay()
    async with kit.consumer():
        [v2] = await kit.commit(aggregate_id=aggregate, version=2)
        await relay.publish_pending()
        await kit.wait_until(lambda: _handled(kit, 1))
        await kit.commit(aggregate_id=aggregate, version=1)  # overtaken, arrives late
        await kit.commit(aggregate_id=aggregate, version=2)  # a second v2
        await relay.publish_pending()
        await kit.wait_until(lambda: _handled(kit, 3))
        [v3] = await kit.commit(aggregate_id=aggregate, version=3)
        await relay.publish_pending()
        await kit.wait_until(lambda: _handled(kit, 4))

    assert await kit.effects() == {v2.id: 1, v3.id: 1}
    assert outcome(kit, "stale") == 2


async def _handled(kit, count: int) -> bool:
    done = sum(outcome(kit, o) for o in ("applied", "stale", "duplicate", "ignored"))
    return done >= count


async def test_the_handler_runs_in_the_event_context_so_follow_up_events_are_stamped(kit):
    seen: list[context.RequestContext] = []

    async def raise_follow_up(event: Event, uow: UnitOfWork) -> None:
        seen.append(context.get())
        uow.raise_event(
            "tickets.ticket.commented",
            event.aggregate_id,
            event.aggregate_version + 1,
            kit.ticket(event.aggregate_id, event.aggregate_version + 1),
        )

    token = context.current.set(
        context.RequestContext(
            correlation_id="req-42", actor=context.Actor("alice", ("admin",), "10.0.0.1")
        )
    )
    try:
        [event] = await kit.commit()
    finally:
        context.current.reset(token)
    await kit.relay().publish_pending()

    async with kit.consumer({kit.EVENT_TYPE: raise_follow_up}):
        await kit.wait_until(lambda: _handled(kit, 1))

    [ctx] = seen
    assert (ctx.correlation_id, ctx.causation_id, ctx.tenant_id) == (
        "req-42",
        str(event.id),
        kit.tenant,
    )
    assert ctx.actor == context.Actor("alice", ("admin",), "10.0.0.1")
    [row] = await kit.outbox()  # the follow-up, committed with the inbox row
    follow_up = Event.model_validate(row.payload)
    assert follow_up.correlation_id == "req-42"
    assert follow_up.causation_id == str(event.id)
    assert follow_up.actor.sub == "alice"
    assert follow_up.tenant_id == kit.tenant
    assert context.get().causation_id is None  # nothing leaks out of the handler


async def test_an_event_without_a_handler_is_recorded_and_acked(kit):
    [event] = await kit.commit()
    await kit.relay().publish_pending()

    async with kit.consumer(handlers={}):
        await kit.wait_until(lambda: _handled(kit, 1))

    assert outcome(kit, "ignored") == 1
    assert await kit.effects() == {}
    async with UnitOfWork(kit.db, kit.tenant) as uow:
        consumers = await uow.connection.scalars(
            text("select consumer from libmsg.inbox where event_id = :e"), {"e": event.id}
        )
        assert list(consumers) == [kit.SPEC.base_name]
    assert await kit.depth(kit.queue) == 0


async def test_a_handler_failing_transiently_is_retried_until_it_succeeds(kit):
    attempts: list[int] = []

    async def flaky(event: Event, uow: UnitOfWork) -> None:
        await kit.record_effect(event, uow)  # rolled back on failure, like any effect
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError("downstream blip")

    [event] = await kit.commit()
    await kit.relay().publish_pending()
    async with kit.consumer({kit.EVENT_TYPE: flaky}):
        await kit.wait_until(lambda: _handled(kit, 1))

    assert len(attempts) == 3
    assert await kit.effects() == {event.id: 1}
    assert kit.sample(metrics.CONSUMER_FAILURES, queue=kit.queue) == 2
    assert await kit.depth(kit.dead_letter_queue) == 0


async def test_a_poison_message_is_dead_lettered_after_max_attempts_and_can_be_replayed(kit):
    attempts: list[uuid.UUID] = []
    healed = asyncio.Event()

    async def poisoned(event: Event, uow: UnitOfWork) -> None:
        attempts.append(event.id)
        if not healed.is_set():
            raise ValueError("cannot parse plan 'gold+'")
        await kit.record_effect(event, uow)

    [event] = await kit.commit()
    await kit.relay().publish_pending()
    consumer = kit.consumer({kit.EVENT_TYPE: poisoned})
    async with consumer:

        async def dead_lettered() -> bool:
            return await kit.depth(kit.dead_letter_queue) == 1

        await kit.wait_until(dead_lettered)
        await asyncio.sleep(0.1)  # nothing more happens to it
        assert len(attempts) == kit.settings.max_delivery_attempts == 5
        assert await kit.depth(kit.queue) == 0
        assert kit.sample(metrics.DEAD_LETTERED, queue=kit.queue) == 1
        assert kit.sample(metrics.DLQ_DEPTH, queue=kit.dead_letter_queue) == 1

        dead = await kit.get(kit.dead_letter_queue)
        assert dead.message_id == str(event.id)
        assert Event.model_validate_json(dead.body) == event
        assert dead.headers["x-error"] == "ValueError: cannot parse plan 'gold+'"
        assert dead.headers["x-attempts"] == 5
        assert dead.headers["x-original-queue"] == kit.queue
        assert dead.headers["x-original-routing-key"] == kit.EVENT_TYPE
        await publish_back(kit, dead)  # we only looked

        healed.set()  # the bug is fixed and deployed
        assert await replay_dead_letters(kit.settings, kit.SPEC) == 1

        async def applied() -> bool:
            return await kit.effects() == {event.id: 1}

        await kit.wait_until(applied)
    assert len(attempts) == 6
    assert await kit.depth(kit.dead_letter_queue) == 0


async def publish_back(kit, message) -> None:
    channel = await kit.channel()
    await channel.default_exchange.publish(
        aio_pika.Message(message.body, headers=message.headers, message_id=message.message_id),
        routing_key=kit.dead_letter_queue,
    )


async def test_an_undecodable_message_goes_straight_to_the_dead_letter_queue(kit):
    async with kit.consumer():
        await publish_raw(kit, b"{not json", message_id="garbage-1")

        async def dead_lettered() -> bool:
            return await kit.depth(kit.dead_letter_queue) == 1

        await kit.wait_until(dead_lettered)

    dead = await kit.get(kit.dead_letter_queue)
    assert dead.body == b"{not json"
    assert dead.headers["x-attempts"] == 1
    assert dead.headers["x-error"].startswith("ValidationError:")


async def test_replay_moves_only_up_to_the_limit(kit):
    for n in range(3):
        await publish_back_raw(kit, f"m{n}")
    assert await replay_dead_letters(kit.settings, kit.SPEC, limit=2) == 2
    assert await kit.depth(kit.dead_letter_queue) == 1
    assert await kit.depth(kit.queue) == 2
    moved = await kit.get(kit.queue)
    assert moved.routing_key == kit.EVENT_TYPE
    assert "x-error" not in moved.headers


async def publish_back_raw(kit, message_id: str) -> None:
    channel = await kit.channel()
    await channel.default_exchange.publish(
        aio_pika.Message(
            b"{}",
            message_id=message_id,
            headers={"x-error": "boom", "x-original-routing-key": kit.EVENT_TYPE},
        ),
        routing_key=kit.dead_letter_queue,
    )


async def test_a_message_the_broker_dead_letters_reaches_the_dead_letter_queue_and_replays(kit):
    # What the queue's own delivery limit does: the broker dead-letters through the queue's
    # x-dead-letter-exchange, the service's own exchange, not the default one.
    await publish_raw(kit, b"{}", message_id="rejected-1")

    async def queued() -> bool:
        return await kit.depth(kit.queue) == 1

    await kit.wait_until(queued)
    queue = await (await kit.channel()).declare_queue(kit.queue, passive=True)
    message = await queue.get(no_ack=False)
    await message.reject(requeue=False)

    async def dead_lettered() -> bool:
        return await kit.depth(kit.dead_letter_queue) == 1

    await kit.wait_until(dead_lettered)
    assert await replay_dead_letters(kit.settings, kit.SPEC) == 1
    moved = await kit.get(kit.queue)
    assert moved.message_id == "rejected-1"
    assert moved.routing_key == kit.EVENT_TYPE


async def test_stop_lets_the_message_in_hand_finish(kit):
    started = asyncio.Event()

    async def slow(event: Event, uow: UnitOfWork) -> None:
        started.set()
        await asyncio.sleep(0.3)
        await kit.record_effect(event, uow)

    [event] = await kit.commit()
    await kit.relay().publish_pending()
    consumer = kit.consumer({kit.EVENT_TYPE: slow})
    await consumer.start()
    await asyncio.wait_for(started.wait(), 5)

    await consumer.stop()

    assert await kit.effects() == {event.id: 1}
    assert await kit.depth(kit.queue) == 0  # acked, not handed back to the queue
