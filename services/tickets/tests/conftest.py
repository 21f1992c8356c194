"""The tickets service on a real, freshly migrated Postgres (and, for the bus test, the real
RabbitMQ): one database per test session, one tenant per test (tenants are free: a uuid)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_common.contracts.customers import CustomerSnapshot
from isp_common.settings import Settings
from isp_common.testing import (
    OutboxEvents,
    broker,
    engine_for,
    mark_integration,
    migrated_database,
    outbox_events_of,
    settings_for_test,
)
from isp_common.testing.tenants import ApiTenant, TenantFactory

from isp_tickets import MIGRATIONS
from isp_tickets.app import create_tickets_app
from isp_tickets.bootstrap import Runtime, build_runtime
from isp_tickets.use_cases.apply_customer_snapshot import apply_customer_snapshot

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)


@pytest.fixture(scope="session")
def owner_url() -> Iterator[str]:
    yield from migrated_database("tickets", {"tickets": MIGRATIONS})


@pytest.fixture(scope="session")
def settings(owner_url: str) -> Settings:
    return settings_for_test("tickets", owner_url)


@pytest.fixture(scope="session")
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    async with contextlib.aclosing(build_runtime(settings)) as runtime:
        yield runtime


@pytest.fixture(scope="session")
async def owner_engine(owner_url: str) -> AsyncIterator[AsyncEngine]:
    """The migrations' owner: for looking at the outbox, never for what the service does."""
    async with engine_for(owner_url) as engine:
        yield engine


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
def app(runtime: Runtime) -> FastAPI:
    return create_tickets_app(runtime)


@pytest.fixture(scope="session")
async def new_tenant(runtime: Runtime, app: FastAPI) -> AsyncIterator[Callable[[], Tenant]]:
    """Session-wide, so that property tests and module fixtures can make tenants too."""
    async with TenantFactory(lambda: Tenant(runtime, app)) as new_tenant:
        yield new_tenant


@pytest.fixture
async def tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    return new_tenant()


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


@pytest.fixture(scope="session")
def outbox_events(owner_engine: AsyncEngine) -> OutboxEvents:
    """The events a ticket's changes wrote to the outbox, oldest first."""
    return outbox_events_of(owner_engine, "tickets")


@pytest.fixture(scope="session")
def forget_broker_names() -> Callable[[Settings], Awaitable[None]]:
    return broker.forget_broker_names
