"""Fixtures of the isp-cli tests: a fake service package with real migrations, a scratch
database on the real Postgres, and a CLI runner."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner

from isp_common.testing import owner_base_url

FAKE_SERVICE = Path(__file__).parent / "fake_service"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fake_service_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path holding the package `isp_clitest` (migrations, no __main__)."""
    shutil.copytree(FAKE_SERVICE, tmp_path / "isp_clitest")
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path / "isp_clitest"


async def _drop(database: str, role: str | None) -> None:
    engine = create_async_engine(owner_base_url(), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            if role:
                await conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    finally:
        await engine.dispose()


@pytest.fixture
def scratch_database_url() -> Iterator[str]:
    """An owner URL naming a database that does not exist yet; dropped afterwards."""
    name = f"isp_test_cli_{os.getpid()}"
    asyncio.run(_drop(name, None))
    yield make_url(owner_base_url()).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_drop(name, "isp_clitest"))
