"""The customers service on a real, freshly migrated Postgres (and, for the bus test, the real
RabbitMQ): one database per test session, one tenant per test (tenants are free: a uuid)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import aio_pika
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from isp_common.auth import mint_token
from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.network import OdpSnapshot
from isp_common.messaging import topology
from isp_common.settings import Settings
from isp_common.testing import create_migrated_database, drop_database, settings_for_test

from isp_customers import MIGRATIONS
from isp_customers.app import create_customers_app
from isp_customers.bootstrap import Runtime, build_runtime
from isp_customers.use_cases.apply_odp_snapshot import apply_odp_snapshot
from isp_customers.use_cases.apply_plan_snapshot import apply_plan_snapshot

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if TESTS in Path(item.path).parents and "unit" not in Path(item.path).parts:
            item.add_marker(pytest.mark.integration)


def closed_port() -> int:
    """A localhost port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def owner_url() -> Iterator[str]:
    url = create_migrated_database("customers", {"customers": MIGRATIONS})
    yield url
    asyncio.run(drop_database(str(make_url(url).database)))


def customers_test_settings(owner_url: str, **overrides: object) -> Settings:
    # Billing and network are nowhere unless a test stands one up: a lookup answers 502.
    nowhere = f"http://127.0.0.1:{closed_port()}"
    values: dict[str, object] = {"service_urls": {"billing": nowhere, "network": nowhere}}
    values.update(overrides)
    return settings_for_test("customers", owner_url, **values)


@pytest.fixture(scope="session")
def make_settings(owner_url: str) -> Callable[..., Settings]:
    """Settings on the test database with some overridden (e.g. where billing is)."""
    return lambda **overrides: customers_test_settings(owner_url, **overrides)


@pytest.fixture(scope="session")
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture(scope="session")
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(settings)
    yield runtime
    await runtime.aclose()


@pytest.fixture(scope="session")
async def owner_engine(owner_url: str) -> AsyncIterator[AsyncEngine]:
    """The migrations' owner: for looking at the outbox, never for what the service does."""
    engine = create_async_engine(owner_url)
    yield engine
    await engine.dispose()


@dataclass
class Tenant:
    """One tenant of the platform, as its users and the events of other services see it."""

    runtime: Runtime
    app: FastAPI
    id: UUID = field(default_factory=uuid.uuid4)
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    def token(self, *roles: str, customer_id: UUID | None = None) -> str:
        return mint_token(
            self.runtime.settings,
            tenant_id=self.id,
            roles=roles or ("admin",),
            sub=f"user-{roles[0] if roles else 'admin'}",
            customer_id=customer_id,
        )

    def client(self, *roles: str, customer_id: UUID | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.token(*roles, customer_id=customer_id)}"}
        return self.anonymous_client(headers)

    def anonymous_client(self, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app)
        client = httpx.AsyncClient(
            transport=transport, base_url="http://customers/api/v1", headers=headers or {}
        )
        self._clients.append(client)
        return client

    async def seed_plan(self, **overrides: Any) -> ServicePlanSnapshot:
        """What billing's `billing.plan.*` event would leave in the replica."""
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "id": uuid.uuid4(),
            "name": "Home 20M",
            "bandwidth_download": 20_000,
            "bandwidth_upload": 10_000,
            "monthly_price": Decimal("150000.00"),
            "is_active": True,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        snapshot = ServicePlanSnapshot(**{**values, **overrides})
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

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()


@pytest.fixture(scope="session")
def app(runtime: Runtime) -> FastAPI:
    return create_customers_app(runtime)


@pytest.fixture(scope="session")
async def new_tenant(runtime: Runtime, app: FastAPI) -> AsyncIterator[Callable[[], Tenant]]:
    """Session-wide, so that property tests and module fixtures can make tenants too."""
    made: list[Tenant] = []

    def make() -> Tenant:
        made.append(Tenant(runtime, app))
        return made[-1]

    yield make
    for tenant in made:
        await tenant.aclose()


@pytest.fixture
async def tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    return new_tenant()


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


@pytest.fixture(scope="session")
def outbox_events(owner_engine: AsyncEngine) -> Callable[[UUID], Awaitable[list[dict[str, Any]]]]:
    """The events a customer's changes wrote to the outbox, oldest first."""

    async def events(aggregate_id: UUID) -> list[dict[str, Any]]:
        async with owner_engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT payload FROM customers.outbox "
                    "WHERE payload->>'aggregate_id' = :id ORDER BY seq"
                ),
                {"id": str(aggregate_id)},
            )
            return [row.payload for row in rows]

    return events


async def _forget_broker_names(settings: Settings) -> None:
    """Deletes the queues and exchange a test's run declared: the broker is shared."""
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        for spec in topology.PLATFORM_QUEUES:
            for name in (
                topology.queue_name(settings, spec),
                topology.dead_letter_name(settings, spec),
            ):
                with contextlib.suppress(aio_pika.exceptions.AMQPError):
                    await channel.queue_delete(name)
        with contextlib.suppress(aio_pika.exceptions.AMQPError):
            await channel.exchange_delete(settings.events_exchange)


@pytest.fixture(scope="session")
def forget_broker_names() -> Callable[[Settings], Awaitable[None]]:
    return _forget_broker_names
