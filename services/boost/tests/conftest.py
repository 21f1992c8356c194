"""Boost's own part of its test harness (the rest: isp_common.testing.fixtures): its tenant,
whose plans and customers come from billing's and customers' events, and its request bodies."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.testing import mark_integration
from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
from isp_common.testing.fixtures import ServiceUnderTest
from isp_common.testing.snapshots import plan_snapshot
from isp_common.testing.tenants import ApiTenant

from isp_boost import MIGRATIONS
from isp_boost.app import create_boost_app
from isp_boost.bootstrap import Runtime, build_runtime
from isp_boost.use_cases.apply_replicas import apply_customer_snapshot, apply_plan_snapshot
from isp_boost.use_cases.set_pricing import set_pricing
from isp_boost.worker import build_worker

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)


def customer_snapshot(plan_id: UUID | None, **overrides: Any) -> CustomerSnapshot:
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "customer_code": f"CUST-{uuid.uuid4().hex[:6]}",
        "full_name": "Budi Santoso",
        "phone": "+62 812 5550 1234",
        "address": "Jl. Merdeka 17, Bandung",
        "status": "active",
        "service_plan_id": plan_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    return CustomerSnapshot(**{**values, **overrides})


class Tenant(ApiTenant[Runtime]):
    """One tenant of the platform, as its users and the events of other services see it."""

    base_url = "http://boost/api/v1"

    async def seed_plan(self, **overrides: Any) -> ServicePlanSnapshot:
        """What billing's `billing.plan.*` event would leave in the replica."""
        snapshot = plan_snapshot(**overrides)
        await self.runtime.run(self.id, apply_plan_snapshot, snapshot)
        return snapshot

    async def seed_customer(
        self, plan: ServicePlanSnapshot | None = None, **overrides: Any
    ) -> CustomerSnapshot:
        """An active customer on `plan` (a new 20M/10M plan unless given), as customers' events
        would leave it in the replica."""
        plan = plan or await self.seed_plan()
        snapshot = customer_snapshot(plan.id, **overrides)
        await self.runtime.run(self.id, apply_customer_snapshot, snapshot)
        return snapshot

    async def set_price(self, price: str = "5000.00") -> None:
        await self.runtime.run(self.id, set_pricing, Decimal(price), "test")


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest[Runtime]:
    return ServiceUnderTest(
        "boost", MIGRATIONS, build_runtime, create_boost_app, Tenant, build_worker=build_worker
    )


def make_boost_body(customer_id: UUID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer_id": str(customer_id),
        "requested_speed_download": 50_000,
        "requested_speed_upload": 20_000,
        "duration_hours": 3,
    }
    body.update(overrides)
    return body


@dataclass(frozen=True)
class Snapshots:
    """The data of `billing.plan.*` and `customers.customer.*` events, for tests that publish
    them."""

    plan: Callable[..., ServicePlanSnapshot] = plan_snapshot
    customer: Callable[..., CustomerSnapshot] = customer_snapshot


@pytest.fixture(scope="session")
def snapshots() -> Snapshots:
    return Snapshots()


@pytest.fixture(scope="session")
def boost_body() -> Callable[..., dict[str, Any]]:
    """A valid POST /speed-boosts body for the customer (50M/20M for 3 hours); keywords
    override fields."""
    return make_boost_body
