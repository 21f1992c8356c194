"""What the use cases need from the outside world, as protocols; adapters/ implements them and
the runtime (bootstrap.py) hands the concrete ones in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol, TypeVar
from uuid import UUID

from isp_common.pagination import Page, PageRequest
from isp_common.transaction import Transaction

from isp_network.domain.devices import ConnectionTest, Device, DeviceFilter, RouterReport
from isp_network.domain.fiber import Occupied, Odc, Odp, Olt
from isp_network.domain.monitoring import (
    Bucket,
    RetentionOutcome,
    Sample,
    SampleData,
    SampleFilter,
    SeriesPoint,
    TimeRange,
)
from isp_network.domain.placement import Placement

N = TypeVar("N", Olt, Odc, Odp)


class FiberNodes(Protocol[N]):
    """One level of the fiber tree (OLTs, ODCs or ODPs)."""

    async def add(self, node: N) -> None: ...

    async def save(self, node: N) -> None: ...

    async def delete(self, node_id: UUID) -> None: ...

    async def get(self, node_id: UUID, *, for_update: bool = False) -> N | None:
        """`for_update` locks the node until commit."""
        ...

    async def occupied(self, node_id: UUID) -> Occupied | None:
        """The node with what hangs on it (`used`, and for an ODP its OLT)."""
        ...

    async def page(
        self, parent_id: UUID | None, is_active: bool | None, request: PageRequest
    ) -> Page[Occupied]: ...

    async def under(self, parent_id: UUID) -> list[N]: ...

    async def count_children(self, node_id: UUID) -> int:
        """The nodes of the next level under this one (0 for an ODP)."""
        ...

    async def count_customers(self, node_id: UUID) -> int:
        """Customers placed under this node who still hold their place."""
        ...


class OdpNodes(FiberNodes[Odp], Protocol):
    async def olt_of(self, odc_id: UUID) -> UUID | None: ...


class DeviceRepository(Protocol):
    async def add(self, device: Device) -> None: ...

    async def save(self, device: Device) -> None: ...

    async def delete(self, device_id: UUID) -> None: ...

    async def get(self, device_id: UUID, *, for_update: bool = False) -> Device | None: ...

    async def of_customer(self, customer_id: UUID) -> list[Device]:
        """Locked until commit."""
        ...

    async def by_serial(self, serial: str) -> Device | None: ...

    async def serial_taken(self, serial: str, *, other_than: UUID) -> bool: ...

    async def count_children(self, device_id: UUID) -> int: ...

    async def ancestors(self, device_id: UUID, limit: int = 64) -> list[UUID]:
        """`device_id` and the chain of parents above it (to refuse a cycle)."""
        ...

    async def lock_default_router(self) -> None:
        """Serialises the tenant's changes of default router until commit."""
        ...

    async def default_routers(self, *, other_than: UUID) -> list[Device]: ...

    async def page(self, where: DeviceFilter, request: PageRequest) -> Page[Device]: ...

    async def record_report(self, report: RouterReport) -> bool:
        """Operational state from the agent (no new version, no event); False when a later
        report is already held."""
        ...


class PlacementReplica(Protocol):
    async def upsert(self, placement: Placement) -> bool:
        """False when the replica already holds this version of the customer or a newer one."""
        ...


class MonitoringRepository(Protocol):
    async def insert(self, batch: Sequence[SampleData]) -> int:
        """Stores the batch in this unit of work; answers how many were kept."""
        ...

    async def series(self, customer_id: UUID, window: TimeRange, limit: int) -> list[Sample]: ...

    async def buckets(
        self, customer_id: UUID, window: TimeRange, bucket: Bucket
    ) -> list[SeriesPoint]: ...

    async def latest(self, customer_id: UUID) -> Sample | None: ...

    async def page(self, where: SampleFilter, request: PageRequest) -> Page[Sample]: ...

    async def purge_customer(self, customer_id: UUID) -> int: ...


class UnitOfWork(Transaction, Protocol):
    @property
    def olts(self) -> FiberNodes[Olt]: ...

    @property
    def odcs(self) -> FiberNodes[Odc]: ...

    @property
    def odps(self) -> OdpNodes: ...

    @property
    def devices(self) -> DeviceRepository: ...

    @property
    def placements(self) -> PlacementReplica: ...

    @property
    def monitoring(self) -> MonitoringRepository: ...


class Agent(Protocol):
    """The mikrotik-agent, asked about a router now with the caller's credentials."""

    async def test_connection(
        self, router_id: UUID, bearer_token: str | None
    ) -> ConnectionTest: ...

    async def request_sync(self, router_id: UUID, bearer_token: str | None) -> None: ...


class Partitions(Protocol):
    """The day partitions of the samples table."""

    async def ensure(self, days: list[date]) -> int: ...

    async def apply_retention(self, cutoff: datetime) -> RetentionOutcome: ...
