"""What both agent benches give their tenant before they measure: the simulated router as its
default device and one plan, applied the way the agent applies their events."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.network import DeviceSnapshot

from isp_mikrotik_agent.bootstrap import Runtime
from isp_mikrotik_agent.use_cases.apply_events import apply_device, apply_plan
from routeros_sim import SimulatedRouter


async def router_and_plan(
    runtime: Runtime, tenant: UUID, sim: SimulatedRouter, now: datetime
) -> tuple[DeviceSnapshot, ServicePlanSnapshot]:
    device = DeviceSnapshot(
        id=uuid.uuid4(),
        name="bench",
        device_type="router",
        status="online",
        ip_address=sim.host,
        api_port=sim.port,
        username="admin",
        password_encrypted=runtime.secrets.encrypt("admin"),
        is_default_mikrotik=True,
        version=1,
        updated_at=now,
    )
    plan = ServicePlanSnapshot(
        id=uuid.uuid4(),
        name="bench",
        bandwidth_download=20_000,
        bandwidth_upload=10_000,
        monthly_price=Decimal("100000.00"),
        is_active=True,
        version=1,
        created_at=now,
        updated_at=now,
    )
    await runtime.run(tenant, apply_device, device)
    await runtime.run(tenant, apply_plan, plan)
    return device, plan
