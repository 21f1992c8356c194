"""Cleaning up after a test run on the shared RabbitMQ."""

from __future__ import annotations

import contextlib

import aio_pika

from isp_common.messaging import topology
from isp_common.settings import Settings


async def forget_broker_names(settings: Settings) -> None:
    """Deletes the queues and exchanges a test's run declared: the broker is shared."""
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        for spec in topology.PLATFORM_QUEUES:
            for name in (
                topology.queue_name(settings, spec),
                topology.dead_letter_name(settings, spec),
            ):
                with contextlib.suppress(aio_pika.exceptions.AMQPError):
                    await channel.queue_delete(name)
        for exchange in (settings.events_exchange, *topology.dead_letter_exchange_names(settings)):
            with contextlib.suppress(aio_pika.exceptions.AMQPError):
                await channel.exchange_delete(exchange)
