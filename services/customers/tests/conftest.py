"""Customers' own part of its test harness (the rest: isp_common.testing.fixtures): where its
neighbours are (nowhere), its tenant, whose plans and ODPs come from billing's and network's
events, and the body of a new customer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.network import OdpSnapshot
from isp_common.settings import Settings
from isp_common.testing import closed_port, mark_integration, settings_for_test
from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
from isp_common.testing.fixtures import ServiceUnderTest
from isp_common.testing.snapshots import plan_snapshot
from isp_common.testing.tenants import ApiTenant

from isp_customers import MIGRATIONS
from isp_customers.app import create_customers_app
from isp_customers.bootstrap import Runtime, build_runtime
from isp_customers.use_cases.apply_odp_snapshot import apply_odp_snapshot
from isp_customers.use_cases.apply_plan_snapshot import apply_plan_snapshot
from isp_customers.worker import build_worker

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)


def customers_test_settings(database_url: str, **overrides: object) -> Settings:
    # Billing and network are nowhere unless a test stands one up: a lookup answers 502.
    nowhere = f"http://127.0.0.1:{closed_port()}"
    values: dict[str, object] = {"service_urls": {"billing": nowhere, "network": nowhere}}
    values.update(overrides)
    return settings_for_test("customers", database_url, **values)


class Tenant(ApiTenant[Runtime]):
    """One tenant of the platform, as its users and the events of other services see it."""

    base_url = "http://customers/api/v1"

    async def seed_plan(self, **overrides: Any) -> ServicePlanSnapshot:
        """What billing's `billing.plan.*` event would leave in the replica."""
        snapshot = plan_snapshot(**overrides)
        await self.runtime.run(self.id, apply_plan_snapshot, snapshot)
        return snapshot

    async def seed_odp(self, **overrides: Any) -> OdpSnapshot:
        values: dict[str, Any] = {
            "id": uuid.uuid4(),
            "odc_id": uuid.uuid4(),
            "olt_id": uuid.uuid4(),
            "name": "ODP-A1",
            "capacity": 8,
            "version": 1,
        }
        snapshot = OdpSnapshot(**{**values, **overrides})
        await self.runtime.run(self.id, apply_odp_snapshot, snapshot)
        return snapshot


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest[Runtime]:
    return ServiceUnderTest(
        "customers",
        MIGRATIONS,
        build_runtime,
        create_customers_app,
        Tenant,
        test_settings=customers_test_settings,
        build_worker=build_worker,
    )


def make_customer_body(plan_id: UUID, **overrides: Any) -> dict[str, Any]:
    suffix = uuid.uuid4().hex[:8]
    body: dict[str, Any] = {
        "full_name": f"Budi Santoso {suffix}",
        "phone": "+62 812 5550 1234",
        "address": "Jl. Merdeka 17, Bandung",
        "email": f"budi.{suffix}@example.id",
        "city": "Bandung",
        "service_plan_id": str(plan_id),
    }
    body.update(overrides)
    return body


@pytest.fixture(scope="session")
def customer_body() -> Callable[..., dict[str, Any]]:
    """A valid POST /customers body on the given plan; keywords override fields."""
    return make_customer_body
