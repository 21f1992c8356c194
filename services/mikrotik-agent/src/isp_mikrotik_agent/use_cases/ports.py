"""What the use cases need from the outside world, as protocols; adapters/ implements them and
the wiring (bootstrap.py, the controller) hands the concrete ones in."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.contracts.network import DeviceSnapshot
from isp_common.pagination import PageRequest
from isp_common.transaction import Transaction

from isp_mikrotik_agent.domain.desired import SuspensionSettings
from isp_mikrotik_agent.domain.stored_state import Outcome, RouterRecord, SubscriberRecord


class RouterUnreachable(Exception):
    """The router could not be reached or the connection broke: the whole lane retries."""


class RouterRefused(Exception):
    """The router answered a command with !trap: that one change failed, the rest go on."""


class RouterApi(Protocol):
    """Raises RouterUnreachable when the connection fails, RouterRefused when a command is
    refused."""

    async def print(
        self, menu: str, proplist: Sequence[str] = (), where: Mapping[str, str] | None = None
    ) -> list[dict[str, str]]: ...

    async def add(self, menu: str, attributes: Mapping[str, str]) -> str: ...

    async def set(self, menu: str, object_id: str, attributes: Mapping[str, str]) -> None: ...

    async def unset(self, menu: str, object_id: str, name: str) -> None: ...

    async def remove(self, menu: str, object_id: str) -> None: ...


class RouterSession(Protocol):
    """Hands out a logged-in connection to the router (kept open between reconciles)."""

    async def client(self, router: RouterRecord) -> RouterApi: ...


class RouterFacts(Protocol):
    @property
    def identity(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def uptime(self) -> str: ...

    @property
    def latency_ms(self) -> float: ...


class ProbedRouterApi(RouterApi, Protocol):
    async def facts(self) -> RouterFacts:
        """Who the router says it is, and how long it took to answer."""
        ...


class OneOffConnection(Protocol):
    """A connection of its own for one answer read from the router now; closed after it."""

    async def client(self, router: RouterRecord) -> ProbedRouterApi: ...

    async def close(self) -> None: ...


class RouterDirectory(Protocol):
    """The routers network publishes, with what the agent learnt of each."""

    async def upsert_device(self, device: DeviceSnapshot, now: datetime) -> tuple[bool, bool]:
        """(changed, default_changed). A device that is not (or no longer) a router is kept as
        a deleted router, so its lane stops."""
        ...

    async def default_router_id(self) -> UUID | None: ...

    async def get(
        self, router_id: UUID, *, include_deleted: bool = False
    ) -> RouterRecord | None: ...

    async def page(self, request: PageRequest) -> tuple[list[RouterRecord], int]: ...

    async def set_connection(
        self, router_id: UUID, status: str, error: str | None, now: datetime
    ) -> bool:
        """True if the connection state changed (an event is due)."""
        ...

    async def record_sync(self, router_id: UUID, result: dict[str, Any], now: datetime) -> None: ...

    async def request_sync(self, router_id: UUID, now: datetime) -> None: ...

    async def sync_requested(self, router_id: UUID) -> bool: ...

    async def next_event_version(self, router_id: UUID) -> int: ...


class DesiredState(Protocol):
    """Subscribers' desired state, the plans they point at, the tenant's suspension settings."""

    async def notify(self) -> None:
        """Wakes the lanes (at commit) to reconcile what changed."""
        ...

    async def upsert_plan(self, plan: ServicePlanSnapshot) -> bool: ...

    async def upsert_customer(
        self, customer: CustomerSnapshot, target_router_id: UUID | None, now: datetime
    ) -> None: ...

    async def set_boost(
        self,
        customer_id: UUID,
        boost_id: UUID,
        speeds: tuple[int, int] | None,
        expires_at: datetime | None,
        now: datetime,
    ) -> None: ...

    async def retarget_default(self, default_router_id: UUID | None) -> None: ...

    async def touch_all(self) -> None: ...

    async def for_router(
        self, router_id: UUID, *, only_dirty: bool, limit: int | None = None
    ) -> list[SubscriberRecord]: ...

    async def record_outcomes(
        self, outcomes: Sequence[Outcome], now: datetime
    ) -> list[tuple[Outcome, int]]:
        """Writes the outcomes back; those to report, each with its event's version."""
        ...

    async def settings(self) -> SuspensionSettings: ...

    async def save_settings(self, value: SuspensionSettings, now: datetime) -> None: ...


class OperationLog(Protocol):
    async def append(
        self, router_id: UUID, entries: Sequence[dict[str, Any]], now: datetime
    ) -> None: ...

    async def page(
        self, router_id: UUID, customer_id: UUID | None, request: PageRequest
    ) -> tuple[list[dict[str, Any]], int]: ...


class UnitOfWork(Transaction, Protocol):
    @property
    def routers(self) -> RouterDirectory: ...

    @property
    def desired(self) -> DesiredState: ...

    @property
    def operations(self) -> OperationLog: ...


UowFactory = Callable[[UUID], UnitOfWork]
Decrypt = Callable[[str], str]
