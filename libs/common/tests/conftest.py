"""A migrated database with the library's test schema, on the real Postgres."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from isp_common.testing import create_migrated_database, drop_database

SCHEMA = "libtest"
SCHEMA_MIGRATIONS = Path(__file__).parent / "schema"


@pytest.fixture(scope="session")
def library_database_url() -> Iterator[str]:
    url = create_migrated_database("lib", {SCHEMA: SCHEMA_MIGRATIONS})
    yield url
    asyncio.run(drop_database(url.rsplit("/", 1)[1]))
