"""Which replica runs which router's lane.

Every replica consumes events into desired state; a router's lane runs on exactly one replica at
a time. A replica takes a router by taking a Postgres *session* advisory lock named after it, on
one connection the manager keeps for all its lanes: if the replica dies, its connection goes and
the locks with it, and another replica's next scan takes the routers over. The same connection
LISTENs for the consumers' wake-ups (`pg_notify` with the tenant id)."""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import Callable
from uuid import UUID

from isp_common.logging import get_logger

from isp_mikrotik_agent.adapters.router_leases import LOST, RouterLeases
from isp_mikrotik_agent.controller.lane import LaneConfig, RouterLane
from isp_mikrotik_agent.use_cases.ports import Decrypt, UowFactory

log = get_logger(__name__)

# How long a cancelled lane gets to finish (it closes its router connection, bounded itself):
# a lane that does not end by then is left behind, so a stopping replica still stops and gives
# its locks back.
LANE_STOP_SECONDS = 10.0


class LaneManager:
    def __init__(
        self,
        dsn: str,
        schema: str,
        uow_factory: UowFactory,
        decrypt: Decrypt,
        config: LaneConfig,
        *,
        scan_seconds: float = 1.0,
        lane_factory: Callable[..., RouterLane] = RouterLane,
        tenants: set[UUID] | None = None,
    ) -> None:
        self._leases = RouterLeases(dsn, schema)
        self._uow_factory = uow_factory
        self._decrypt = decrypt
        self._config = config
        self._scan_seconds = scan_seconds
        self._lane_factory = lane_factory
        # Only these tenants' routers (a shard of a large deployment); None: every tenant.
        self._tenants = tenants
        self.lanes: dict[UUID, tuple[RouterLane, asyncio.Task[None]]] = {}

    @property
    def owned(self) -> set[UUID]:
        return set(self.lanes)

    async def run(self) -> None:
        """Until cancelled; a lost database connection drops every lane (their locks went
        with it) and the manager starts over."""
        try:
            while True:
                try:
                    await self._connect()
                    while True:
                        await self.scan()
                        await asyncio.sleep(self._scan_seconds * random.uniform(0.75, 1.25))
                except LOST as error:
                    log.warning("lane manager lost its database connection", error=str(error))
                    await self._drop_all()
                    await asyncio.sleep(self._scan_seconds)
        finally:
            await self._drop_all()

    async def _connect(self) -> None:
        await self._leases.open(self._wake_tenant)

    def _wake_tenant(self, tenant_id: str) -> None:
        for lane, _ in self.lanes.values():
            if str(lane.tenant_id) == tenant_id:
                lane.wake()

    async def scan(self) -> None:
        present = {
            router_id: tenant_id
            for router_id, tenant_id in (await self._leases.routers()).items()
            if self._tenants is None or tenant_id in self._tenants
        }
        for router_id in [r for r in self.lanes if r not in present]:
            await self._release(router_id)
        for router_id, (_, task) in list(self.lanes.items()):
            if task.done():  # a lane that died gives its router back for another try
                await self._release(router_id)
        free = [r for r in present if r not in self.lanes]
        random.shuffle(free)
        # Take half of what is free per scan, so replicas that start together share routers.
        for router_id in free[: max(1, math.ceil(len(free) / 2))]:
            if await self._leases.take(router_id):
                self._start(router_id, present[router_id])

    def _start(self, router_id: UUID, tenant_id: UUID) -> None:
        lane = self._lane_factory(
            tenant_id, router_id, self._uow_factory, self._decrypt, self._config
        )
        task = asyncio.create_task(lane.run(), name=f"lane {router_id}")
        self.lanes[router_id] = (lane, task)
        log.info("lane started", router_id=str(router_id))

    async def _release(self, router_id: UUID) -> None:
        _, task = self.lanes.pop(router_id)
        await _stop(task, router_id)
        await self._leases.give_back(router_id)

    async def _drop_all(self) -> None:
        for router_id in list(self.lanes):
            _, task = self.lanes.pop(router_id)
            await _stop(task, router_id)
        await self._leases.close()


async def _stop(task: asyncio.Task[None], router_id: UUID) -> None:
    """Cancel a lane and wait for it, at most LANE_STOP_SECONDS. `asyncio.wait` neither raises
    the lane's own error nor swallows a cancellation of the manager itself."""
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=LANE_STOP_SECONDS)
    if not done:
        log.warning("lane did not stop in time; left behind", router_id=str(router_id))
    elif not task.cancelled() and task.exception() is not None:
        log.warning(
            "lane ended with an error", router_id=str(router_id), error=str(task.exception())
        )
