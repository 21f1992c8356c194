"""`isp migrate`'s parts on the real Postgres: the database is created when missing, and a
service's migrations make its schema, its login role and forced RLS."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from isp_common.settings import Settings

from isp_cli import infra
from isp_cli.main import app
from isp_cli.services import ServiceSpec

pytestmark = pytest.mark.integration


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _facts(owner_url: str) -> dict[str, object]:
    conn = await asyncpg.connect(_dsn(owner_url))
    try:
        return {
            "schema": await conn.fetchval(
                "select 1 from information_schema.schemata where schema_name = 'clitest'"
            ),
            "role": await conn.fetchrow(
                "select rolsuper, rolbypassrls from pg_roles where rolname = 'isp_clitest'"
            ),
            "forced_rls": await conn.fetchval(
                "select relforcerowsecurity from pg_class c join pg_namespace n "
                "on n.oid = c.relnamespace where n.nspname = 'clitest' and c.relname = 'things'"
            ),
            "version": await conn.fetchval("select version_num from clitest.alembic_version"),
        }
    finally:
        await conn.close()


def test_ensure_database_creates_it_once(scratch_database_url: str) -> None:
    assert infra.ensure_database(scratch_database_url) is True
    assert infra.ensure_database(scratch_database_url) is False


def test_migrate_makes_schema_role_and_forced_rls(
    scratch_database_url: str, fake_service_path: Path
) -> None:
    settings = Settings(database_url=scratch_database_url)
    infra.ensure_database(scratch_database_url)
    spec = ServiceSpec("clitest", 9999)
    assert infra.migrate(settings, spec) == fake_service_path / "migrations"
    infra.migrate(settings, spec)  # idempotent
    facts = asyncio.run(_facts(scratch_database_url))
    assert facts["schema"] == 1
    role = facts["role"]
    assert role is not None and not role["rolsuper"] and not role["rolbypassrls"]
    assert facts["forced_rls"] is True
    assert facts["version"] == "0001"


def test_migrate_command_reports_an_unreachable_database(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISP_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/isp")
    result = runner.invoke(app, ["migrate", "--service", "customers"])
    assert result.exit_code == 2
    assert "PostgreSQL is not reachable at 127.0.0.1:1" in result.output
    assert "start it with" in result.output
