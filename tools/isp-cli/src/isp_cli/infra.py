"""Postgres and RabbitMQ from the CLI's side: are they there, the database, the migrations."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import asyncpg
from sqlalchemy.engine import URL, make_url

from isp_common.migrations import migrate_service, service_db_password
from isp_common.settings import Settings

from isp_cli.services import ServiceSpec

CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Problem:
    what: str
    detail: str
    fix: str

    def __str__(self) -> str:
        return f"{self.what}: {self.detail}\n  start it with: {self.fix}"


def _asyncpg_kwargs(url: URL, database: str | None = None) -> dict[str, object]:
    return {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password,
        "database": database or url.database or "postgres",
        "timeout": CONNECT_TIMEOUT_SECONDS,
    }


def postgres_start_command() -> str:
    clusters = (
        sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").is_dir() else []
    )
    if clusters:
        version = clusters[-1].parent.name
        return f"pg_ctlcluster --skip-systemctl-redirect {version} main start"
    return (
        "sudo systemctl start postgresql"
        "   (or: docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16)"
    )


def rabbitmq_start_command() -> str:
    return "rabbitmq-server -detached   (or: docker run -d -p 5672:5672 rabbitmq:3)"


async def _check_postgres(settings: Settings) -> Problem | None:
    url = make_url(settings.database_url)
    where = f"{url.host or '127.0.0.1'}:{url.port or 5432}"
    try:
        conn = await asyncpg.connect(**_asyncpg_kwargs(url, "postgres"))
        await conn.close()
    except Exception as exc:  # refused, timed out, bad credentials: all mean "not there"
        return Problem(
            f"PostgreSQL is not reachable at {where}",
            f"{type(exc).__name__}: {exc}".strip(),
            postgres_start_command(),
        )
    return None


async def _check_rabbitmq(settings: Settings) -> Problem | None:
    url = make_url(settings.amqp_url.replace("amqp://", "postgresql://", 1))
    where = f"{url.host or '127.0.0.1'}:{url.port or 5672}"
    try:
        connection = await asyncio.wait_for(
            aio_pika.connect(settings.amqp_url), timeout=CONNECT_TIMEOUT_SECONDS
        )
        await connection.close()
    except Exception as exc:  # refused, timed out, bad credentials: all mean "not there"
        return Problem(
            f"RabbitMQ is not reachable at {where}",
            f"{type(exc).__name__}: {exc}".strip(),
            rabbitmq_start_command(),
        )
    return None


def check_postgres(settings: Settings) -> Problem | None:
    return asyncio.run(_check_postgres(settings))


def check_rabbitmq(settings: Settings) -> Problem | None:
    return asyncio.run(_check_rabbitmq(settings))


async def _ensure_database(owner_url: str) -> bool:
    url = make_url(owner_url)
    name = url.database
    if not name:
        raise ValueError(f"{url.render_as_string()} names no database")
    conn = await asyncpg.connect(**_asyncpg_kwargs(url, "postgres"))
    try:
        if await conn.fetchval("select 1 from pg_database where datname = $1", name):
            return False
        quoted = name.replace('"', '""')
        await conn.execute(f'CREATE DATABASE "{quoted}"')
        return True
    finally:
        await conn.close()


def ensure_database(owner_url: str) -> bool:
    """Creates the database of `owner_url` (connecting to `postgres`) when it is missing.

    Returns True when it created it."""
    return asyncio.run(_ensure_database(owner_url))


def migrate(settings: Settings, spec: ServiceSpec, location: Path | None = None) -> Path:
    """Runs one service's migrations as the owner; returns the script location used."""
    script_location = location or spec.migrations_dir()
    if script_location is None:
        raise FileNotFoundError(f"{spec.package} has no migrations/env.py")
    password = service_db_password(spec.schema, settings)
    migrate_service(settings.database_url, spec.schema, script_location, password=password)
    return script_location


def env_with(**values: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(values)
    return env
