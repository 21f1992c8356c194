"""Property 27: no lost events, no doubled effects, whatever happens in between.

Each example is a random interleaving of what production does to the event path: use cases that
commit or roll back, relay batches, a relay killed after the broker confirmed but before it
deleted, handlers failing for a while, the same event delivered twice, every broker connection
cut. After it, the path is drained and every committed event must have been applied exactly once
and no rolled-back one ever. The examples share one tenant, relay, consumer and queue, and each
check covers every example so far, so a late duplicate of an earlier example is caught too.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isp_common.db import UnitOfWork
from isp_common.messaging.consumer import Consumer
from isp_common.messaging.envelope import Event
from isp_common.messaging.relay import OutboxRelay

pytestmark = pytest.mark.integration


class RelayKilled(Exception):
    pass


class KillableRelay(OutboxRelay):
    kill_before_delete = False
    cut_during_next_batch: Callable[[], object] | None = None

    async def _publish_batch(self, exchange, rows):  # type: ignore[no-untyped-def]
        cut, self.cut_during_next_batch = self.cut_during_next_batch, None
        if cut is None:
            return await super()._publish_batch(exchange, rows)
        publishing = asyncio.ensure_future(super()._publish_batch(exchange, rows))
        for _ in range(3):  # the publishes are on their way, their confirms are not back
            await asyncio.sleep(0)
        cut()
        return await publishing

    async def _settle(self, conn, rows, outcomes):  # type: ignore[no-untyped-def]
        if self.kill_before_delete:
            raise RelayKilled
        return await super()._settle(conn, rows, outcomes)


# -- the operations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commit:
    events: int


@dataclass(frozen=True)
class Rollback:
    pass


@dataclass(frozen=True)
class RelayBatch:
    pass


@dataclass(frozen=True)
class RelayCrashBeforeDelete:
    pass


@dataclass(frozen=True)
class HandlerFailsNext:
    """The handler fails this many times for each event of the next commit (transiently: fewer
    times than the delivery budget)."""

    times: int


@dataclass(frozen=True)
class DuplicateDelivery:
    pass


@dataclass(frozen=True)
class BrokerConnectionsCut:
    """Every connection to the broker dies: now (deliveries in hand are handed back), or in the
    middle of the relay's next batch (publishes sent, confirms outstanding)."""

    mid_relay_batch: bool


operations = st.one_of(
    st.builds(Commit, st.integers(1, 3)),
    st.just(Rollback()),
    st.just(RelayBatch()),
    st.just(RelayCrashBeforeDelete()),
    st.builds(HandlerFailsNext, st.integers(1, 3)),
    st.just(DuplicateDelivery()),
    st.builds(BrokerConnectionsCut, st.booleans()),
)


# -- the path under test -------------------------------------------------------------------------


class EventPath:
    def __init__(
        self,
        kit: Any,
        proxy: Any,
        relay: KillableRelay,
        consumer: Consumer,
        failures_left: dict[uuid.UUID, int],
    ) -> None:
        self.kit = kit
        self.proxy = proxy
        self.relay = relay
        self.consumer = consumer
        self.failures_left = failures_left
        # Events of the examples that passed: each must stay applied exactly once.
        self.settled: list[Event] = []

    def __repr__(self) -> str:  # Hypothesis prints it with a failing example
        return f"EventPath(queue={self.kit.queue!r}, settled={len(self.settled)} events)"


@dataclass
class Example:
    committed: list[Event] = field(default_factory=list)
    rolled_back: list[Event] = field(default_factory=list)
    pending_failures: int = 0


