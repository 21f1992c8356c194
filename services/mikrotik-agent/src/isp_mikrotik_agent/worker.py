"""The background half: the outbox relay, the `mikrotik-agent.desired` consumer, and the lane
manager that runs the lanes of the routers this replica holds."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from isp_common.messaging.worker import Worker

from isp_mikrotik_agent.bootstrap import Runtime
from isp_mikrotik_agent.consumers.desired import desired_consumer
from isp_mikrotik_agent.controller.manager import LaneManager


def build_worker(runtime: Runtime) -> Worker:
    return Worker(runtime.settings, runtime.db, consumers=[desired_consumer(runtime)], jobs=[])


def build_lane_manager(runtime: Runtime) -> LaneManager:
    return LaneManager(
        runtime.settings.service_dsn,
        runtime.db.schema,
        runtime.unit_of_work,
        runtime.decrypt,
        runtime.settings.lane_config(),
        scan_seconds=runtime.settings.agent_scan_seconds,
    )


async def run_agent(runtime: Runtime, stop: asyncio.Event) -> None:
    """The worker and, unless switched off, the lanes, until `stop` is set."""
    lanes = None
    if runtime.settings.agent_run_lanes:
        lanes = asyncio.create_task(build_lane_manager(runtime).run(), name="lane manager")
    try:
        await build_worker(runtime).run(stop)
    finally:
        if lanes is not None:
            lanes.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await lanes


@dataclass(frozen=True)
class AgentBackground:
    """What `python -m isp_mikrotik_agent worker` runs: the worker and the router lanes."""

    runtime: Runtime

    async def run(self, stop: asyncio.Event) -> None:
        await run_agent(self.runtime, stop)
