"""Row-level security, seen from the service's own database role: a query without any WHERE
still sees only the tenant of its transaction, and without a tenant sees nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from isp_common.platform_tables import TABLES_WITHOUT_RLS
from isp_common.settings import Settings

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


@pytest.fixture(scope="module")
async def service_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(settings.service_dsn)
    yield engine
    await engine.dispose()


async def test_the_service_role_is_not_the_owner_and_cannot_bypass(
    service_engine: AsyncEngine,
) -> None:
    async with service_engine.connect() as conn:
        query = "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        role = (await conn.execute(text(query))).one()
    assert role == ("isp_customers", False, False)


async def test_a_query_without_where_sees_only_its_tenant(
    service_engine: AsyncEngine, new_tenant: Callable[[], Tenant], customer_body: Body
) -> None:
    first, second = new_tenant(), new_tenant()
    for tenant, count in ((first, 2), (second, 3)):
        plan = await tenant.seed_plan()
        for _ in range(count):
            await tenant.client("admin").post("/customers", json=customer_body(plan.id))
    async with service_engine.connect() as conn, conn.begin():
        await conn.execute(
            text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(first.id)}
        )
        rows = (await conn.execute(text("SELECT * FROM customers.customers"))).mappings().all()
        plans = (await conn.execute(text("SELECT * FROM customers.service_plans"))).mappings().all()
    assert len(rows) == 2 and {row["tenant_id"] for row in rows} == {first.id}
    assert {row["tenant_id"] for row in plans} == {first.id}
    async with service_engine.connect() as conn, conn.begin():
        assert (await conn.execute(text("SELECT * FROM customers.customers"))).all() == []


async def test_a_row_of_another_tenant_cannot_be_written(
    service_engine: AsyncEngine, new_tenant: Callable[[], Tenant], customer_body: Body
) -> None:
    owner, intruder = new_tenant(), new_tenant()
    plan = await owner.seed_plan()
    created = await owner.client("admin").post("/customers", json=customer_body(plan.id))
    customer_id = created.json()["data"]["id"]
    async with service_engine.connect() as conn, conn.begin():
        await conn.execute(
            text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(intruder.id)}
        )
        changed = await conn.execute(
            text("UPDATE customers.customers SET full_name = 'x' WHERE id = :id"),
            {"id": customer_id},
        )
        assert changed.rowcount == 0
        with pytest.raises(Exception, match="row-level security"):
            await conn.execute(
                text("INSERT INTO customers.counters (tenant_id, name, value) VALUES (:t, 'x', 1)"),
                {"t": str(owner.id)},
            )


async def test_every_tenant_table_has_forced_rls(owner_engine: AsyncEngine) -> None:
    async with owner_engine.connect() as conn:
        tables = (
            await conn.execute(
                text(
                    """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'customers' AND c.relkind IN ('r', 'p')
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                          AND a.attname = 'tenant_id' AND NOT a.attisdropped)
            """
                )
            )
        ).all()
    names = {name for name, *_ in tables}
    assert {"customers", "service_plans", "odps", "accounts", "provisioning"} <= names
    unprotected = [
        name
        for name, enabled, forced in tables
        if name not in TABLES_WITHOUT_RLS and not (enabled and forced)
    ]
    assert unprotected == []
