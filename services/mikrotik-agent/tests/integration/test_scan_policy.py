"""The router directory under row-level security (migration 0002), as the service's own role on
the real Postgres: a transaction that turns on `app.agent_directory_scan` (the lane manager's
scan) reads every tenant's router ids and can change none of them; any other transaction sees
only its tenant's routers, and the scan does not outlive its transaction."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant

DIRECTORY = "mikrotik_agent.router_directory"
# Transaction-local (the `true`), as a pooled connection must never carry it to the next user.
SCAN = "SELECT set_config('app.agent_directory_scan', 'on', true)"


@contextlib.asynccontextmanager
async def _transaction(conn: AsyncConnection, *, scan: bool) -> AsyncIterator[None]:
    """One transaction, opened as the unit of work opens its own: the engine runs in
    AUTOCOMMIT, so SQLAlchemy's begin() would leave every statement a transaction of its own
    (and a transaction-local setting gone by the next one). Rolled back at the end."""
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    await driver.execute("BEGIN; " + SCAN if scan else "BEGIN")
    try:
        yield
    finally:
        await driver.execute("ROLLBACK")


async def _router_ids(conn: AsyncConnection) -> set[UUID]:
    return set((await conn.execute(text(f"SELECT router_id FROM {DIRECTORY}"))).scalars())


async def _two_tenants_with_a_router(
    new_tenant: Callable[[], Tenant], sim: SimulatedRouter
) -> tuple[Tenant, UUID, UUID]:
    a, b = new_tenant(), new_tenant()
    return a, (await a.add_router(sim)).id, (await b.add_router(sim)).id


async def test_a_scan_reads_every_tenants_routers_and_changes_none(
    new_tenant: Callable[[], Tenant], sim: SimulatedRouter
) -> None:
    a, router_a, router_b = await _two_tenants_with_a_router(new_tenant, sim)
    engine = a.runtime.db.engine
    async with engine.connect() as conn:
        # The service's login role, not the schema's owner: what the policies are written for.
        assert await conn.scalar(text("SELECT current_user")) == a.runtime.settings.service_role
        async with _transaction(conn, scan=True):
            seen = await _router_ids(conn)
            columns = set((await conn.execute(text(f"SELECT * FROM {DIRECTORY} LIMIT 0"))).keys())
            updated = await conn.execute(text(f"UPDATE {DIRECTORY} SET is_deleted = true"))
            deleted = await conn.execute(text(f"DELETE FROM {DIRECTORY}"))
            # The scan opens the directory only, not the routers' addresses and credentials.
            routers = await conn.scalar(text("SELECT count(*) FROM mikrotik_agent.routers"))
    assert {router_a, router_b} <= seen
    assert columns == {"router_id", "tenant_id", "is_deleted"}
    assert updated.rowcount == 0 and deleted.rowcount == 0
    assert routers == 0
    async with engine.connect() as conn, _transaction(conn, scan=True):
        still = await conn.execute(text(f"SELECT router_id FROM {DIRECTORY} WHERE NOT is_deleted"))
        assert {router_a, router_b} <= set(still.scalars())


@pytest.mark.parametrize("tenant_of_the_row", ["the scanned tenant's", "an unknown tenant's"])
async def test_a_scan_cannot_insert_a_router(
    new_tenant: Callable[[], Tenant], sim: SimulatedRouter, tenant_of_the_row: str
) -> None:
    a, _, _ = await _two_tenants_with_a_router(new_tenant, sim)
    row_tenant = str(a.id) if tenant_of_the_row == "the scanned tenant's" else None
    async with a.runtime.db.engine.connect() as conn, _transaction(conn, scan=True):
        with pytest.raises(DBAPIError, match="row-level security"):
            await conn.execute(
                text(
                    f"INSERT INTO {DIRECTORY} (router_id, tenant_id) "
                    "VALUES (gen_random_uuid(), COALESCE(CAST(:tenant AS uuid), gen_random_uuid()))"
                ),
                {"tenant": row_tenant},
            )


async def test_outside_a_scan_a_tenant_sees_only_its_own_routers(
    new_tenant: Callable[[], Tenant], sim: SimulatedRouter
) -> None:
    a, router_a, router_b = await _two_tenants_with_a_router(new_tenant, sim)
    engine = a.runtime.db.engine
    async with a.runtime.unit_of_work(a.id) as uow:
        seen = await _router_ids(uow.connection)
        tenants = set(
            (await uow.connection.execute(text(f"SELECT DISTINCT tenant_id FROM {DIRECTORY}")))
            .scalars()
            .all()
        )
    assert router_a in seen and router_b not in seen
    assert tenants == {a.id}
    async with engine.connect() as conn:
        async with _transaction(conn, scan=True):
            assert {router_a, router_b} <= await _router_ids(conn)
        # The next transaction of the same connection: the scan went with the last one.
        async with _transaction(conn, scan=False):
            assert await _router_ids(conn) == set()
        assert await _router_ids(conn) == set()


async def test_a_tenant_that_also_turns_the_scan_on_writes_only_its_own_routers(
    new_tenant: Callable[[], Tenant], sim: SimulatedRouter
) -> None:
    a, router_a, router_b = await _two_tenants_with_a_router(new_tenant, sim)
    async with a.runtime.unit_of_work(a.id) as uow:
        await uow.connection.execute(text(SCAN))
        assert {router_a, router_b} <= await _router_ids(uow.connection)
        touched = await uow.connection.execute(
            text(f"UPDATE {DIRECTORY} SET is_deleted = is_deleted RETURNING router_id")
        )
        assert set(touched.scalars()) == {router_a}
