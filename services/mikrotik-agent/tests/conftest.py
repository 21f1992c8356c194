"""The agent's own part of its test harness (the rest: isp_common.testing.fixtures): its
settings, the RouterOS simulator over real TCP (one per session, a clean router per test or
Hypothesis example), its tenant, and the snapshots other services' events carry."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from isp_common.contracts.billing import PlanAdvancedSnapshot, ServicePlanSnapshot
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.contracts.network import DeviceSnapshot
from isp_common.testing import mark_integration, settings_for_test
from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
from isp_common.testing.fixtures import ServiceUnderTest
from isp_common.testing.tenants import ApiTenant

from isp_mikrotik_agent import MIGRATIONS
from isp_mikrotik_agent.app import create_agent_app
from isp_mikrotik_agent.bootstrap import AgentSettings, Runtime, build_runtime
from isp_mikrotik_agent.controller.lane import ConnectionHolder, LaneConfig
from isp_mikrotik_agent.use_cases.apply_events import apply_customer, apply_device, apply_plan
from isp_mikrotik_agent.use_cases.reconcile import ReconcileReport, reconcile
from routeros_sim import Router, SimulatedRouter

TESTS = Path(__file__).parent
SIM_USER, SIM_PASSWORD = "admin", "sim-secret"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)


def agent_test_settings(database_url: str, **overrides: Any) -> AgentSettings:
    base = settings_for_test("mikrotik-agent", database_url)
    values = {
        **base.model_dump(),
        "agent_poll_seconds": 0.5,
        "agent_full_sync_seconds": 3600.0,
        "agent_traffic_seconds": None,
        "agent_command_timeout_seconds": 1.0,
        "agent_scan_seconds": 0.3,
    }
    values.update(overrides)
    return AgentSettings(**values)


@pytest.fixture(scope="session")
async def sim() -> AsyncIterator[SimulatedRouter]:
    """One simulated router for the session; `fresh_router` gives each example a clean one."""
    async with SimulatedRouter(user=SIM_USER, password=SIM_PASSWORD, tick_interval=None) as sim:
        yield sim


def fresh_router(sim: SimulatedRouter) -> Router:
    sim.faults.clear()
    sim.router = Router(identity="sim-agent")
    return sim.router


class Tenant(ApiTenant[Runtime]):
    base_url = "http://agent/api/v1"

    async def add_router(
        self, sim: SimulatedRouter, *, default: bool = True, **overrides: Any
    ) -> DeviceSnapshot:
        device = device_snapshot(self.runtime, sim, default=default, **overrides)
        await self.runtime.run(self.id, apply_device, device)
        return device

    async def add_router_at(self, host: str, port: int) -> DeviceSnapshot:
        """A router whose address network's events say is `host:port` (not the simulator)."""
        device = DeviceSnapshot(
            **{
                **device_snapshot(self.runtime, None, default=False).model_dump(),
                "ip_address": host,
                "api_port": port,
            }
        )
        await self.runtime.run(self.id, apply_device, device)
        return device

    async def add_plan(self, **overrides: Any) -> ServicePlanSnapshot:
        plan = plan_snapshot(**overrides)
        await self.runtime.run(self.id, apply_plan, plan)
        return plan

    async def put_customer(self, customer: CustomerSnapshot) -> None:
        await self.runtime.run(self.id, apply_customer, customer)

    async def reconcile(
        self, router_id: UUID, *, full: bool = True, dry_run: bool = False
    ) -> ReconcileReport | None:
        holder = ConnectionHolder(self.runtime.decrypt, LaneConfig(connect_attempts=1))
        try:
            return await reconcile(
                self.runtime.unit_of_work,
                holder,
                self.runtime.decrypt,
                self.id,
                router_id,
                full=full,
                dry_run=dry_run,
            )
        finally:
            await holder.close()


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest[Runtime]:
    return ServiceUnderTest(
        "mikrotik-agent",
        MIGRATIONS,
        build_runtime,
        create_agent_app,
        Tenant,
        test_settings=agent_test_settings,
    )


def device_snapshot(
    runtime: Runtime, sim: SimulatedRouter | None, *, default: bool = True, **overrides: Any
) -> DeviceSnapshot:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "name": "core-router",
        "device_type": "router",
        "status": "online",
        "ip_address": sim.host if sim else None,
        "api_port": sim.port if sim else None,
        "username": SIM_USER,
        "password_encrypted": runtime.secrets.encrypt(SIM_PASSWORD),
        "is_default_mikrotik": default,
        "version": 1,
        "updated_at": datetime.now(UTC),
    }
    values.update(overrides)
    return DeviceSnapshot(**values)


def plan_snapshot(**overrides: Any) -> ServicePlanSnapshot:
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "name": "Home 20M",
        "bandwidth_download": 20_000,
        "bandwidth_upload": 10_000,
        "monthly_price": Decimal("150000.00"),
        "is_active": True,
        "advanced": PlanAdvancedSnapshot(),
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    values.update(overrides)
    return ServicePlanSnapshot(**values)


def customer_snapshot(runtime: Runtime, plan_id: UUID, **overrides: Any) -> CustomerSnapshot:
    now = datetime.now(UTC)
    suffix = uuid.uuid4().hex[:8]
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "customer_code": f"C-{suffix}",
        "full_name": "Budi Santoso",
        "phone": "+62 812 5550 1234",
        "address": "Jl. Merdeka 17",
        "status": "active",
        "service_plan_id": plan_id,
        "pppoe_username": f"budi-{suffix}",
        "pppoe_password_encrypted": runtime.secrets.encrypt(f"pw-{suffix}"),
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    values.update(overrides)
    return CustomerSnapshot(**values)


@pytest.fixture(scope="session")
def new_customer(runtime: Runtime) -> Any:
    """A CustomerSnapshot on a plan; keywords override fields."""
    return lambda plan_id, **overrides: customer_snapshot(runtime, plan_id, **overrides)


@pytest.fixture(scope="session")
def reset_router() -> Any:
    """Gives the session's simulator a clean router (state and faults) and returns it."""
    return fresh_router
