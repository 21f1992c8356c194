"""Two agent replicas and several routers: each router's lane runs on exactly one replica (its
session advisory lock), every router is reconciled, and when one replica stops its routers move
to the other, which brings their subscribers to the router."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from isp_mikrotik_agent.bootstrap import Runtime, build_runtime
from isp_mikrotik_agent.controller.manager import LaneManager
from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant


def manager_for(runtime: Runtime, tenant: Tenant) -> LaneManager:
    return LaneManager(
        runtime.settings.service_dsn,
        runtime.db.schema,
        runtime.unit_of_work,
        runtime.decrypt,
        runtime.settings.lane_config(),
        scan_seconds=0.1,
        tenants={tenant.id},
    )


async def wait_for(check: Any, timeout: float = 15.0) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


async def stopped(task: asyncio.Task[None], timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Cancel a replica and wait for it to end: a shutdown that hangs fails here, in words,
    rather than holding the run."""
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=timeout)
    assert done, "the replica did not stop"


async def test_each_router_runs_on_one_replica_and_moves_when_it_stops(
    tenant: Tenant, runtime: Runtime, new_customer: Any
) -> None:
    sims = [
        SimulatedRouter(user="admin", password="sim-secret", tick_interval=None) for _ in range(4)
    ]
    for sim in sims:
        await sim.start()
    second = build_runtime(runtime.settings)
    try:
        plan = await tenant.add_plan()
        devices = []
        for number, sim in enumerate(sims):
            device = await tenant.add_router(sim, default=False, name=f"r{number}")
            devices.append(device)
            customer = new_customer(plan.id, status="active", router_id=device.id)
            await tenant.put_customer(customer)
        replica_a, replica_b = manager_for(runtime, tenant), manager_for(second, tenant)
        task_a = asyncio.create_task(replica_a.run())
        task_b = asyncio.create_task(replica_b.run())
        everyone = {d.id for d in devices}
        await wait_for(lambda: replica_a.owned | replica_b.owned == everyone)
        assert not replica_a.owned & replica_b.owned
        await wait_for(lambda: all(s.router.items("/queue/simple") for s in sims))

        await stopped(task_a)  # replica A stops: its connection and its locks go
        await wait_for(lambda: replica_b.owned == everyone)
        # The routers B took over are B's lanes now: a new subscriber on each is provisioned.
        for device in devices:
            await tenant.put_customer(new_customer(plan.id, status="active", router_id=device.id))
        await wait_for(lambda: all(len(s.router.items("/queue/simple")) == 2 for s in sims))
        await stopped(task_b)
    finally:
        await second.aclose()
        for sim in sims:
            await sim.stop()
