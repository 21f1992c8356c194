"""The outbox relay's connection to the broker: one confirming channel on the events exchange,
reopened after the broker went away. Every connect declares the platform's queues first, so an
event is routable even before its consumers start."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import aio_pika
import aiormq
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractExchange

from isp_common.logging import get_logger
from isp_common.messaging import topology
from isp_common.messaging.topology import QueueSpec
from isp_common.settings import Settings

log = get_logger(__name__)


class RelayBroker:
    def __init__(self, settings: Settings, queues: tuple[QueueSpec, ...]) -> None:
        self.settings = settings
        self.queues = queues
        self._service = settings.service_name
        self._connection: AbstractConnection | None = None
        self._exchange: AbstractExchange | None = None
        self._lost = asyncio.Event()
        self._connect_lock = asyncio.Lock()

    async def exchange(self) -> AbstractExchange:
        """The events exchange on a live channel, connecting first if there is none."""
        async with self._connect_lock:
            if self._exchange is not None and not self._lost.is_set():
                return self._exchange
            await self.close()
            connection = await aio_pika.connect(
                self.settings.amqp_url,
                client_properties={"connection_name": f"{self._service}.outbox-relay"},
            )
            try:
                self._lost = asyncio.Event()
                connection.close_callbacks.add(self._on_closed)
                channel = await self._declared_channel(connection)
                exchange = await topology.declare_exchange(channel, self.settings)
            except BaseException:
                await connection.close()
                raise
            self._connection, self._exchange = connection, exchange
            log.info("outbox relay connected", exchange=self.settings.events_exchange)
            return exchange

    async def _declared_channel(self, connection: AbstractConnection) -> AbstractChannel:
        """A publishing channel, after declaring the platform's queues. A broker user limited to
        its own queues (each service's in compose and Kubernetes, docs/operations.md) is refused
        the others': the refusal closes that channel, and the relay declares only its own
        service's queues on a fresh one (the deployment's broker holds the rest)."""
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        try:
            await topology.declare_platform(channel, self.settings, self.queues)
        except aiormq.exceptions.ChannelAccessRefused:
            own = tuple(q for q in self.queues if q.service == self._service)
            channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            await topology.declare_platform(channel, self.settings, own)
        channel.close_callbacks.add(self._on_closed)
        return channel

    def _on_closed(self, *_: Any) -> None:
        self._lost.set()

    async def close(self) -> None:
        connection, self._connection, self._exchange = self._connection, None, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()
