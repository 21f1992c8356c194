"""`isp dlq`: what waits in the dead-letter queues, and replaying it once the cause is fixed."""

from __future__ import annotations

import aio_pika
from aio_pika.exceptions import ChannelClosed

from isp_common.messaging import topology
from isp_common.messaging.dead_letters import replay_dead_letters
from isp_common.messaging.topology import PLATFORM_QUEUES, QueueSpec
from isp_common.settings import Settings


def find_queue(name: str) -> QueueSpec:
    """`billing.replicas` (or `billing.replicas.dead`) → its row in the platform topology."""
    wanted = name.removesuffix(".dead")
    for spec in PLATFORM_QUEUES:
        if spec.base_name == wanted:
            return spec
    known = ", ".join(spec.base_name for spec in PLATFORM_QUEUES)
    raise KeyError(f"no queue {name!r} in the platform topology (known: {known})")


async def depths(settings: Settings) -> dict[str, int | None]:
    """Messages waiting in each dead-letter queue; None for one not declared yet."""
    found: dict[str, int | None] = {}
    connection = await aio_pika.connect(
        settings.amqp_url, client_properties={"connection_name": "isp.dlq"}
    )
    async with connection:
        for spec in PLATFORM_QUEUES:
            name = topology.dead_letter_name(settings, spec)
            channel = await connection.channel()
            try:
                queue = await channel.declare_queue(name, passive=True)
                found[spec.base_name] = queue.declaration_result.message_count or 0
            except ChannelClosed:  # a passive declare of a missing queue closes the channel
                found[spec.base_name] = None
            finally:
                if not channel.is_closed:
                    await channel.close()
    return found


async def replay(settings: Settings, queue: str, limit: int | None) -> int:
    return await replay_dead_letters(settings, find_queue(queue), limit)
