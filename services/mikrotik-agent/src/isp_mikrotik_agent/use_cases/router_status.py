"""Connection state changes and traffic samples: outcomes of the lane that are not reconciles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from isp_common.contracts.mikrotik import (
    ROUTER_CONNECTION_CHANGED,
    TRAFFIC_SAMPLED,
    RouterConnectionChanged,
    TrafficSample,
    TrafficSampled,
)

from isp_mikrotik_agent.domain.router_objects import ACTIVE, QUEUE
from isp_mikrotik_agent.domain.tags import customer_of
from isp_mikrotik_agent.use_cases.ports import RouterApi, UnitOfWork

TRAFFIC_BATCH = 500


async def record_connection(
    uow: UnitOfWork, router_id: UUID, online: bool, error: str | None
) -> bool:
    """True if the router went on- or offline (an event is raised)."""
    now = datetime.now(UTC)
    status = "online" if online else "offline"
    if not await uow.routers.set_connection(router_id, status, error, now):
        return False
    uow.raise_event(
        ROUTER_CONNECTION_CHANGED,
        router_id,
        await uow.routers.next_event_version(router_id),
        RouterConnectionChanged(router_id=router_id, connection_status=status, error=error, at=now),
    )
    return True


async def read_traffic(client: RouterApi) -> list[TrafficSample]:
    """The counters of the agent's queues; in = towards the subscriber (download)."""
    now = datetime.now(UTC)
    online = {r.get("name") for r in await client.print(ACTIVE, (".id", "name"))}
    samples = []
    for row in await client.print(QUEUE, (".id", "name", "target", "bytes", "rate", "comment")):
        customer_id = customer_of(row.get("comment"))
        if customer_id is None:
            continue
        up_bytes, down_bytes = _pair(row.get("bytes"))
        up_rate, down_rate = _pair(row.get("rate"))
        target = row.get("target", "")
        name = target[len("<pppoe-") : -1] if target.startswith("<pppoe-") else None
        samples.append(
            TrafficSample(
                customer_id=customer_id,
                at=now,
                bytes_in=down_bytes,
                bytes_out=up_bytes,
                rate_in_kbps=down_rate // 1000,
                rate_out_kbps=up_rate // 1000,
                is_online=(name in online) if name else (up_rate + down_rate) > 0,
            )
        )
    return samples


async def publish_traffic(
    uow: UnitOfWork, router_id: UUID, samples: Sequence[TrafficSample]
) -> int:
    batches = 0
    for start in range(0, len(samples), TRAFFIC_BATCH):
        uow.raise_event(
            TRAFFIC_SAMPLED,
            router_id,
            await uow.routers.next_event_version(router_id),
            TrafficSampled(
                router_id=router_id, samples=list(samples[start : start + TRAFFIC_BATCH])
            ),
        )
        batches += 1
    return batches


def _pair(value: str | None) -> tuple[int, int]:
    try:
        up, down = (int(x) for x in (value or "0/0").split("/"))
    except ValueError:
        return 0, 0
    return max(up, 0), max(down, 0)
