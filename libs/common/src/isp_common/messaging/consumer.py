"""Consuming events with exactly-once effects (DESIGN §4).

Delivery is at-least-once (the relay republishes what it could not delete, the broker redelivers
what was not acked), so a consumer records each event id in its inbox *in the same transaction as
the handler's effects*: a redelivered event finds its id there and is skipped. Events carry their
aggregate's snapshot, so one older than the version already applied is skipped as stale.

Before that, an event that can never be applied is refused (`admission`): one whose type is not
its producer's, or one older than the inbox's retention. It goes straight to the dead-letter queue.

A handler that raises is retried (nack with requeue, after a growing pause) until the delivery
count of the quorum queue reaches `max_delivery_attempts`; then the message goes to
`<queue>.dead` with its error in `x-error`, and `replay_dead_letters` can bring it back. Only a
database outage (`outage.is_database_outage`) holds an event without using up its attempts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractConnection,
    AbstractIncomingMessage,
    AbstractQueue,
    HeadersType,
)
from pydantic import ValidationError
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common import context, metrics
from isp_common.db import Database, UnitOfWork
from isp_common.logging import get_logger
from isp_common.messaging import topology
from isp_common.messaging.admission import refusal
from isp_common.messaging.envelope import Event
from isp_common.messaging.outage import is_database_outage
from isp_common.messaging.topology import QueueSpec
from isp_common.settings import Settings

log = get_logger(__name__)

Handler = Callable[[Event, UnitOfWork], Awaitable[None]]

RECONNECT_MIN_SECONDS = 0.1
RECONNECT_MAX_SECONDS = 5.0
RETRY_MAX_SECONDS = 5.0
OUTAGE_RETRY_MIN_SECONDS = 0.2
OUTAGE_RETRY_MAX_SECONDS = 5.0
PUBLISH_TIMEOUT_SECONDS = 30.0
ERROR_HEADER_LIMIT = 1000
# Headers the consumer adds when dead-lettering; a replay strips them so the event starts afresh.
DEAD_LETTER_HEADERS = frozenset(
    {"x-error", "x-attempts", "x-original-queue", "x-original-routing-key", "x-death"}
)


class Consumer:
    """Consumes one queue of the platform topology.

    `start()` returns once the queue is being consumed and keeps reconnecting in the background;
    `stop()` stops taking messages, lets those in hand finish and disconnects. `async with
    consumer:` does both, and `run()` consumes until cancelled.
    """

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        spec: QueueSpec,
        handlers: Mapping[str, Handler],
        uow_factory: Callable[[UUID], UnitOfWork],
        retry_delay_seconds: float = 0.5,
        fallback: Handler | None = None,
        track_versions: bool = True,
    ) -> None:
        self.settings = settings
        self.db = db
        self.spec = spec
        self.handlers = dict(handlers)
        # For a type without its own handler; None ignores such events (they are still
        # recorded in the inbox). The audit trail takes every type this way.
        self.fallback = fallback
        # A replica applies only what is newer than it holds; a log of events (the audit trail)
        # keeps every one, in whatever order they arrive.
        self.track_versions = track_versions
        # What became of each event handled so far ("applied", "duplicate", …), as the metric.
        self.outcomes: Counter[str] = Counter()
        self.uow_factory = uow_factory
        # First pause before a failed message is retried; it doubles with every attempt.
        self.retry_delay_seconds = retry_delay_seconds
        self.queue_name = topology.queue_name(settings, spec)
        self.dead_letter_queue = topology.dead_letter_name(settings, spec)
        # The inbox is keyed by purpose, not by the prefixed broker name, so that renaming a
        # deployment's queues does not replay history.
        self.inbox_name = spec.base_name
        self._connection: AbstractConnection | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._consuming = asyncio.Event()
        self._supervisor: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._stopping = False

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self, *, wait: bool = True) -> None:
        """Begin consuming (reconnecting as needed); with `wait`, return once the queue is
        consumed."""
        if self._supervisor is not None:
            return
        self._stopping = False
        self._supervisor = asyncio.create_task(
            self._supervise(), name=f"consumer {self.queue_name}"
        )
        if not wait:
            return
        consuming = asyncio.create_task(self._consuming.wait())
        await asyncio.wait({consuming, self._supervisor}, return_when=asyncio.FIRST_COMPLETED)
        consuming.cancel()
        if self._supervisor.done():
            self._supervisor.result()  # re-raises why it could not start

    async def stop(self, grace_seconds: float = 30.0) -> None:
        """Graceful: no new deliveries, the ones in hand finish (up to `grace_seconds`), then
        disconnect."""
        self._stopping = True
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
            self._supervisor = None
        self._consuming.clear()
        await self._cancel_consuming()
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=grace_seconds)
        await self._close_connection()

    async def run(self) -> None:
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.shield(self.stop())

    async def __aenter__(self) -> Consumer:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    async def _supervise(self) -> None:
        delay = RECONNECT_MIN_SECONDS
        while not self._stopping:
            try:
                lost = await self._connect()
            except Exception as exc:
                log.warning("consumer cannot connect", queue=self.queue_name, error=_describe(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)
                continue
            delay = RECONNECT_MIN_SECONDS
            self._consuming.set()
            await lost.wait()
            self._consuming.clear()
            log.warning("consumer lost the broker; reconnecting", queue=self.queue_name)
            await self._close_connection()

    async def _connect(self) -> asyncio.Event:
        lost = asyncio.Event()
        connection = await aio_pika.connect(
            self.settings.amqp_url,
            client_properties={
                "connection_name": f"{self.settings.service_name}.{self.queue_name}"
            },
        )
        try:
            connection.close_callbacks.add(lambda *_: lost.set())
            # Confirms are for dead-lettering: a message is acked only once its copy is safe.
            channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            channel.close_callbacks.add(lambda *_: lost.set())
            await channel.set_qos(prefetch_count=self.settings.consumer_prefetch)
            queue = await topology.declare_queue(channel, self.settings, self.spec)
            await self._refresh_dlq_depth(channel)

            async def on_message(message: AbstractIncomingMessage) -> None:
                self._spawn(self._process(channel, message))

            self._consumer_tag = await queue.consume(on_message)
        except BaseException:
            await connection.close()
            raise
        self._connection, self._queue = connection, queue
        return lost

    def _spawn(self, work: Awaitable[None]) -> None:
        # Our own task, not the channel's: a dying channel cancels its tasks, and a handler
        # cut off mid-transaction is worse than one that finishes and fails to ack (the inbox
        # turns the redelivery into a no-op).
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._in_flight.add(task)
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        error = None if task.cancelled() else task.exception()
        if error is not None:
            log.error(
                "message processing crashed; it stays unacked until the channel closes",
                queue=self.queue_name,
                error=_describe(error),
            )

    async def _cancel_consuming(self) -> None:
        queue, tag, self._consumer_tag = self._queue, self._consumer_tag, None
        if queue is not None and tag is not None:
            with contextlib.suppress(Exception):
                await queue.cancel(tag)

    async def _close_connection(self) -> None:
        connection, self._connection, self._queue = self._connection, None, None
        self._consumer_tag = None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()

    # -- one message -----------------------------------------------------------------------------

    async def _process(self, channel: AbstractChannel, message: AbstractIncomingMessage) -> None:
        attempt = delivery_attempt(message)
        try:
            event = Event.model_validate_json(message.body)
        except ValidationError as exc:
            # Retrying cannot make a broken body readable.
            metrics.CONSUMER_FAILURES.labels(self.queue_name).inc()
            await self._dead_letter(channel, message, exc, attempt)
            return
        refused = refusal(
            event,
            retention=timedelta(days=self.settings.inbox_retention_days),
            now=datetime.now(UTC),
        )
        if refused is not None:
            metrics.CONSUMER_HANDLED.labels(self.queue_name, "refused").inc()
            self.outcomes["refused"] += 1
            await self._dead_letter(channel, message, refused, attempt)
            return
        token = context.current.set(
            context.RequestContext(
                correlation_id=event.correlation_id or str(event.id),
                causation_id=str(event.id),
                tenant_id=event.tenant_id,
                actor=context.Actor(
                    sub=event.actor.sub, roles=tuple(event.actor.roles), ip=event.actor.ip
                ),
            )
        )
        try:
            outcome = await self._handle_through_outages(event)
        except Exception as exc:
            metrics.CONSUMER_FAILURES.labels(self.queue_name).inc()
            log.warning(
                "event handler failed",
                queue=self.queue_name,
                event_id=str(event.id),
                event_type=event.type,
                attempt=attempt,
                error=_describe(exc),
            )
            if attempt >= self.settings.max_delivery_attempts:
                await self._dead_letter(channel, message, exc, attempt)
            else:
                await asyncio.sleep(self._retry_delay(attempt))
                await _settle(message.nack(requeue=True))
            return
        finally:
            context.current.reset(token)
        metrics.CONSUMER_HANDLED.labels(self.queue_name, outcome).inc()
        self.outcomes[outcome] += 1
        await _settle(message.ack())

    async def _handle_through_outages(self, event: Event) -> str:
        """While the database is unreachable the event is held and tried again here: an outage
        says nothing about the event, so it must not use up its delivery attempts and end in
        the dead-letter queue. Prefetch bounds how many events are held this way."""
        pause = OUTAGE_RETRY_MIN_SECONDS
        while True:
            try:
                return await self._handle(event)
            except Exception as exc:
                if self._stopping or not is_database_outage(exc):
                    raise
                log.warning(
                    "database unreachable, holding the event",
                    queue=self.queue_name,
                    event_id=str(event.id),
                    error=_describe(exc),
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, OUTAGE_RETRY_MAX_SECONDS)

    async def _handle(self, event: Event) -> str:
        """Applies the event in one transaction; returns what became of it (a metric label)."""
        async with self.uow_factory(event.tenant_id) as uow:
            if not await self._record_in_inbox(uow.connection, event):
                return "duplicate"
            handler = self.handlers.get(event.type, self.fallback)
            if handler is None:
                await uow.commit()
                return "ignored"
            if self.track_versions and not await self._advance_version(uow.connection, event):
                await uow.commit()
                return "stale"
            await handler(event, uow)
            await uow.commit()
            return "applied"

    async def _record_in_inbox(self, connection: AsyncConnection, event: Event) -> bool:
        """False if this consumer has seen the event. A concurrent delivery of the same event
        waits here on the first one's row, so only one of them ever proceeds."""
        inbox = self.db.tables.inbox
        stmt = (
            insert(inbox)
            .values(
                consumer=self.inbox_name,
                event_id=event.id,
                tenant_id=event.tenant_id,
                event_type=event.type,
            )
            .on_conflict_do_nothing()
            .returning(inbox.c.event_id)
        )
        return (await connection.execute(stmt)).first() is not None

    async def _advance_version(self, connection: AsyncConnection, event: Event) -> bool:
        """False if this consumer already applied this or a later version of the aggregate.
        One statement, so two versions handled at once cannot both think they are the newest."""
        versions = self.db.tables.consumer_versions
        new = insert(versions).values(
            tenant_id=event.tenant_id,
            consumer=self.inbox_name,
            aggregate=event.aggregate,
            aggregate_id=event.aggregate_id,
            version=event.aggregate_version,
            updated_at=func.now(),
        )
        stmt = new.on_conflict_do_update(
            index_elements=[versions.c.consumer, versions.c.aggregate, versions.c.aggregate_id],
            # updated_at is what housekeeping purges by: a row untouched for the retention can
            # only be outdone by events the consumer refuses anyway.
            set_={"version": new.excluded.version, "updated_at": new.excluded.updated_at},
            where=versions.c.version < new.excluded.version,
        ).returning(versions.c.version)
        return (await connection.execute(stmt)).first() is not None

    def _retry_delay(self, attempt: int) -> float:
        return float(min(self.retry_delay_seconds * 2 ** (attempt - 1), RETRY_MAX_SECONDS))

    async def _dead_letter(
        self,
        channel: AbstractChannel,
        message: AbstractIncomingMessage,
        error: BaseException,
        attempt: int,
    ) -> None:
        headers: HeadersType = {
            key: value
            for key, value in (message.headers or {}).items()
            if key != "x-delivery-count"
        }
        headers.update(
            {
                "x-error": _describe(error)[:ERROR_HEADER_LIMIT],
                "x-attempts": attempt,
                "x-original-queue": self.queue_name,
                "x-original-routing-key": message.routing_key or "",
            }
        )
        copy = _copy_of(message, headers)
        try:
            # On the channel the message came on: if that one is gone, so is our right to ack,
            # and the redelivered message will be dead-lettered then.
            await channel.default_exchange.publish(
                copy,
                routing_key=self.dead_letter_queue,
                mandatory=True,
                timeout=PUBLISH_TIMEOUT_SECONDS,
            )
        except Exception as exc:
            log.error(
                "dead-lettering failed; the message stays in its queue",
                queue=self.queue_name,
                error=_describe(exc),
            )
            await asyncio.sleep(self._retry_delay(attempt))
            await _settle(message.nack(requeue=True))
            return
        await _settle(message.ack())
        metrics.DEAD_LETTERED.labels(self.queue_name).inc()
        log.error(
            "event dead-lettered",
            queue=self.queue_name,
            message_id=message.message_id,
            attempts=attempt,
            error=headers["x-error"],
        )
        with contextlib.suppress(Exception):
            await self._refresh_dlq_depth(channel)

    async def _refresh_dlq_depth(self, channel: AbstractChannel) -> None:
        dead = await channel.declare_queue(self.dead_letter_queue, passive=True)
        depth = dead.declaration_result.message_count or 0
        metrics.DLQ_DEPTH.labels(self.dead_letter_queue).set(depth)


