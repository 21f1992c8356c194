"""Schemas, roles, row-level security and alembic, the same way for every service.

`migrate_service` (what `isp migrate` runs, as the owner) makes the service's schema and its
login role `isp_<service>` (not the owner, no BYPASSRLS, grants on its own schema only), runs the
service's alembic migrations with their version table inside that schema, and grants the role
what it needs on the tables the migrations made. Migrations call `enable_tenant_rls` for every
tenant table and `create_platform_tables` once.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from isp_common.platform_tables import TABLES_WITHOUT_RLS, platform_tables
from isp_common.settings import Settings

TENANT_PREDICATE = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def enable_tenant_rls(op: Any, table: str, schema: str) -> None:
    """Forced RLS: even the table's owner is filtered; only rows of `app.tenant_id` are seen."""
    op.execute(f'ALTER TABLE "{schema}"."{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{schema}"."{table}" FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY tenant_isolation ON "{schema}"."{table}" '
        f"USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
    )


def create_platform_tables(op: Any, schema: str) -> None:
    tables = platform_tables(schema)
    tables.metadata.create_all(op.get_bind())
    for table in tables.metadata.tables.values():
        if table.name not in TABLES_WITHOUT_RLS:
            enable_tenant_rls(op, table.name, schema)


def alembic_config(script_location: Path, url: str, schema: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["schema"] = schema
    return config


def run_env(context: Any) -> None:
    """The body of every service's `migrations/env.py`."""
    config = context.config
    schema = config.attributes["schema"]

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            version_table_schema=schema,
            include_schemas=False,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations(schema=schema)

    async def main() -> None:
        engine = create_async_engine(config.get_main_option("sqlalchemy.url"))
        async with engine.connect() as connection:
            await connection.run_sync(run)
            await connection.commit()
        await engine.dispose()

    asyncio.run(main())


async def prepare_schema(owner_url: str, schema: str, role: str, password: str) -> None:
    engine = create_async_engine(owner_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            # Two migrations of one database at once (two replicas starting) take turns.
            await conn.execute(text("select pg_advisory_lock(hashtext('isp.migrate'))"))
            await _ensure_role(conn, role, password)
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            await conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
            db = make_url(owner_url).database
            await conn.execute(text(f'GRANT CONNECT ON DATABASE "{db}" TO "{role}"'))
            await conn.execute(text("select pg_advisory_unlock(hashtext('isp.migrate'))"))
    finally:
        await engine.dispose()


async def _ensure_role(conn: AsyncConnection, role: str, password: str) -> None:
    """Roles belong to the whole server, not to one database, so two migrations of different
    databases (two test runs, two environments on one server) can race on the same role; the
    loser of such a race simply tries again."""
    for attempt in range(5):
        exists = await conn.scalar(text("select 1 from pg_roles where rolname = :r"), {"r": role})
        verb = "ALTER" if exists else "CREATE"
        try:
            await conn.execute(
                text(
                    f'{verb} ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE '
                    f"PASSWORD '{_quote(password)}'"
                )
            )
            return
        except DBAPIError as exc:
            raced = any(
                sign in str(exc) for sign in ("concurrently", "already exists", "duplicate key")
            )
            if not raced or attempt == 4:
                raise
            await asyncio.sleep(0.05 * (attempt + 1))


_APPEND_ONLY_TABLES = """
SELECT c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
  AND obj_description(c.oid, 'pg_class') LIKE 'append-only%'
"""


async def grant_service_role(owner_url: str, schema: str, role: str) -> None:
    engine = create_async_engine(owner_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in (
                f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" '
                f'TO "{role}"',
                f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
                f'REVOKE ALL ON "{schema}".alembic_version FROM "{role}"',
            ):
                await conn.execute(text(statement))
            # A table whose comment starts with `append-only` (the audit trail) is read and
            # appended to, never changed: the role gets no UPDATE, DELETE or TRUNCATE on it.
            append_only = await conn.execute(text(_APPEND_ONLY_TABLES), {"schema": schema})
            for table in append_only.scalars():
                await conn.execute(
                    text(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{schema}"."{table}" FROM "{role}"')
                )
    finally:
        await engine.dispose()


PER_SERVICE_PASSWORD_PREFIX = "ISP_SERVICE_DB_PASSWORD_"


def password_variable(schema: str) -> str:
    """`ISP_SERVICE_DB_PASSWORD_<SCHEMA>`: the migrate job's copy of one service's password."""
    return PER_SERVICE_PASSWORD_PREFIX + schema.upper()


class MissingServicePassword(Exception):
    """The migrate job was given per-service passwords, but not this service's."""


def service_db_password(
    schema: str, settings: Settings | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The password of the login role `isp_<schema>`.

    A deployment gives the migrate job every service's own (`ISP_SERVICE_DB_PASSWORD_<SCHEMA>`),
    and each service process its own as `ISP_SERVICE_DB_PASSWORD`, so one leaked service
    credential opens one schema. Local runs and tests set none: every role gets the shared
    `ISP_SERVICE_DB_PASSWORD`. Once any per-service password is set (or in production) all are
    required: a forgotten one must not silently fall back to the shared password."""
    environ = os.environ if environ is None else environ
    own = environ.get(password_variable(schema), "").strip()
    if own:
        return own
    settings = settings or Settings()
    if settings.environment == "production" or any(
        name.startswith(PER_SERVICE_PASSWORD_PREFIX) and value.strip()
        for name, value in environ.items()
    ):
        raise MissingServicePassword(
            f"{password_variable(schema)} is not set: each service's login role needs its own "
            'password (docs/operations.md, "Per-service credentials")'
        )
    return settings.service_db_password


def migrate_service(
    owner_url: str, schema: str, script_location: Path, *, password: str | None = None
) -> None:
    """Idempotent: safe to run on every start."""
    role = f"isp_{schema}"
    password = password or service_db_password(schema)
    asyncio.run(prepare_schema(owner_url, schema, role, password))
    command.upgrade(alembic_config(script_location, owner_url, schema), "head")
    asyncio.run(grant_service_role(owner_url, schema, role))


def _quote(value: str) -> str:
    return value.replace("'", "''")
