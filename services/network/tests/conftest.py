"""The network service on a real, freshly migrated Postgres (and, for the bus tests, the real
RabbitMQ): one database per test session, one tenant per test (tenants are free: a uuid)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
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
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from isp_common.auth import mint_token
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging import topology
from isp_common.messaging.envelope import new_event
from isp_common.settings import Settings
from isp_common.testing import create_migrated_database, drop_database, settings_for_test

from isp_network import MIGRATIONS
from isp_network.app import create_network_app
from isp_network.bootstrap import NetworkConfig, Runtime, build_runtime
from isp_network.consumers.handlers import REPLICA_HANDLERS, traffic_handlers

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if TESTS in Path(item.path).parents and "unit" not in Path(item.path).parts:
            item.add_marker(pytest.mark.integration)


def closed_port() -> int:
    """A localhost port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def owner_url() -> Iterator[str]:
    url = create_migrated_database("network", {"network": MIGRATIONS})
    yield url
    asyncio.run(drop_database(str(make_url(url).database)))


def network_test_settings(owner_url: str, **overrides: object) -> Settings:
    # The agent is nowhere unless a test stands one up: a call answers 502.
    values: dict[str, object] = {
        "service_urls": {"mikrotik-agent": f"http://127.0.0.1:{closed_port()}"}
    }
    values.update(overrides)
    return settings_for_test("network", owner_url, **values)


@pytest.fixture(scope="session")
def make_settings(owner_url: str) -> Callable[..., Settings]:
    return lambda **overrides: network_test_settings(owner_url, **overrides)


@pytest.fixture(scope="session")
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


TEST_CONFIG = NetworkConfig(agent_timeout_seconds=0.5)


@pytest.fixture(scope="session")
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(settings, TEST_CONFIG)
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
        transport = httpx.ASGITransport(app=self.app)
        client = httpx.AsyncClient(
            transport=transport, base_url="http://network/api/v1", headers=headers
        )
        self._clients.append(client)
        return client

    async def deliver(
        self, type_: str, data: BaseModel, aggregate_id: UUID, version: int = 1
    ) -> None:
        """An event of another service, handled as the consumer would (inside a unit of work)."""
        event = new_event(
            type_,
            tenant_id=self.id,
            producer=type_.split(".")[0],
            aggregate_id=aggregate_id,
            aggregate_version=version,
            data=data,
        )
        handlers = {**REPLICA_HANDLERS, **traffic_handlers(self.runtime.config.retention)}
        async with self.runtime.unit_of_work(self.id) as uow:
            await handlers[type_](event, uow)
            await uow.commit()

    async def place_customer(
        self,
        customer_id: UUID,
        odp: dict[str, Any] | None,
        *,
        version: int = 1,
        status: str = "active",
        verb: str = "updated",
        deleted: bool = False,
    ) -> None:
        """What customers.customer.* says when a customer hangs on `odp` (None: on none)."""
        await self.deliver(
            f"customers.customer.{verb}",
            customer(customer_id, odp, version=version, status=status, deleted=deleted),
            customer_id,
            version,
        )

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()


def customer(
    customer_id: UUID,
    odp: dict[str, Any] | None,
    *,
    version: int = 1,
    status: str = "active",
    deleted: bool = False,
) -> CustomerSnapshot:
    now = datetime.now(UTC)
    return CustomerSnapshot(
        id=customer_id,
        customer_code=f"CUST-{version:06d}",
        full_name="Siti Rahma",
        phone="+62 812 0000 0000",
        address="Jl. Asia Afrika 1, Bandung",
        status=status,
        odp_id=UUID(odp["id"]) if odp else None,
        odc_id=UUID(odp["odc_id"]) if odp else None,
        olt_id=UUID(odp["olt_id"]) if odp and odp.get("olt_id") else None,
        is_deleted=deleted,
        version=version,
        created_at=now,
        updated_at=now,
    )


@pytest.fixture(scope="session")
def app(runtime: Runtime) -> FastAPI:
    return create_network_app(runtime)


@pytest.fixture(scope="session")
async def new_tenant(runtime: Runtime, app: FastAPI) -> AsyncIterator[Callable[[], Tenant]]:
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


async def _make_tree(
    client: httpx.AsyncClient, *, odc_capacity: int = 4, odp_capacity: int = 8
) -> dict[str, Any]:
    """An OLT, an ODC under it and an ODP under that; the ODP as the API answered it."""
    olt = (await client.post("/olts", json={"name": "OLT-1"})).json()["data"]
    odc_body = {"name": "ODC-1", "olt_id": olt["id"], "capacity": odc_capacity}
    odc = (await client.post("/odcs", json=odc_body)).json()["data"]
    odp_body = {"name": "ODP-1", "odc_id": odc["id"], "capacity": odp_capacity}
    answer = await client.post("/odps", json=odp_body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["data"])


MakeTree = Callable[..., Awaitable[dict[str, Any]]]
CustomerOf = Callable[..., CustomerSnapshot]


@pytest.fixture(scope="session")
def customer_of() -> CustomerOf:
    """customers' snapshot of a customer placed on an ODP (as the API answered it)."""
    return customer


@pytest.fixture(scope="session")
def make_tree() -> MakeTree:
    return _make_tree


@pytest.fixture(scope="session")
def outbox_events(owner_engine: AsyncEngine) -> Callable[[UUID], Awaitable[list[dict[str, Any]]]]:
    """The events an aggregate's changes wrote to the outbox, oldest first."""

    async def events(aggregate_id: UUID) -> list[dict[str, Any]]:
        async with owner_engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT payload FROM network.outbox "
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