def delivery_attempt(message: AbstractIncomingMessage) -> int:
    """1 on first delivery; quorum queues count the earlier ones in `x-delivery-count`."""
    count = (message.headers or {}).get("x-delivery-count")
    return int(count) + 1 if isinstance(count, int) else 1


async def _settle(acknowledgement: Awaitable[Any]) -> None:
    """Ack or nack; if the channel died meanwhile the broker redelivers, which the inbox absorbs."""
    try:
        await acknowledgement
    except Exception as exc:
        log.info("could not settle a message; it will be redelivered", error=_describe(exc))


async def replay_dead_letters(settings: Settings, spec: QueueSpec, limit: int | None = None) -> int:
    """Move up to `limit` messages (all by default) from `<queue>.dead` back to the events
    exchange, each with its original routing key; returns how many moved.

    For SREs, once the cause of the failures (in each message's `x-error`, with `x-attempts`
    and `x-original-queue`) is fixed. From a Python shell with the service's environment:
    `asyncio.run(replay_dead_letters(Settings(service_name="customers"),
    queue_spec("customers", "replicas")))`.

    Only the messages present when it starts are moved, so one that fails again does not loop.
    Each is re-published with a publisher confirm before it is acked from the dead-letter
    queue: none is lost, though a crash in between can repeat one. Going through the exchange,
    the event also reaches the other queues bound to its type; their inboxes recognise its id
    and skip it. The dead-letter headers are dropped, so the event gets a fresh
    `max_delivery_attempts`.
    """
    connection = await aio_pika.connect(
        settings.amqp_url,
        client_properties={"connection_name": f"{settings.service_name}.dlq-replay"},
    )
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        await topology.declare_queue(channel, settings, spec)
        exchange = await topology.declare_exchange(channel, settings)
        dead_name = topology.dead_letter_name(settings, spec)
        dead = await channel.declare_queue(dead_name, passive=True)
        waiting = dead.declaration_result.message_count or 0
        budget = waiting if limit is None else min(limit, waiting)
        moved = 0
        while moved < budget:
            message = await dead.get(no_ack=False, fail=False)
            if message is None:
                break
            try:
                await exchange.publish(
                    _replayed(message),
                    routing_key=original_routing_key(message),
                    mandatory=True,
                    timeout=PUBLISH_TIMEOUT_SECONDS,
                )
            except BaseException:
                await _settle(message.nack(requeue=True))
                raise
            await message.ack()
            moved += 1
        metrics.DLQ_DEPTH.labels(dead_name).set(max(waiting - moved, 0))
        log.info("dead letters replayed", queue=dead_name, moved=moved)
        return moved


