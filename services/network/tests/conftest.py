"""Network's own part of its test harness (the rest: isp_common.testing.fixtures): where the
agent is (nowhere), its tenant, who learns of customers and routers through events, and an
OLT-ODC-ODP tree to hang customers on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from pydantic import BaseModel

from isp_common.contracts import producer_of
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging.envelope import new_event
from isp_common.testing import closed_port, mark_integration, settings_for_test
from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
from isp_common.testing.fixtures import ServiceUnderTest
from isp_common.testing.tenants import ApiTenant

from isp_network import MIGRATIONS
from isp_network.app import create_network_app
from isp_network.bootstrap import NetworkSettings, Runtime, build_runtime
from isp_network.consumers.handlers import REPLICA_HANDLERS, traffic_handlers

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)


def network_test_settings(database_url: str, **overrides: object) -> NetworkSettings:
    values: dict[str, object] = {
        # The agent is nowhere unless a test stands one up: a call answers 502.
        "service_urls": {"mikrotik-agent": f"http://127.0.0.1:{closed_port()}"},
        # The agent's calls give up after half a second: a test of a slow agent waits no longer.
        "network_agent_timeout_seconds": 0.5,
    }
    values.update(overrides)
    base = settings_for_test("network", database_url, **values)
    return NetworkSettings(**{**base.model_dump(), **values})


class Tenant(ApiTenant[Runtime]):
    base_url = "http://network/api/v1"

    async def deliver(
        self, type_: str, data: BaseModel, aggregate_id: UUID, version: int = 1
    ) -> None:
        """An event of another service, handled as the consumer would (inside a unit of work)."""
        event = new_event(
            type_,
            tenant_id=self.id,
            producer=producer_of(type_),
            aggregate_id=aggregate_id,
            aggregate_version=version,
            data=data,
        )
        retention = self.runtime.settings.monitoring_retention
        handlers = {**REPLICA_HANDLERS, **traffic_handlers(retention)}
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
def service() -> ServiceUnderTest[Runtime]:
    return ServiceUnderTest(
        "network",
        MIGRATIONS,
        build_runtime,
        create_network_app,
        Tenant,
        test_settings=network_test_settings,
    )


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
