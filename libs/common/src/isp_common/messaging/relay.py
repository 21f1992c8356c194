"""The transactional outbox relay: moves committed events from the outbox to the broker.

A use case writes its events to the outbox in its own transaction (see `db.UnitOfWork`), so an
event exists exactly when its change does. The relay claims a batch of rows (`FOR UPDATE SKIP
LOCKED`, so several replicas share the work without stepping on each other), publishes them all at
once on a confirming channel with `mandatory`, and deletes, in that same transaction, only the
rows the broker confirmed. A row whose publish was returned (unroutable), nacked or cut off stays,
with `attempts` and `last_error`, and is tried again later. Dying anywhere in between leaves the
rows in place: they are published again, which is why delivery is at-least-once and consumers
keep an inbox.

It wakes on `NOTIFY <schema>_outbox` (sent by the committing transaction, `outbox_listener`) and
polls every `relay_poll_seconds` in case a notification was missed while it was not listening.
Its connection to the broker is `relay_broker`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import aio_pika
import aiormq
from aio_pika.abc import AbstractExchange
from sqlalchemy import BigInteger, Text, all_, any_, bindparam, cast, delete, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common import metrics
from isp_common.db import Database
from isp_common.logging import get_logger
from isp_common.messaging.outbox_listener import listen_for_outbox
from isp_common.messaging.relay_broker import RelayBroker
from isp_common.messaging.topology import PLATFORM_QUEUES, QueueSpec
from isp_common.settings import Settings

log = get_logger(__name__)

# A broker that neither confirms nor refuses (flow control, a partition) must not hold the
# batch's row locks forever; the rows are simply tried again.
PUBLISH_TIMEOUT_SECONDS = 30.0
RECONNECT_MIN_SECONDS = 0.1
RECONNECT_MAX_SECONDS = 5.0
# Per row, after a return or a nack: 0.5 s, 1 s, 2 s, … up to a minute.
RETRY_BASE_SECONDS = 0.5
RETRY_MAX_SECONDS = 60.0
# Counting the outbox is a scan; under a large backlog the gauges need not be fresher than this.
BACKLOG_REFRESH_SECONDS = 1.0


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    id: UUID
    tenant_id: UUID
    type: str
    body: bytes
    attempts: int


@dataclass(frozen=True)
class BatchResult:
    claimed: int
    published: int


class Unconfirmed(Exception):
    """The broker answered a publish with something other than an ack."""


class OutboxRelay:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        queues: tuple[QueueSpec, ...] = PLATFORM_QUEUES,
    ) -> None:
        self.settings = settings
        self.db = db
        self.queues = queues
        self._service = settings.service_name
        self._broker = RelayBroker(settings, queues)
        self._batch_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stop_requested = asyncio.Event()
        # seq -> monotonic time before which a returned or nacked row is not claimed again.
        self._cooling: dict[int, float] = {}
        self._backlog_refreshed_at = 0.0

    # -- one batch -------------------------------------------------------------------------------

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many events the broker confirmed (and were deleted)."""
        return (await self.relay_batch()).published

    async def relay_batch(self) -> BatchResult:
        async with self._batch_lock:
            exchange = await self._ensure_broker()
            async with self._transaction() as conn:
                rows = await self._claim(conn)
                if not rows:
                    result = BatchResult(0, 0)
                else:
                    outcomes = await self._publish_batch(exchange, rows)
                    result = await self._settle(conn, rows, outcomes)
            await self._refresh_backlog_metrics()
            return result

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        async with self.db.engine.connect() as conn:
            # The engine may run in AUTOCOMMIT (the unit of work drives its own transactions),
            # but the claim's row locks must hold until the rows are deleted.
            await conn.execution_options(isolation_level="READ COMMITTED")
            async with conn.begin():
                yield conn

    async def _claim(self, conn: AsyncConnection) -> list[OutboxRow]:
        outbox = self.db.tables.outbox
        stmt = (
            select(
                outbox.c.seq,
                outbox.c.id,
                outbox.c.tenant_id,
                outbox.c.type,
                # Postgres renders the JSON once; no round trip through Python objects.
                cast(outbox.c.payload, Text).label("body"),
                outbox.c.attempts,
            )
            .order_by(outbox.c.seq)
            .limit(self.settings.relay_batch_size)
            .with_for_update(skip_locked=True)
        )
        cooling = self._cooling_seqs()
        if cooling:
            stmt = stmt.where(outbox.c.seq != all_(_bigint_array(cooling)))
        result = await conn.execute(stmt)
        return [
            OutboxRow(r.seq, r.id, r.tenant_id, r.type, r.body.encode(), r.attempts) for r in result
        ]

    async def _publish_batch(
        self, exchange: AbstractExchange, rows: Sequence[OutboxRow]
    ) -> list[BaseException | None]:
        """Every row's outcome: None when confirmed. All publishes are in flight at once, so the
        batch costs about one round trip to the broker, not one per event."""
        outcomes = await asyncio.gather(
            *(self._publish_one(exchange, row) for row in rows), return_exceptions=True
        )
        return [outcome if isinstance(outcome, BaseException) else None for outcome in outcomes]

    async def _publish_one(self, exchange: AbstractExchange, row: OutboxRow) -> None:
        message = aio_pika.Message(
            row.body,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=str(row.id),
            type=row.type,
            headers={"type": row.type, "tenant_id": str(row.tenant_id)},
        )
        answer = await exchange.publish(
            message, routing_key=row.type, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
        )
        # With on_return_raises a return raises PublishError; this guards against a channel
        # opened otherwise, where the returned message comes back as the result.
        if not isinstance(answer, aiormq.spec.Basic.Ack):
            raise Unconfirmed(f"broker answered {answer!r}")

    async def _settle(
        self,
        conn: AsyncConnection,
        rows: Sequence[OutboxRow],
        outcomes: Sequence[BaseException | None],
    ) -> BatchResult:
        outbox = self.db.tables.outbox
        confirmed = [row.seq for row, error in zip(rows, outcomes, strict=True) if error is None]
        failed = [
            (row, error) for row, error in zip(rows, outcomes, strict=True) if error is not None
        ]
        if confirmed:
            await conn.execute(delete(outbox).where(outbox.c.seq == any_(_bigint_array(confirmed))))
        if failed:
            await conn.execute(
                update(outbox)
                .where(outbox.c.seq == bindparam("failed_seq"))
                .values(attempts=outbox.c.attempts + 1, last_error=bindparam("error")),
                [{"failed_seq": row.seq, "error": _describe(error)} for row, error in failed],
            )
            self._cool_down(failed)
            log.warning(
                "outbox publish failed",
                failed=len(failed),
                first_error=_describe(failed[0][1]),
            )
        metrics.OUTBOX_PUBLISHED.labels(self._service).inc(len(confirmed))
        metrics.OUTBOX_PUBLISH_FAILURES.labels(self._service).inc(len(failed))
        return BatchResult(claimed=len(rows), published=len(confirmed))

    def _cool_down(self, failed: Sequence[tuple[OutboxRow, BaseException]]) -> None:
        now = time.monotonic()
        for row, error in failed:
            # A connection cut off takes every row with it; that is the broker's problem, not
            # the row's, and reconnecting already backs off.
            if isinstance(error, aiormq.exceptions.DeliveryError | Unconfirmed | TimeoutError):
                delay = min(RETRY_BASE_SECONDS * 2**row.attempts, RETRY_MAX_SECONDS)
                self._cooling[row.seq] = now + delay

    def _cooling_seqs(self) -> list[int]:
        now = time.monotonic()
        for seq in [seq for seq, until in self._cooling.items() if until <= now]:
            del self._cooling[seq]
        return list(self._cooling)

    async def _refresh_backlog_metrics(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._backlog_refreshed_at < BACKLOG_REFRESH_SECONDS:
            return
        self._backlog_refreshed_at = now
        outbox = self.db.tables.outbox
        async with self.db.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(
                        func.count(),
                        func.coalesce(
                            func.extract("epoch", func.now() - func.min(outbox.c.created_at)), 0
                        ),
                    ).select_from(outbox)
                )
            ).one()
        metrics.OUTBOX_BACKLOG.labels(self._service).set(row[0])
        metrics.OUTBOX_LAG_SECONDS.labels(self._service).set(float(row[1]))

    # -- the loop --------------------------------------------------------------------------------

    async def _ensure_broker(self) -> AbstractExchange:
        return await self._broker.exchange()

    async def close(self) -> None:
        await self._broker.close()

    def request_stop(self) -> None:
        """`run` returns after the batch in hand: its confirmed rows are deleted, not published
        again by the next start."""
        self._stop_requested.set()
        self._wake.set()

    async def run(self) -> None:
        """Relay until cancelled or asked to stop, surviving broker and database outages."""
        self._stop_requested.clear()
        listen = listen_for_outbox(
            self.settings.service_dsn, self.db.schema, self._wake, self.settings.relay_poll_seconds
        )
        listener = asyncio.create_task(listen, name=f"{self._service}.outbox-listen")
        delay = RECONNECT_MIN_SECONDS
        try:
            while not self._stop_requested.is_set():
                self._wake.clear()
                try:
                    result = await self.relay_batch()
                except Exception as exc:
                    log.warning("outbox relay interrupted", error=_describe(exc))
                    await self._broker.close()
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RECONNECT_MAX_SECONDS)
                    continue
                delay = RECONNECT_MIN_SECONDS
                batch_was_full = result.claimed == self.settings.relay_batch_size
                if batch_was_full and result.published == result.claimed:
                    continue  # a backlog: keep going without waiting for a notification
                if self._stop_requested.is_set():
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.settings.relay_poll_seconds)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
            await self.close()


def _bigint_array(values: list[int]) -> Any:
    return bindparam(None, values, type_=ARRAY(BigInteger))


def _describe(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    return text[:1000]
