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


def test_each_service_role_gets_its_own_password_when_the_job_is_given_them() -> None:
    from isp_common.migrations import MissingServicePassword, service_db_password

    settings = Settings(service_db_password="shared")
    # local runs and tests: the shared one
    assert service_db_password("billing", settings, {}) == "shared"
    given = {"ISP_SERVICE_DB_PASSWORD_BILLING": "b-own", "ISP_SERVICE_DB_PASSWORD_AUDIT": "a-own"}
    assert service_db_password("billing", settings, given) == "b-own"
    assert service_db_password("audit", settings, given) == "a-own"
    # once any is given, a missing one is an error, not a silent fall back to the shared one
    with pytest.raises(MissingServicePassword, match="ISP_SERVICE_DB_PASSWORD_TICKETS"):
        service_db_password("tickets", settings, given)
    with pytest.raises(MissingServicePassword, match="MIKROTIK_AGENT"):
        service_db_password(
            "mikrotik_agent", settings.model_copy(update={"environment": "production"}), {}
        )


async def _password_hash(owner_url: str) -> str | None:
    conn = await asyncpg.connect(_dsn(owner_url))
    try:
        value = await conn.fetchval(
            "select rolpassword from pg_authid where rolname = 'isp_clitest'"
        )
        return None if value is None else str(value)
    finally:
        await conn.close()


def _verifies(scram: str, password: str) -> bool:
    """Whether Postgres' SCRAM-SHA-256 verifier was made from `password` (RFC 5802)."""
    import base64
    import hashlib
    import hmac

    head, keys = scram.split("$", 1)[1].split("$")
    iterations, salt = head.split(":")
    stored_key = base64.b64decode(keys.split(":")[0])
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return hashlib.sha256(client_key).digest() == stored_key


def test_migrate_sets_the_per_service_password(
    scratch_database_url: str, fake_service_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(database_url=scratch_database_url, service_db_password="shared-one")
    infra.ensure_database(scratch_database_url)
    spec = ServiceSpec("clitest", 9999)
    monkeypatch.setenv("ISP_SERVICE_DB_PASSWORD_CLITEST", "its-own-password")
    infra.migrate(settings, spec)
    stored = asyncio.run(_password_hash(scratch_database_url))
    assert stored and stored.startswith("SCRAM-SHA-256$")
    assert _verifies(stored, "its-own-password")
    assert not _verifies(stored, "shared-one")
