"""Consuming events with exactly-once effects (docs/events.md).

Delivery is at-least-once (the relay republishes what it could not delete, the broker redelivers
what was not acked), so a consumer records each event id in its inbox *in the same transaction as
the handler's effects*: a redelivered event finds its id there and is skipped. Events carry their
aggregate's snapshot, so one older than the version already applied is skipped as stale.

Before that, an event that can never be applied is refused (`admission`): one whose type is not
its producer's, or one older than the inbox's retention. It goes straight to the dead-letter queue.

A handler that raises is retried (nack with requeue, after a growing pause) until the delivery
count of the quorum queue reaches `max_delivery_attempts`; then the message goes to
`<queue>.dead` with its error in `x-error` (`dead_letters`, which can also bring it back). Only
a database outage (`outage.is_database_outage`) holds an event without using up its attempts.

A consumer is generic over the service's unit of work: its handlers receive the unit of work
its `uow_factory` opens, typed as such.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeAlias, TypeVar
from uuid import UUID

from aio_pika.abc import AbstractChannel, AbstractIncomingMessage
from pydantic import ValidationError

from isp_common import context, metrics
from isp_common.db import Database, UnitOfWork
from isp_common.logging import get_logger
from isp_common.messaging import topology
from isp_common.messaging.admission import refusal
from isp_common.messaging.dead_letters import (
    dead_letter_headers,
    publish_dead_letter,
    refresh_dlq_depth,
)
from isp_common.messaging.delivery import delivery_attempt, describe_error, settle
from isp_common.messaging.envelope import Event
from isp_common.messaging.inbox import advance_version, record_in_inbox
from isp_common.messaging.outage import is_database_outage
from isp_common.messaging.subscription import QueueSubscription
from isp_common.messaging.topology import QueueSpec
from isp_common.settings import Settings

log = get_logger(__name__)

UowT = TypeVar("UowT", bound=UnitOfWork)
# What handles one event type, inside the unit of work that also records it in the inbox. A
# service types its handlers with the unit of work its use cases declare (a port, a Protocol),
# which the consumer's own (its uow_factory's) satisfies.
HandledUow = TypeVar("HandledUow")
Handler: TypeAlias = Callable[[Event, HandledUow], Awaitable[None]]

RETRY_MAX_SECONDS = 5.0
OUTAGE_RETRY_MIN_SECONDS = 0.2
OUTAGE_RETRY_MAX_SECONDS = 5.0


class Consumer(QueueSubscription, Generic[UowT]):
    """Consumes one queue of the platform topology (see `QueueSubscription` for its lifecycle),
    applying each event with the handler of its type in a unit of work of the service's."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        spec: QueueSpec,
        handlers: Mapping[str, Handler[UowT]],
        uow_factory: Callable[[UUID], UowT],
        retry_delay_seconds: float = 0.5,
        fallback: Handler[UowT] | None = None,
        track_versions: bool = True,
    ) -> None:
        super().__init__(settings, spec)
        self.db = db
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
        self.dead_letter_queue = topology.dead_letter_name(settings, spec)
        self.dead_letter_exchange = topology.dead_letter_exchange_name(settings, spec)
        # The inbox is keyed by purpose, not by the prefixed broker name, so that renaming a
        # deployment's queues does not replay history.
        self.inbox_name = spec.base_name

    async def _on_connected(self, channel: AbstractChannel) -> None:
        await refresh_dlq_depth(channel, self.dead_letter_queue)

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
                error=describe_error(exc),
            )
            if attempt >= self.settings.max_delivery_attempts:
                await self._dead_letter(channel, message, exc, attempt)
            else:
                await asyncio.sleep(self._retry_delay(attempt))
                await settle(message.nack(requeue=True))
            return
        finally:
            context.current.reset(token)
        metrics.CONSUMER_HANDLED.labels(self.queue_name, outcome).inc()
        self.outcomes[outcome] += 1
        await settle(message.ack())

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
                    error=describe_error(exc),
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, OUTAGE_RETRY_MAX_SECONDS)

    async def _handle(self, event: Event) -> str:
        """Applies the event in one transaction; returns what became of it (a metric label)."""
        async with self.uow_factory(event.tenant_id) as uow:
            if not await record_in_inbox(uow.connection, self.db.tables, self.inbox_name, event):
                return "duplicate"
            handler = self.handlers.get(event.type, self.fallback)
            if handler is None:
                await uow.commit()
                return "ignored"
            if self.track_versions and not await advance_version(
                uow.connection, self.db.tables, self.inbox_name, event
            ):
                await uow.commit()
                return "stale"
            await handler(event, uow)
            await uow.commit()
            return "applied"

    def _retry_delay(self, attempt: int) -> float:
        return float(min(self.retry_delay_seconds * 2 ** (attempt - 1), RETRY_MAX_SECONDS))

    async def _dead_letter(
        self,
        channel: AbstractChannel,
        message: AbstractIncomingMessage,
        error: BaseException,
        attempt: int,
    ) -> None:
        headers = dead_letter_headers(message, error, attempt, self.queue_name)
        try:
            # On the channel the message came on: if that one is gone, so is our right to ack,
            # and the redelivered message will be dead-lettered then.
            await publish_dead_letter(
                channel, message, headers, self.dead_letter_exchange, self.dead_letter_queue
            )
        except Exception as exc:
            log.error(
                "dead-lettering failed; the message stays in its queue",
                queue=self.queue_name,
                error=describe_error(exc),
            )
            await asyncio.sleep(self._retry_delay(attempt))
            await settle(message.nack(requeue=True))
            return
        await settle(message.ack())
        metrics.DEAD_LETTERED.labels(self.queue_name).inc()
        log.error(
            "event dead-lettered",
            queue=self.queue_name,
            message_id=message.message_id,
            attempts=attempt,
            error=headers["x-error"],
        )
        with contextlib.suppress(Exception):
            await refresh_dlq_depth(channel, self.dead_letter_queue)
