"""The dead-letter queue `<queue>.dead`: what a consumer sends there, and bringing it back.

A consumer dead-letters an event it can never apply, or one whose handler failed
`max_delivery_attempts` times: a copy goes to the dead-letter queue with its error in
`x-error`, and only once the broker confirmed that copy is the original acked.
`replay_dead_letters` brings them back once the cause is fixed.
"""

from __future__ import annotations

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, HeadersType

from isp_common import metrics
from isp_common.logging import get_logger
from isp_common.messaging import topology
from isp_common.messaging.delivery import describe_error, settle
from isp_common.messaging.topology import QueueSpec
from isp_common.settings import Settings

log = get_logger(__name__)

PUBLISH_TIMEOUT_SECONDS = 30.0
ERROR_HEADER_LIMIT = 1000
# Headers the consumer adds when dead-lettering; a replay strips them so the event starts afresh.
DEAD_LETTER_HEADERS = frozenset(
    {"x-error", "x-attempts", "x-original-queue", "x-original-routing-key", "x-death"}
)


def dead_letter_headers(
    message: AbstractIncomingMessage, error: BaseException, attempt: int, queue_name: str
) -> HeadersType:
    """The message's headers, plus why and from where it was dead-lettered."""
    headers: HeadersType = {
        key: value for key, value in (message.headers or {}).items() if key != "x-delivery-count"
    }
    headers.update(
        {
            "x-error": describe_error(error)[:ERROR_HEADER_LIMIT],
            "x-attempts": attempt,
            "x-original-queue": queue_name,
            "x-original-routing-key": message.routing_key or "",
        }
    )
    return headers


async def publish_dead_letter(
    channel: AbstractChannel,
    message: AbstractIncomingMessage,
    headers: HeadersType,
    dead_letter_exchange: str,
    dead_letter_queue: str,
) -> None:
    """A copy of `message` into `dead_letter_queue` through the service's dead-letter exchange
    (topology.dead_letter_exchange_name), confirmed by the broker (raises if not)."""
    exchange = await channel.get_exchange(dead_letter_exchange, ensure=False)
    await exchange.publish(
        copy_of(message, headers),
        routing_key=dead_letter_queue,
        mandatory=True,
        timeout=PUBLISH_TIMEOUT_SECONDS,
    )


async def refresh_dlq_depth(channel: AbstractChannel, dead_letter_queue: str) -> None:
    dead = await channel.declare_queue(dead_letter_queue, passive=True)
    depth = dead.declaration_result.message_count or 0
    metrics.DLQ_DEPTH.labels(dead_letter_queue).set(depth)


async def replay_dead_letters(settings: Settings, spec: QueueSpec, limit: int | None = None) -> int:
    """Move up to `limit` messages (all by default) from `<queue>.dead` back to the events
    exchange, each with its original routing key; returns how many moved.

    For SREs, once the cause of the failures (in each message's `x-error`, with `x-attempts`
    and `x-original-queue`) is fixed: `isp dlq replay`, or from a Python shell with the
    service's environment: `asyncio.run(replay_dead_letters(Settings(service_name="customers"),
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
                await settle(message.nack(requeue=True))
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
    return copy_of(message, headers)


def copy_of(message: AbstractIncomingMessage, headers: HeadersType) -> aio_pika.Message:
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
