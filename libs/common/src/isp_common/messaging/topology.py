"""The platform's whole RabbitMQ topology, declared in one place.

One topic exchange; one durable quorum queue per consumer purpose (`<service>.<purpose>`), each
with its dead-letter queue `<queue>.dead`. Dead letters travel through the service's own direct
exchange `<events exchange>.dead.<service>`, never the default exchange: a service's broker user
then needs no write on `amq.default`, which would let it put a message into any queue by name
(docs/security.md). Every process that touches the broker declares the
whole table at start (declaring is idempotent), so an event is routable as soon as any part of
the platform runs, and a service that starts later finds its queue already holding what it
missed. Adding a consumer = adding a row here.
"""

from __future__ import annotations

from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue

from isp_common.settings import Settings


@dataclass(frozen=True)
class QueueSpec:
    service: str
    purpose: str
    bindings: tuple[str, ...]

    @property
    def base_name(self) -> str:
        return f"{self.service}.{self.purpose}"


PLATFORM_QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec(
        "customers",
        "replicas",
        (
            "billing.plan.*",
            "billing.account.*",
            "billing.settings.*",
            "network.odp.*",
            "mikrotik.subscriber.*",
        ),
    ),
    # Billing keeps an account per customer and charges the boosts it is told of (every boost
    # verb: an `activated` requeued behind `ended` is stale, and `ended` still says it ran), and
    # seeds a tenant's settings from its profile in identity.
    QueueSpec(
        "billing", "replicas", ("customers.customer.*", "boost.boost.*", "identity.tenant.*")
    ),
    # Network counts customers per ODP, purges a deleted customer's samples, and records what the
    # agent says of its routers.
    QueueSpec("network", "replicas", ("customers.customer.*", "mikrotik.router.*")),
    # Traffic samples come in bulk: their own queue, so they never delay the replicas above.
    QueueSpec("network", "traffic", ("mikrotik.traffic.sampled",)),
    QueueSpec("tickets", "customers", ("customers.customer.*",)),
    # Boost needs the customer's plan speeds (the original of a boost) and ends a deleted
    # customer's boost.
    QueueSpec("boost", "replicas", ("customers.customer.*", "billing.plan.*")),
    # The agent's desired state: who is a subscriber, at what speed, on which router.
    QueueSpec(
        "mikrotik-agent",
        "desired",
        ("customers.customer.*", "billing.plan.*", "network.device.*", "boost.boost.*"),
    ),
    # The audit trail takes every event; it keeps them until the audit service reads them.
    # A subscriber's portal login follows the customer: its login names, enabled while it exists.
    QueueSpec("identity", "customers", ("customers.customer.*",)),
    QueueSpec("audit", "trail", ("#",)),
)


def queue_spec(service: str, purpose: str) -> QueueSpec:
    for spec in PLATFORM_QUEUES:
        if spec.service == service and spec.purpose == purpose:
            return spec
    raise KeyError(f"no queue {service}.{purpose} in the platform topology")


def queue_name(settings: Settings, spec: QueueSpec) -> str:
    return f"{settings.queue_prefix}{spec.base_name}"


def dead_letter_name(settings: Settings, spec: QueueSpec) -> str:
    return f"{queue_name(settings, spec)}.dead"


def dead_letter_exchange_name(settings: Settings, spec: QueueSpec) -> str:
    """The exchange a queue's dead letters go through: one per service, for all its queues."""
    return f"{settings.events_exchange}.dead.{spec.service}"


def dead_letter_exchange_names(settings: Settings) -> list[str]:
    return sorted({dead_letter_exchange_name(settings, spec) for spec in PLATFORM_QUEUES})


async def declare_exchange(channel: AbstractChannel, settings: Settings) -> AbstractExchange:
    return await channel.declare_exchange(
        settings.events_exchange, aio_pika.ExchangeType.TOPIC, durable=True
    )


async def declare_queue(
    channel: AbstractChannel, settings: Settings, spec: QueueSpec
) -> AbstractQueue:
    exchange = await declare_exchange(channel, settings)
    dead = dead_letter_name(settings, spec)
    dead_exchange = await channel.declare_exchange(
        dead_letter_exchange_name(settings, spec), aio_pika.ExchangeType.DIRECT, durable=True
    )
    dead_queue = await channel.declare_queue(
        dead, durable=True, arguments={"x-queue-type": "quorum"}
    )
    await dead_queue.bind(dead_exchange, routing_key=dead)
    queue = await channel.declare_queue(
        queue_name(settings, spec),
        durable=True,
        arguments={
            "x-queue-type": "quorum",
            # A safety net under the consumer's own bounded retries: a message that keeps
            # killing its consumer process still ends in the dead-letter queue.
            "x-delivery-limit": settings.max_delivery_attempts * 2,
            "x-dead-letter-exchange": dead_exchange.name,
            "x-dead-letter-routing-key": dead,
        },
    )
    for pattern in spec.bindings:
        await queue.bind(exchange, routing_key=pattern)
    return queue


async def declare_platform(
    channel: AbstractChannel, settings: Settings, specs: tuple[QueueSpec, ...] = PLATFORM_QUEUES
) -> None:
    for spec in specs:
        await declare_queue(channel, settings, spec)
