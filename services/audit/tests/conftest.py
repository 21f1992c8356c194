"""Audit's own part of its test harness (the rest: isp_common.testing.fixtures): its tenant, who
makes events of any producer, a way to tamper with stored rows, and the trail consumer on the
real broker."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aio_pika.abc import AbstractExchange
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_common.contracts import producer_of
from isp_common.messaging import topology
from isp_common.messaging.consumer import Consumer
from isp_common.messaging.envelope import Event, EventActor
from isp_common.settings import Settings
from isp_common.testing import mark_integration
from isp_common.testing.bus import broker_channel, publish
from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
from isp_common.testing.fixtures import ServiceUnderTest
from isp_common.testing.tenants import ApiTenant

from isp_audit import MIGRATIONS
from isp_audit.app import create_audit_app
from isp_audit.bootstrap import Runtime, build_runtime
from isp_audit.worker import trail_consumer

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)


class Tenant(ApiTenant[Runtime]):
    base_url = "http://audit/api/v1"

    def event(
        self,
        type_: str = "customers.customer.activated",
        data: dict[str, Any] | None = None,
        **overrides: Any,
    ) -> Event:
        """An event of this tenant as a producer would publish it (any type, any data)."""
        values: dict[str, Any] = {
            "id": uuid.uuid4(),
            "type": type_,
            "occurred_at": datetime.now(UTC),
            "tenant_id": self.id,
            "producer": producer_of(type_),
            "aggregate_id": uuid.uuid4(),
            "aggregate_version": 1,
            "correlation_id": uuid.uuid4().hex,
            "actor": EventActor(sub="operator-7", roles=["admin"], ip="10.1.2.3"),
            "data": data if data is not None else {"status": "active"},
        }
        values.update(overrides)
        return Event(**values)


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest[Runtime]:
    return ServiceUnderTest("audit", MIGRATIONS, build_runtime, create_audit_app, Tenant)


@pytest.fixture(scope="session")
def tamper(owner_engine: AsyncEngine) -> Callable[..., Any]:
    """Changes stored audit rows directly, as the owner with triggers off (session_replication_role
    = replica): what an intruder with the database's keys could do."""

    async def run(statement: str, **params: Any) -> list[Any]:
        """The first column of what the statement returns (write it with `RETURNING id`)."""
        async with owner_engine.begin() as conn:
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
            return list((await conn.execute(text(statement), params)).scalars())

    return run


@dataclass
class Bus:
    """The `audit.trail` consumer running on the real broker, and a way to publish to it."""

    consumer: Consumer
    exchange: AbstractExchange

    async def publish(self, event: Event) -> None:
        await publish(self.exchange, event)

    async def deliver(self, events: list[Event], within: float = 15) -> None:
        """Publishes the events (in this order, repeats included) and waits until each delivery
        has been handled, as applied or as a duplicate."""
        before = sum(self.consumer.outcomes.values())
        for event in events:
            await self.publish(event)
        deadline = asyncio.get_running_loop().time() + within
        while sum(self.consumer.outcomes.values()) - before < len(events):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{self.consumer.outcomes} after {len(events)} deliveries")
            await asyncio.sleep(0.005)


@pytest.fixture(scope="session")
async def bus(runtime: Runtime, settings: Settings) -> AsyncIterator[Bus]:
    consumer = trail_consumer(runtime)
    async with broker_channel(settings) as channel:
        exchange = await topology.declare_exchange(channel, settings)
        async with consumer:
            yield Bus(consumer, exchange)
