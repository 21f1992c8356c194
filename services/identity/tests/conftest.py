"""Identity's own part of its test harness (the rest: isp_common.testing.fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from isp_common.testing import mark_integration, settings_for_test
from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
from isp_common.testing.fixtures import ServiceUnderTest
from isp_common.testing.tenants import ApiTenant

from isp_identity import MIGRATIONS
from isp_identity.app import create_identity_app
from isp_identity.bootstrap import IdentitySettings, Runtime, build_runtime
from isp_identity.worker import build_worker

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)  # integration/, properties/ and api/ talk to real services


def identity_test_settings(database_url: str, **overrides: object) -> IdentitySettings:
    base = settings_for_test("identity", database_url, **overrides)
    return IdentitySettings(**{**base.model_dump(), **overrides})


class Tenant(ApiTenant[Runtime]):
    base_url = "http://identity/api/v1"


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest[Runtime]:
    return ServiceUnderTest(
        "identity",
        MIGRATIONS,
        build_runtime,
        create_identity_app,
        Tenant,
        build_worker=build_worker,
        test_settings=identity_test_settings,
    )
