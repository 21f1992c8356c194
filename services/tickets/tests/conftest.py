"""The tickets service on a real, freshly migrated Postgres (and, for the bus test, the real
RabbitMQ): one database per test session, one tenant per test (tenants are free: a uuid)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging import topology
from isp_common.settings import Settings
from isp_common.testing import create_migrated_database, drop_database, settings_for_test

from isp_tickets import MIGRATIONS
from isp_tickets.app import create_tickets_app
from isp_tickets.bootstrap import Runtime, build_runtime
from isp_tickets.use_cases.apply_customer_snapshot import apply_customer_snapshot

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if TESTS in Path(item.path).parents and "unit" not in Path(item.path).parts:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def owner_url() -> Iterator[str]:
    url = create_migrated_database("tickets", {"tickets": MIGRATIONS})
    yield url
    asyncio.run(drop_database(str(make_url(url).database)))


@pytest.fixture(scope="session")
def settings(owner_url: str) -> Settings:
    return settings_for_test("tickets", owner_url)


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


@dataclass
class Tenant:
    """One tenant of the platform, as its users and the events of other services see it."""

    runtime: Runtime
    app: FastAPI
    id: UUID = field(default_factory=uuid.uuid4)
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    def token(self, *roles: str, customer_id: UUID | None = None, sub: str | None = None) -> str:
        role = roles[0] if roles else "admin"
        return mint_token(
            self.runtime.settings,
            tenant_id=self.id,
            roles=roles or ("admin",),
            sub=sub or f"user-{role}",
            customer_id=customer_id,
        )

    def client(
        self, *roles: str, customer_id: UUID | None = None, sub: str | None = None
    ) -> httpx.AsyncClient:
        token = self.token(*roles, customer_id=customer_id, sub=sub)
        return self.anonymous_client({"Authorization": f"Bearer {token}"})

    def anonymous_client(self, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app)
        client = httpx.AsyncClient(
            transport=transport, base_url="http://tickets/api/v1", headers=headers or {}
        )
        self._clients.append(client)
        return client

    async def seed_customer(self, **overrides: Any) -> CustomerSnapshot:
        """What a customers event would leave in the replica."""
        snapshot = customer_snapshot(**overrides)
        await self.runtime.run(self.id, apply_customer_snapshot, snapshot, by="system")
        return snapshot

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()


@pytest.fixture(scope="session")
def app(runtime: Runtime) -> FastAPI:
    return create_tickets_app(runtime)


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
def outbox_events(owner_engine: AsyncEngine) -> Callable[[UUID], Awaitable[list[dict[str, Any]]]]:
    """The events a ticket's changes wrote to the outbox, oldest first."""

    async def events(aggregate_id: UUID) -> list[dict[str, Any]]:
        async with owner_engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT payload FROM tickets.outbox "
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
