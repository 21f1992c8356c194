"""What a service's bus tests do the same way on the real RabbitMQ: open a channel on the run's
names (and forget them after), run the service's worker for a test, publish an event as a
producer would, listen on the exchange, and wait for what the worker does about it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue

from isp_common.messaging import topology
from isp_common.messaging.envelope import Event
from isp_common.messaging.worker import Worker
from isp_common.settings import Settings
from isp_common.testing.broker import forget_broker_names

T = TypeVar("T")


@asynccontextmanager
async def broker_channel(settings: Settings) -> AsyncIterator[AbstractChannel]:
    """A channel on the test run's broker; afterwards the run's queues and exchange are deleted
    (the broker is shared)."""
    connection = await aio_pika.connect(settings.amqp_url)
    yield await connection.channel()
    await connection.close()
    await forget_broker_names(settings)


@asynccontextmanager
async def running(worker: Worker) -> AsyncIterator[Worker]:
    """The worker running in the background until the block ends, then stopped as SIGTERM
    would stop it."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    yield worker
    stop.set()
    await asyncio.wait_for(task, timeout=30)


async def publish(exchange: AbstractExchange, event: Event) -> None:
    """The event on the exchange as a producer's relay publishes it."""
    await exchange.publish(
        aio_pika.Message(
            event.model_dump_json().encode(),
            content_type="application/json",
            message_id=str(event.id),
            type=event.type,
        ),
        routing_key=event.type,
        mandatory=True,
    )


async def listen(channel: AbstractChannel, settings: Settings, routing_key: str) -> AbstractQueue:
    """A private queue bound to the exchange: what a consumer of these events would receive."""
    exchange = await topology.declare_exchange(channel, settings)
    listener = await channel.declare_queue(exclusive=True)
    await listener.bind(exchange, routing_key=routing_key)
    return listener


async def event_about(
    listener: AbstractQueue, aggregate_id: object, type_: str | None = None
) -> dict[str, Any] | None:
    """A probe for `eventually`: takes the next message and answers its event if it is about the
    aggregate (and of the type, if one is named); None when there is none or it is another's."""
    message = await listener.get(no_ack=True, fail=False)
    if message is None:
        return None
    event: dict[str, Any] = json.loads(message.body)
    if event["aggregate_id"] != str(aggregate_id):
        return None
    return event if type_ is None or event["type"] == type_ else None


async def eventually(probe: Callable[[], Awaitable[T | None]], within: float = 15) -> T:
    """What the probe answers once it answers something (polled: the worker acts in its own
    time); fails when nothing comes within `within` seconds."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        value = await probe()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("nothing happened in time")
        await asyncio.sleep(0.05)
