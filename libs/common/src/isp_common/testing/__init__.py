"""What every service's tests need the same way: a fresh migrated database on the real Postgres,
and names on the real RabbitMQ that no other test run shares.

`ISP_TEST_DATABASE_URL` (an owner URL; its database name is replaced) and `ISP_TEST_AMQP_URL`
point elsewhere than the local defaults.

The rest of a service's test harness is in the submodules: `fixtures` (the fixtures every
service's conftest imports), `tenants` (a tenant's tokens and API clients), `broker` (cleaning up
a run's queues), `bus` (publishing, listening and waiting on the real broker), `entrypoint` (the
service started as a deployment starts it), `snapshots` (what other services' events carry) and
`fuzz` (the Schemathesis contract test; it needs the dev dependencies).
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from isp_common.migrations import migrate_service
from isp_common.settings import Settings

if TYPE_CHECKING:
    import pytest

DEFAULT_TEST_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_TEST_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
# One `make test` session holds every service's session fixtures at once, and tests/e2e starts
# the whole platform beside them: on a default Postgres (max_connections 100, 3 of them for
# superusers) the pools must stay small. A pool keeps `pool_size` connections open once used,
# so these are what an idle fixture holds; overflow (as many again) opens only under load.
TEST_POOL_SIZE = 2
OWNER_POOL_SIZE = 1
OWNER_MAX_OVERFLOW = 4


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


def migrated_database(label: str, services: dict[str, Path]) -> Iterator[str]:
    """The body of a session fixture: yields the owner URL of a new migrated database (see
    `create_migrated_database`) and drops the database after the session."""
    url = create_migrated_database(label, services)
    yield url
    asyncio.run(drop_database(str(make_url(url).database)))


@asynccontextmanager
async def engine_for(owner_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine as the migrations' owner: for looking at (or tampering with) what the service
    stored, never for what the service does."""
    engine = create_async_engine(
        owner_url, pool_size=OWNER_POOL_SIZE, max_overflow=OWNER_MAX_OVERFLOW
    )
    try:
        yield engine
    finally:
        await engine.dispose()


OutboxEvents = Callable[[UUID], Awaitable[list[dict[str, Any]]]]


def outbox_events_of(
    engine: AsyncEngine, schema: str, *, by: Literal["aggregate_id", "tenant_id"] = "aggregate_id"
) -> OutboxEvents:
    """What a service's outbox holds for one aggregate (or one tenant), oldest first."""
    if by == "aggregate_id":
        where = "payload->>'aggregate_id' = CAST(:key AS text)"
    else:
        where = "tenant_id = CAST(:key AS uuid)"
    query = text(f'SELECT payload FROM "{schema}".outbox WHERE {where} ORDER BY seq')  # noqa: S608

    async def events(key: UUID) -> list[dict[str, Any]]:
        async with engine.connect() as conn:
            return [row.payload for row in await conn.execute(query, {"key": str(key)})]

    return events


def closed_port() -> int:
    """A localhost port nothing listens on (bound, then released): where a service is nowhere."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mark_integration(items: Iterable[pytest.Item], tests: Path) -> None:
    """For `pytest_collection_modifyitems`: every test below `tests` but outside a `unit` folder
    talks to the real Postgres or RabbitMQ, and is marked `integration`."""
    for item in items:
        path = Path(item.path)
        if tests in path.parents and "unit" not in path.parts:
            item.add_marker("integration")


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
        "db_pool_size": TEST_POOL_SIZE,
        "log_json": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
