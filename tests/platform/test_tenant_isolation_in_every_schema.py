"""Every service schema, migrated together the way `isp migrate` does it, keeps tenants apart.

A new service or a new table is checked here without anyone remembering to add a test: any table
with a `tenant_id` column must have row-level security enabled and forced, and each service's
login role must be an ordinary role that sees no other service's schema.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from isp_common.platform_tables import TABLES_WITHOUT_RLS
from isp_common.testing import create_migrated_database, drop_database, settings_for_test

from isp_cli.services import installed_services

pytestmark = pytest.mark.integration

SERVICES = [s for s in installed_services() if s.migrations_dir() is not None]
# A second schema even while only one service exists, so that confinement is always checked.
NEIGHBOUR_SCHEMA = "neighbour"
NEIGHBOUR_MIGRATIONS = Path(__file__).parents[2] / "libs" / "common" / "tests" / "schema"


@pytest.fixture(scope="module")
def platform_url() -> Iterator[str]:
    schemas = {s.schema: s.migrations_dir() for s in SERVICES}
    schemas[NEIGHBOUR_SCHEMA] = NEIGHBOUR_MIGRATIONS
    url = create_migrated_database("platform", schemas)  # type: ignore[arg-type]
    yield url
    asyncio.run(drop_database(url.rsplit("/", 1)[1]))


async def query(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return [tuple(row) for row in await conn.execute(text(sql), params)]
    finally:
        await engine.dispose()


def test_there_is_a_service_to_check() -> None:
    assert [s.name for s in SERVICES][:1] == ["customers"]


async def test_every_tenant_table_has_forced_row_level_security(platform_url: str) -> None:
    rows = await query(
        platform_url,
        """
        select n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity,
               exists (select 1 from pg_policy p where p.polrelid = c.oid) as has_policy
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
        where c.relkind in ('r', 'p') and n.nspname = any(:schemas) and not c.relispartition
        """,
        schemas=[s.schema for s in SERVICES],
    )
    assert rows, "no tenant table found at all"
    unprotected = [
        f"{schema}.{table}"
        for schema, table, enabled, forced, has_policy in rows
        if table not in TABLES_WITHOUT_RLS and not (enabled and forced and has_policy)
    ]
    assert unprotected == []


async def test_service_roles_are_ordinary_and_confined(platform_url: str) -> None:
    for spec in SERVICES:
        role = f"isp_{spec.schema}"
        (flags,) = await query(
            platform_url,
            "select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb "
            "from pg_roles where rolname = :r",
            r=role,
        )
        assert flags == (False, False, False, False), role
        foreign = [s.schema for s in SERVICES if s is not spec] + [NEIGHBOUR_SCHEMA, "public"]
        for schema in foreign:
            (usable,) = await query(
                platform_url, "select has_schema_privilege(:r, :s, 'CREATE')", r=role, s=schema
            )
            assert usable == (False,), f"{role} may create in {schema}"
        for schema in foreign[:-1]:
            (usable,) = await query(
                platform_url, "select has_schema_privilege(:r, :s, 'USAGE')", r=role, s=schema
            )
            assert usable == (False,), f"{role} may use {schema}"


async def test_a_service_role_cannot_read_another_services_tables(platform_url: str) -> None:
    for spec in SERVICES:
        settings = settings_for_test(spec.name, platform_url)
        engine = create_async_engine(settings.service_dsn)
        try:
            async with engine.connect() as conn:
                with pytest.raises(Exception, match="permission denied"):
                    await conn.execute(text(f'select * from "{NEIGHBOUR_SCHEMA}".outbox'))
        finally:
            await engine.dispose()
