"""What the use cases need from the outside world, as protocols; adapters/ implements them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.pagination import Page, PageRequest
from isp_common.transaction import Transaction

from isp_boost.domain.boost import BoostRequest
from isp_boost.domain.history import BoostHistory
from isp_boost.domain.listing import BoostFilter
from isp_boost.domain.pricing import BoostPricing
from isp_boost.domain.references import KnownCustomer, KnownPlan
from isp_boost.domain.status import EndReason


class BoostRequestRepository(Protocol):
    async def add(self, request: BoostRequest) -> None: ...

    async def save(self, request: BoostRequest) -> None:
        """Raises CONFLICT when the customer already has another activated boost."""
        ...

    async def get(self, request_id: UUID, *, for_update: bool = False) -> BoostRequest | None: ...

    async def active_for(
        self, customer_id: UUID, *, for_update: bool = False
    ) -> BoostRequest | None: ...

    async def open_for(self, customer_id: UUID) -> list[BoostRequest]: ...

    async def due(self, now: datetime, limit: int) -> list[BoostRequest]: ...

    async def page(self, where: BoostFilter, request: PageRequest) -> Page[BoostRequest]: ...


class BoostHistoryRepository(Protocol):
    async def add(self, history: BoostHistory) -> None: ...

    async def active_for(self, customer_id: UUID) -> BoostHistory | None: ...

    async def end(self, request_id: UUID, ended_at: datetime, reason: EndReason) -> None: ...


class PricingRepository(Protocol):
    async def get(self) -> BoostPricing: ...

    async def put(self, value: BoostPricing) -> None: ...


class CustomerReplica(Protocol):
    async def get(self, customer_id: UUID) -> KnownCustomer | None: ...

    async def upsert(self, snapshot: CustomerSnapshot) -> bool:
        """False when the replica already holds this version or a newer one."""
        ...


class ServicePlanReplica(Protocol):
    async def get(self, plan_id: UUID) -> KnownPlan | None: ...

    async def upsert(self, snapshot: ServicePlanSnapshot) -> bool: ...


class UnitOfWork(Transaction, Protocol):
    @property
    def requests(self) -> BoostRequestRepository: ...

    @property
    def history(self) -> BoostHistoryRepository: ...

    @property
    def pricing(self) -> PricingRepository: ...

    @property
    def customers(self) -> CustomerReplica: ...

    @property
    def service_plans(self) -> ServicePlanReplica: ...

    async def next_number(self, counter: str) -> int: ...
