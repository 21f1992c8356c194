"""Tickets' own part of its test harness (the rest: isp_common.testing.fixtures): its tenant,
who knows customers through customers' events, and the bodies of its requests."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from isp_common.contracts.customers import CustomerSnapshot
from isp_common.testing import mark_integration
from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
from isp_common.testing.fixtures import ServiceUnderTest
from isp_common.testing.tenants import ApiTenant

from isp_tickets import MIGRATIONS
from isp_tickets.app import create_tickets_app
from isp_tickets.bootstrap import Runtime, build_runtime
from isp_tickets.use_cases.apply_customer_snapshot import apply_customer_snapshot
from isp_tickets.worker import build_worker

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)


def customer_snapshot(customer_id: UUID | None = None, **overrides: Any) -> CustomerSnapshot:
    """What customers' `customers.customer.*` events carry."""
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "id": customer_id or uuid.uuid4(),
        "customer_code": f"CUST-{uuid.uuid4().int % 1_000_000:06d}",
        "full_name": "Siti Rahayu",
        "phone": "+62 812 5550 1234",
        "address": "Jl. Merdeka 17, Bandung",
        "status": "active",
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    return CustomerSnapshot(**{**values, **overrides})


class Tenant(ApiTenant[Runtime]):
    """One tenant of the platform, as its users and the events of other services see it."""

    base_url = "http://tickets/api/v1"

    async def seed_customer(self, **overrides: Any) -> CustomerSnapshot:
        """What a customers event would leave in the replica."""
        snapshot = customer_snapshot(**overrides)
        await self.runtime.run(self.id, apply_customer_snapshot, snapshot, by="system")
        return snapshot


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest[Runtime]:
    return ServiceUnderTest(
        "tickets", MIGRATIONS, build_runtime, create_tickets_app, Tenant, build_worker=build_worker
    )


def make_ticket_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "No internet since this morning",
        "description": "The ONU LOS light blinks red.",
        "category": "technical",
        "priority": "high",
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not None}


@pytest.fixture(scope="session")
def ticket_body() -> Callable[..., dict[str, Any]]:
    """A valid POST /tickets body; keywords override fields (None drops one)."""
    return make_ticket_body


@pytest.fixture(scope="session")
def snapshot_of_customer() -> Callable[..., CustomerSnapshot]:
    """A `customers.customer.*` snapshot; keywords override fields."""
    return customer_snapshot
