"""Taking messages from one queue of the platform topology, through broker outages.

`QueueSubscription` keeps a connection and a consumer on the queue, reconnecting with a growing
pause when the broker goes, and runs each delivery as a task of its own; what a delivery means
is its subclass's (`consumer.Consumer`). `start()` returns once the queue is being consumed and
keeps reconnecting in the background; `stop()` stops taking messages, lets those in hand finish
and disconnects. `async with subscription:` does both, and `run()` consumes until cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import Self

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractIncomingMessage, AbstractQueue

from isp_common.logging import get_logger
from isp_common.messaging import topology
from isp_common.messaging.delivery import describe_error
from isp_common.messaging.topology import QueueSpec
from isp_common.settings import Settings

log = get_logger(__name__)

RECONNECT_MIN_SECONDS = 0.1
RECONNECT_MAX_SECONDS = 5.0


class QueueSubscription:
    def __init__(self, settings: Settings, spec: QueueSpec) -> None:
        self.settings = settings
        self.spec = spec
        self.queue_name = topology.queue_name(settings, spec)
        self._connection: AbstractConnection | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._consuming = asyncio.Event()
        self._supervisor: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._stopping = False

    async def _process(self, channel: AbstractChannel, message: AbstractIncomingMessage) -> None:
        """One delivery, on the channel it came on (acks must go back on that one)."""
        raise NotImplementedError

    async def _on_connected(self, channel: AbstractChannel) -> None:
        """After the queue is declared on a fresh connection, before any delivery."""

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

    async def __aenter__(self) -> Self:
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
                log.warning(
                    "consumer cannot connect", queue=self.queue_name, error=describe_error(exc)
                )
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
            await self._on_connected(channel)

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
                error=describe_error(error),
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
