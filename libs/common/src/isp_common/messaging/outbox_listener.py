"""Waking the outbox relay at once: `LISTEN <schema>_outbox` on a connection of its own, which
the committing transaction NOTIFYs (see `db.UnitOfWork.commit`). While this connection is down
the relay still polls, so a missed notification only delays an event."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import asyncpg

from isp_common.db import asyncpg_dsn, outbox_channel
from isp_common.logging import get_logger

log = get_logger(__name__)

LISTEN_HEALTH_CHECK_SECONDS = 30.0


async def listen_for_outbox(
    service_dsn: str, schema: str, wake: asyncio.Event, reconnect_seconds: float
) -> None:
    """Sets `wake` on every notification of `schema`'s outbox, until cancelled."""
    dsn = asyncpg_dsn(service_dsn)
    while True:
        try:
            conn = await asyncpg.connect(dsn)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("outbox listener cannot connect", error=_describe(exc))
            await asyncio.sleep(reconnect_seconds)
            continue
        try:
            await _listen_on(conn, schema, wake)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("outbox listener lost its connection", error=_describe(exc))
        finally:
            with contextlib.suppress(Exception):
                await conn.close(timeout=1)


async def _listen_on(conn: Any, schema: str, wake: asyncio.Event) -> None:
    terminated = asyncio.Event()
    conn.add_termination_listener(lambda _conn: terminated.set())
    await conn.add_listener(outbox_channel(schema), lambda *_: wake.set())
    # Whatever was committed while nobody listened.
    wake.set()
    while not terminated.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(terminated.wait(), LISTEN_HEALTH_CHECK_SECONDS)
        if not terminated.is_set():
            await conn.execute("select 1")


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]
