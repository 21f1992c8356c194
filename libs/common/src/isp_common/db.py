"""Database access: one async engine per service role, and the unit of work.

A unit of work is one transaction for one tenant. It begins by setting `app.tenant_id`
transaction-locally, so the row-level security policies on every tenant table filter on it even
where a query forgets its WHERE. Events raised during the unit of work are written to the outbox
in the same transaction, so they are published exactly when the change is committed.

Round trips to Postgres are most of what a simple request costs, so the unit of work drives the
transaction itself: `BEGIN` and the tenant setting travel as one simple query, and `NOTIFY` with
`COMMIT`. The engine runs in AUTOCOMMIT mode so that SQLAlchemy adds no BEGIN or COMMIT of its
own; everything between runs inside the transaction the unit of work opened.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self
from uuid import UUID

import asyncpg
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    create_async_engine,
)

from isp_common.errors import ServiceUnavailable
from isp_common.messaging.envelope import Event, new_event
from isp_common.platform_tables import PlatformTables, platform_tables

# SQLSTATEs that say the database cannot serve now, not that the request was wrong: a lost
# connection (class 08), a server shutting down, crashed or starting (57P01-57P03), no
# connection slot left (53300). A client should retry; a consumer holds the event.
UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})


def is_unavailable(error: BaseException) -> bool:
    """True when `error` (asyncpg's, or SQLAlchemy's wrapping it) means the database cannot
    serve right now."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError | asyncpg.PostgresConnectionError | asyncpg.InterfaceError):
            return True
        state = getattr(current, "sqlstate", None)
        if isinstance(state, str) and (state.startswith("08") or state in UNAVAILABLE_SQLSTATES):
            return True
        current = getattr(current, "orig", None) or current.__cause__
    return False


class DatabaseUnavailable(ServiceUnavailable):
    """The database could not be reached: a 503 for a request, a pause for a consumer."""

    default_message = "The database is not reachable, try again"


class Database:
    def __init__(self, dsn: str, schema: str, *, producer: str, pool_size: int = 10) -> None:
        self.schema = schema
        self.producer = producer
        # No pre-ping: a connection that died with a database restart fails its first statement,
        # the request answers 503 and SQLAlchemy replaces the whole pool.
        # No reset on return either: a unit of work always ends its own transaction.
        self.engine: AsyncEngine = create_async_engine(
            dsn,
            pool_size=pool_size,
            max_overflow=pool_size,
            isolation_level="AUTOCOMMIT",
            pool_reset_on_return=None,
        )
        self.tables: PlatformTables = platform_tables(schema)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("select 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


class UnitOfWork:
    """`async with uow: …; await uow.commit()`; leaving without commit rolls back.

    Services subclass it and build their repositories in `_bind_repositories`.
    """

    def __init__(self, db: Database, tenant_id: UUID) -> None:
        self.db = db
        self.tenant_id = tenant_id
        self.events: list[Event] = []
        self._committed = False

    async def __aenter__(self) -> Self:
        try:
            self.connection: AsyncConnection = await self.db.engine.connect()
        except Exception as exc:
            if is_unavailable(exc):
                raise DatabaseUnavailable() from exc
            raise
        try:
            driver = (await self.connection.get_raw_connection()).driver_connection
            assert driver is not None, "the pool hands out live connections only"
            self._driver: Any = driver
            # The tenant id is a UUID object, so its text is safe to inline.
            await self._driver.execute(
                f"BEGIN; SELECT set_config('app.tenant_id', '{UUID(str(self.tenant_id))}', true)"
            )
        except BaseException as exc:
            await self.connection.invalidate()
            await self.connection.close()
            if is_unavailable(exc):
                raise DatabaseUnavailable() from exc
            raise
        self._bind_repositories(self.connection)
        return self

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        """Services build their repositories on the connection here."""

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed and not self.connection.invalidated:
                await self._driver.execute("ROLLBACK")
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            # The connection died with the transaction; it must not go back to the pool.
            await self.connection.invalidate()
        except BaseException:
            # Cancelled before the rollback went through: the transaction may still be open,
            # and the next user of a pooled connection would run inside it.
            await self.connection.invalidate()
            raise
        finally:
            await self.connection.close()

    def raise_event(
        self, type_: str, aggregate_id: UUID, aggregate_version: int, data: BaseModel
    ) -> Event:
        event = new_event(
            type_,
            tenant_id=self.tenant_id,
            producer=self.db.producer,
            aggregate_id=aggregate_id,
            aggregate_version=aggregate_version,
            data=data,
        )
        self.events.append(event)
        return event

    async def next_number(self, counter: str) -> int:
        """The tenant's next value of a named counter. The row lock it takes serialises
        concurrent creators of the same tenant until commit, so numbers never repeat."""
        counters = self.db.tables.counters
        stmt = (
            insert(counters)
            .values(tenant_id=self.tenant_id, name=counter, value=1)
            .on_conflict_do_update(
                index_elements=[counters.c.tenant_id, counters.c.name],
                set_={"value": counters.c.value + 1},
            )
            .returning(counters.c.value)
        )
        return int((await self.connection.execute(stmt)).scalar_one())

    async def commit(self) -> None:
        if self.events:
            outbox = self.db.tables.outbox
            await self.connection.execute(
                insert(outbox),
                [
                    {
                        "id": e.id,
                        "tenant_id": e.tenant_id,
                        "type": e.type,
                        "payload": e.model_dump(mode="json"),
                    }
                    for e in self.events
                ],
            )
            # Wakes the relay at once; NOTIFY is delivered only if the transaction commits.
            await self._driver.execute(f"NOTIFY {outbox_channel(self.db.schema)}; COMMIT")
        else:
            await self._driver.execute("COMMIT")
        self._committed = True


_POLICY_SETTING = re.compile(r"^app\.[a-z_]+$")


@asynccontextmanager
async def cross_tenant_read(db: Database, policy_setting: str) -> AsyncIterator[AsyncConnection]:
    """A read-only transaction that sees more than one tenant's rows: exactly what the
    migration's policy on `current_setting(policy_setting) = 'on'` shows (a scheduler's due
    tenants, a login's tenant by slug). The setting lives inside the transaction, which always
    ends here; one cut short (cancelled, a failed statement) may still be open, and then the
    connection is discarded rather than handed to the pool's next user."""
    if not _POLICY_SETTING.fullmatch(policy_setting):
        raise ValueError(f"not a policy setting name: {policy_setting!r}")
    async with db.engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None, "the pool hands out live connections only"
        try:
            await driver.execute(
                f"BEGIN READ ONLY; SELECT set_config('{policy_setting}', 'on', true)"
            )
            yield connection
            await driver.execute("ROLLBACK")
        except BaseException:
            await connection.invalidate()
            raise


def outbox_channel(schema: str) -> str:
    return f"{schema}_outbox"


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """`postgresql+asyncpg://…` as plain asyncpg understands it (its DSN spells `ssl` as
    libpq's `sslmode`), for a connection of its own such as a LISTEN."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    if "ssl" in url.query:
        url = url.difference_update_query(["ssl"]).update_query_dict({"sslmode": url.query["ssl"]})
    return url.render_as_string(hide_password=False)
