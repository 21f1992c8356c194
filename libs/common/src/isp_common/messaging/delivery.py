"""What every consumer does with a delivered message, whatever became of it: count its
attempts, settle it with the broker, and name the error it ran into."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from aio_pika.abc import AbstractIncomingMessage

from isp_common.logging import get_logger

log = get_logger(__name__)


def delivery_attempt(message: AbstractIncomingMessage) -> int:
    """1 on first delivery; quorum queues count the earlier ones in `x-delivery-count`."""
    count = (message.headers or {}).get("x-delivery-count")
    return int(count) + 1 if isinstance(count, int) else 1


async def settle(acknowledgement: Awaitable[Any]) -> None:
    """Ack or nack; if the channel died meanwhile the broker redelivers, which the inbox absorbs."""
    try:
        await acknowledgement
    except Exception as exc:
        log.info("could not settle a message; it will be redelivered", error=describe_error(exc))


def describe_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