def original_routing_key(message: AbstractIncomingMessage) -> str:
    headers = message.headers or {}
    key = headers.get("x-original-routing-key")
    if isinstance(key, str) and key:
        return key
    # Dead-lettered by the broker itself (its delivery limit): the key is in x-death.
    deaths = headers.get("x-death")
    if isinstance(deaths, list) and deaths and isinstance(deaths[0], dict):
        keys = deaths[0].get("routing-keys")
        if isinstance(keys, list) and keys and isinstance(keys[0], str):
            return keys[0]
    # Routing key = event type, which the relay also puts in the headers.
    for candidate in (headers.get("type"), message.type):
        if isinstance(candidate, str) and candidate:
            return candidate
    raise ValueError(f"cannot tell where dead letter {message.message_id} was going")


def _replayed(message: AbstractIncomingMessage) -> aio_pika.Message:
    headers: HeadersType = {
        key: value
        for key, value in (message.headers or {}).items()
        if key not in DEAD_LETTER_HEADERS and key != "x-delivery-count"
    }
    return _copy_of(message, headers)


def _copy_of(message: AbstractIncomingMessage, headers: HeadersType) -> aio_pika.Message:
    """The same event, durable, with other headers (for the dead-letter queue and back)."""
    return aio_pika.Message(
        message.body,
        headers=headers,
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=message.message_id,
        type=message.type,
        timestamp=message.timestamp,
    )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
