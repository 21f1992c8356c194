"""The unit of work on the real Postgres, through the service's own (non-owner) role."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from isp_common.contracts.tickets import TicketSnapshot
from isp_common.db import Database, UnitOfWork
from isp_common.testing import settings_for_test

pytestmark = pytest.mark.integration


@pytest.fixture()
async def db(library_database_url: str) -> AsyncIterator[Database]:
    settings = settings_for_test("libtest", library_database_url)
    database = Database(settings.service_dsn, "libtest", producer="libtest")
    yield database
    await database.dispose()


def snapshot(version: int = 1) -> TicketSnapshot:
    return TicketSnapshot(
        id=uuid.uuid4(),
        ticket_number="T-1",
        title="No internet",
        category="technical",
        priority="high",
        status="open",
        version=version,
        sla_due_at=datetime.now(UTC),
    )


async def add_widget(db: Database, tenant: uuid.UUID, name: str) -> None:
    async with UnitOfWork(db, tenant) as uow:
        await uow.connection.execute(
            text("insert into libtest.widgets (id, tenant_id, name) values (:i, :t, :n)"),
            {"i": uuid.uuid4(), "t": tenant, "n": name},
        )
        await uow.commit()


async def test_a_query_without_where_sees_only_the_current_tenant(db: Database) -> None:
    tenant_a, tenant_b = uuid.uuid4(), uuid.uuid4()
    await add_widget(db, tenant_a, "a-1")
    await add_widget(db, tenant_b, "b-1")
    async with UnitOfWork(db, tenant_a) as uow:
        names = (
            (await uow.connection.execute(text("select name from libtest.widgets"))).scalars().all()
        )
    assert names == ["a-1"]
    # Outside a unit of work no tenant is set, and the policy shows nothing at all.
    async with db.engine.connect() as conn:
        assert (await conn.execute(text("select count(*) from libtest.widgets"))).scalar() == 0


async def test_writing_a_row_for_another_tenant_is_refused(db: Database) -> None:
    async with UnitOfWork(db, uuid.uuid4()) as uow:
        with pytest.raises(Exception, match="row-level security"):
            await uow.connection.execute(
                text("insert into libtest.widgets (id, tenant_id, name) values (:i, :t, 'x')"),
                {"i": uuid.uuid4(), "t": uuid.uuid4()},
            )


async def test_the_tenant_setting_does_not_outlive_its_transaction(db: Database) -> None:
    tenant = uuid.uuid4()
    await add_widget(db, tenant, "w")
    for _ in range(3):  # pooled connections are reused
        async with db.engine.connect() as conn:
            assert (await conn.execute(text("select count(*) from libtest.widgets"))).scalar() == 0


async def test_events_reach_the_outbox_only_when_committed(db: Database) -> None:
    tenant = uuid.uuid4()
    async with UnitOfWork(db, tenant) as uow:
        uow.raise_event("tickets.ticket.created", uuid.uuid4(), 1, snapshot())
    async with UnitOfWork(db, tenant) as uow:
        committed = uow.raise_event("tickets.ticket.created", uuid.uuid4(), 1, snapshot())
        await uow.commit()
    async with db.engine.connect() as conn:
        rows = (
            await conn.execute(
                text("select id, payload from libtest.outbox where tenant_id = :t"), {"t": tenant}
            )
        ).all()
    assert [row.id for row in rows] == [committed.id]
    assert rows[0].payload["type"] == "tickets.ticket.created"
    assert rows[0].payload["tenant_id"] == str(tenant)


async def test_an_event_must_carry_its_contract(db: Database) -> None:
    async with UnitOfWork(db, uuid.uuid4()) as uow:
        with pytest.raises(TypeError):
            uow.raise_event("customers.customer.created", uuid.uuid4(), 1, snapshot())
        with pytest.raises(KeyError):
            uow.raise_event("customers.customer.exploded", uuid.uuid4(), 1, snapshot())


async def test_counters_never_repeat_under_concurrency(db: Database) -> None:
    tenant, other = uuid.uuid4(), uuid.uuid4()

    async def take(t: uuid.UUID) -> int:
        async with UnitOfWork(db, t) as uow:
            value = await uow.next_number("ticket_number")
            await uow.commit()
            return value

    values = await asyncio.gather(*(take(tenant) for _ in range(40)))
    assert sorted(values) == list(range(1, 41))
    assert await take(other) == 1  # each tenant counts on its own


async def test_a_rolled_back_number_is_given_again(db: Database) -> None:
    tenant = uuid.uuid4()
    async with UnitOfWork(db, tenant) as uow:
        assert await uow.next_number("code") == 1
    async with UnitOfWork(db, tenant) as uow:
        assert await uow.next_number("code") == 1