@pytest.fixture(scope="module")
async def path(proxied_kit) -> AsyncIterator[EventPath]:
    kit, proxy = proxied_kit
    failures_left: dict[uuid.UUID, int] = {}

    async def sometimes_failing(event: Event, uow: UnitOfWork) -> None:
        await kit.record_effect(event, uow)  # rolled back with the failure
        if failures_left.get(event.id, 0) > 0:
            failures_left[event.id] -= 1
            raise ConnectionError("transient failure")

    relay = kit.relay(KillableRelay)
    consumer = kit.consumer({kit.EVENT_TYPE: sometimes_failing}, retry_delay_seconds=0.002)
    await consumer.start()
    state = EventPath(kit, proxy, relay, consumer, failures_left)
    yield state
    # After the last example: still nothing came late.
    await drain(state, Example())
    applied = await kit.effects()
    assert all(applied[e.id] == 1 for e in state.settled)


async def apply(state: EventPath, example: Example, op: object) -> None:
    kit = state.kit
    match op:
        case Commit(events=n):
            events = await kit.commit(n)
            for event in events:
                state.failures_left[event.id] = example.pending_failures
            example.pending_failures = 0
            example.committed += events
        case Rollback():
            async with UnitOfWork(kit.db, kit.tenant) as uow:
                aggregate = uuid.uuid4()
                example.rolled_back.append(
                    uow.raise_event(kit.EVENT_TYPE, aggregate, 1, kit.ticket(aggregate, 1))
                )
        case RelayBatch():
            with contextlib.suppress(Exception):  # a batch on a connection just cut
                await state.relay.publish_pending()
        case RelayCrashBeforeDelete():
            state.relay.kill_before_delete = True
            try:
                with contextlib.suppress(Exception):  # RelayKilled, or a cut connection
                    await state.relay.publish_pending()
            finally:
                state.relay.kill_before_delete = False
        case HandlerFailsNext(times=k):
            example.pending_failures = k
        case DuplicateDelivery() if example.committed or state.settled:
            event = (example.committed or state.settled)[-1]
            exchange = await (await kit.channel()).get_exchange(kit.settings.events_exchange)
            await exchange.publish(
                aio_pika.Message(event.model_dump_json().encode(), message_id=str(event.id)),
                routing_key=event.type,
            )
        case BrokerConnectionsCut(mid_relay_batch=True):
            state.relay.cut_during_next_batch = state.proxy.cut
        case BrokerConnectionsCut():
            state.proxy.cut()


async def drain(state: EventPath, example: Example) -> None:
    """Relay what is left and wait until the consumer has nothing more to do."""
    kit = state.kit
    while await kit.outbox():
        with contextlib.suppress(Exception):
            await state.relay.publish_pending()

    expected = {e.id for e in example.committed}

    async def all_applied() -> bool:
        return expected <= set(await kit.effects())

    # Not forever: if one is lost, the assertions after this say which.
    with contextlib.suppress(AssertionError):
        await kit.wait_until(all_applied, within=5, every=0.005)

    async def quiet() -> bool:
        return state.consumer.in_flight == 0 and await kit.depth(kit.queue) == 0

    # Twice, apart: a cut hands unacked messages back to the queue a moment later.
    for _ in range(2):
        await kit.wait_until(quiet, within=5, every=0.005)
        await asyncio.sleep(0.02)
    # A cut armed for a batch that never came must not strike in the next example.
    state.relay.cut_during_next_batch = None


# Feature: isp-management-system, Property 27: No lost events (docs/properties.md)
@settings(max_examples=100, deadline=None)
@given(ops=st.lists(operations, min_size=1, max_size=10))
async def test_every_committed_event_is_applied_exactly_once_and_no_rolled_back_one_ever(
    path: EventPath, ops: list[object]
) -> None:
    example = Example()
    for op in ops:
        await apply(path, example, op)
    await drain(path, example)

    applied = await path.kit.effects()
    assert {e.id: applied[e.id] for e in example.committed} == {e.id: 1 for e in example.committed}
    assert not {e.id for e in example.rolled_back} & set(applied)
    assert all(applied[e.id] == 1 for e in path.settled)  # no late duplicate of earlier ones
    assert await path.kit.depth(path.kit.dead_letter_queue) == 0
    path.settled += example.committed
