"""Database access: one async engine per service role, and the unit of work.

A unit of work is one transaction for one tenant. It begins by setting `app.tenant_id`
transaction-locally, so the row-level security policies on every tenant table filter on it even
where a query forgets its WHERE. Events raised during the unit of work are written to the outbox
in the same transaction, so they are published exactly when the change is committed.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from isp_common.messaging.envelope import Event, new_event
from isp_common.platform_tables import PlatformTables, platform_tables


class Database:
    def __init__(self, dsn: str, schema: str, *, producer: str, pool_size: int = 10) -> None:
        self.schema = schema
        self.producer = producer
        self.engine: AsyncEngine = create_async_engine(
            dsn, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
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
        self.session: AsyncSession = self.db.sessions()
        await self.session.execute(
            text("select set_config('app.tenant_id', :tenant, true)"),
            {"tenant": str(self.tenant_id)},
        )
        self._bind_repositories(self.session)
        return self

    def _bind_repositories(self, session: AsyncSession) -> None:
        """Services build their repositories on the session here."""

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                await self.session.rollback()
        finally:
            await self.session.close()

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
        return int((await self.session.execute(stmt)).scalar_one())

    async def commit(self) -> None:
        if self.events:
            outbox = self.db.tables.outbox
            await self.session.execute(
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
            await self.session.execute(text(f"NOTIFY {outbox_channel(self.db.schema)}"))
        await self.session.commit()
        self._committed = True

    async def now(self) -> Any:
        return (await self.session.execute(select(func.now()))).scalar_one()


def outbox_channel(schema: str) -> str:
    return f"{schema}_outbox"
