"""The lane manager's one connection: the directory of routers, the session advisory locks that
say which replica runs which router's lane, and the wake-ups the consumers send. A session lock
lives as long as the connection, so a replica that dies gives its routers back by itself."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

import asyncpg

from isp_common.db import asyncpg_dsn

from isp_mikrotik_agent.adapters.desired_repository import CHANNEL

DIRECTORY = "SELECT router_id, tenant_id FROM {schema}.router_directory WHERE NOT is_deleted"
LOST = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError)
# A replica that stops closes the connection gracefully if it can; one still busy with a query
# the stop cancelled is aborted after this, so stopping never waits on the server.
CLOSE_SECONDS = 5.0


def lock_key(schema: str, router_id: UUID) -> str:
    return f"{schema}.router.{router_id}"


class RouterLeases:
    def __init__(self, dsn: str, schema: str) -> None:
        self._dsn = asyncpg_dsn(dsn)
        self._schema = schema
        self._conn: Any = None

    async def open(self, on_wake: Callable[[str], None]) -> None:
        """Connects and listens; `on_wake(tenant_id)` runs for each consumer's wake-up."""
        await self.close()
        self._conn = await asyncpg.connect(self._dsn)
        # This connection reads the directory across tenants (its read-only RLS policy) and
        # nothing else: it is never a tenant's unit of work.
        await self._conn.execute("SELECT set_config('app.agent_directory_scan', 'on', false)")
        await self._conn.add_listener(CHANNEL, lambda _c, _p, _ch, payload: on_wake(payload))

    async def routers(self) -> dict[UUID, UUID]:
        """Every live router → its tenant."""
        rows = await self._conn.fetch(DIRECTORY.format(schema=self._schema))
        return {row["router_id"]: row["tenant_id"] for row in rows}

    async def take(self, router_id: UUID) -> bool:
        key = lock_key(self._schema, router_id)
        return bool(await self._conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key))

    async def give_back(self, router_id: UUID) -> None:
        key = lock_key(self._schema, router_id)
        with contextlib.suppress(Exception):
            await self._conn.fetchval("SELECT pg_advisory_unlock(hashtext($1))", key)

    async def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close(timeout=CLOSE_SECONDS)  # aborts it when time is up
        self._conn = None
