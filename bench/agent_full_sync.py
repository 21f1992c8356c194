"""`agent_full_sync`: a full reconcile of one router holding 10,000 subscribers, with nothing to
change (read the four owned menus over the RouterOS API, diff, write nothing), on the RouterOS
simulator over TCP. Target: under 3 s. The baseline, measured in the same run, is a bare
librouteros print of the same menus with the same property lists: the wire and the simulator's
own cost, which the agent cannot go below.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from datetime import UTC, datetime

import asyncpg
import librouteros

from agent_world import router_and_plan
from harness import BenchContext
from isp_cli import infra
from isp_cli.services import service
from isp_mikrotik_agent.bootstrap import agent_settings, build_runtime
from isp_mikrotik_agent.controller.lane import ConnectionHolder, LaneConfig
from isp_mikrotik_agent.domain.desired import SuspensionSettings
from isp_mikrotik_agent.domain.router_objects import OWNED_MENUS, PROPLISTS, desired_objects
from isp_mikrotik_agent.use_cases.reconcile import load_plan, reconcile
from measure import Measurement
from routeros_sim import SimulatedRouter

NAME = "agent_full_sync"
UNIT = "s"
TARGET = 3.0
SUBSCRIBERS = 10_000
ROUNDS = 3

SEED = """
INSERT INTO mikrotik_agent.subscribers (customer_id, tenant_id, customer_code, status,
  pppoe_username, pppoe_password_encrypted, plan_id, target_router_id, customer_version)
SELECT id, $1, code, 'active', 'u' || code, $2, $3, $4, 1
FROM unnest($5::uuid[], $6::text[]) AS t(id, code)
"""


async def run(ctx: BenchContext) -> Measurement:
    settings = agent_settings(database_url=ctx.owner_url, log_json=True, log_level="WARNING")
    await asyncio.to_thread(infra.migrate, settings, service("mikrotik-agent"))
    runtime = build_runtime(settings)
    tenant = uuid.uuid4()
    now = datetime.now(UTC)
    async with SimulatedRouter(user="admin", password="admin", tick_interval=None) as sim:
        device, plan = await router_and_plan(runtime, tenant, sim, now)
        ids = [uuid.uuid4() for _ in range(SUBSCRIBERS)]
        codes = [f"C{n:06d}" for n in range(SUBSCRIBERS)]
        conn = await asyncpg.connect(ctx.owner_dsn)
        try:
            async with conn.transaction():
                await conn.execute("select set_config('app.tenant_id', $1, true)", str(tenant))
                await conn.execute(
                    SEED, tenant, runtime.secrets.encrypt("pw"), plan.id, device.id, ids, codes
                )
        finally:
            await conn.close()
        # The router already matches: its objects are written straight into the simulator.
        loaded = await load_plan(runtime.unit_of_work, tenant, device.id, full=True)
        assert loaded is not None
        wanted = [r.subscriber(runtime.decrypt) for r in loaded.records]
        for item in desired_objects(
            wanted, SuspensionSettings(), now, with_profile=True, scope=loaded.router.tenant_id
        ):
            sim.router.add(item.menu, {k: v for k, v in item.attributes.items() if v is not None})
        holder = ConnectionHolder(runtime.decrypt, LaneConfig(command_timeout=30))

        async def agent_sync() -> float:
            started = time.perf_counter()
            report = await reconcile(
                runtime.unit_of_work, holder, runtime.decrypt, tenant, device.id, full=True
            )
            elapsed = time.perf_counter() - started
            assert report is not None and not report.changes, "the router was expected to match"
            return elapsed

        api = await librouteros.async_connect(sim.host, "admin", "admin", port=sim.port, timeout=30)

        async def bare_print() -> float:
            started = time.perf_counter()
            for menu in OWNED_MENUS:
                [
                    row
                    async for row in api.rawCmd(
                        f"{menu}/print", f"=.proplist={','.join(PROPLISTS[menu])}"
                    )
                ]
            return time.perf_counter() - started

        await agent_sync()  # warm-up (and the first sync writes the router's sync record)
        agent, bare = [], []
        for _ in range(ROUNDS):
            agent.append(await agent_sync())
            bare.append(await bare_print())
        await api.close()
        await holder.close()
    await runtime.aclose()
    value, baseline = statistics.median(agent), statistics.median(bare)
    return Measurement(
        value=value,
        baseline=baseline,
        absolute=True,
        unit=UNIT,
        target=TARGET,
        what=f"full sync of {SUBSCRIBERS} subscribers with nothing to change (simulator, TCP)",
        details={
            "bare_librouteros_print_s": round(baseline, 3),
            "agent_over_bare": round(value / baseline, 2),
            "agent_rounds_s": [round(a, 3) for a in agent],
            "bare_rounds_s": [round(b, 3) for b in bare],
        },
    )
