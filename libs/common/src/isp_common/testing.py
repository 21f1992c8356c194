"""What every service's tests need the same way: a fresh migrated database on the real Postgres,
and names on the real RabbitMQ that no other test run shares.

`ISP_TEST_DATABASE_URL` (an owner URL; its database name is replaced) and `ISP_TEST_AMQP_URL`
point elsewhere than the local defaults.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from isp_common.migrations import migrate_service
from isp_common.settings import Settings

DEFAULT_TEST_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_TEST_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


def owner_base_url() -> str:
    return os.environ.get("ISP_TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)


async def _recreate(name: str) -> None:
    engine = create_async_engine(owner_base_url(), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


async def drop_database(name: str) -> None:
    engine = create_async_engine(owner_base_url(), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await engine.dispose()


def create_migrated_database(label: str, services: dict[str, Path]) -> str:
    """A new database `isp_test_<label>_<pid>`, each service migrated; returns its owner URL.

    `services` maps a schema name to its alembic script location. Call from a sync fixture.
    """
    name = f"isp_test_{label}_{os.getpid()}"
    asyncio.run(_recreate(name))
    url = make_url(owner_base_url()).set(database=name).render_as_string(hide_password=False)
    for schema, location in services.items():
        migrate_service(url, schema, location)
    return url


def settings_for_test(service: str, owner_url: str, **overrides: object) -> Settings:
    """Settings of one service on a test database, with broker names unique to this run."""
    run = uuid.uuid4().hex[:10]
    values: dict[str, object] = {
        "service_name": service,
        "database_url": owner_url,
        "amqp_url": os.environ.get("ISP_TEST_AMQP_URL", DEFAULT_TEST_AMQP_URL),
        "events_exchange": f"isp.events.test.{run}",
        "queue_prefix": f"test.{run}.",
        "relay_poll_seconds": 0.2,
        "log_json": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
