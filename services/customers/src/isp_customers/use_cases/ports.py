"""What the use cases need from the outside world, as protocols; adapters/ implements them."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from isp_common.contracts.billing import (
    AccountSnapshot,
    BillingSettingsSnapshot,
    ServicePlanSnapshot,
)
from isp_common.contracts.mikrotik import ProvisioningResult
from isp_common.contracts.network import OdpSnapshot
from isp_common.pagination import Page, PageRequest
from isp_common.transaction import Transaction

from isp_customers.domain.customer import Customer
from isp_customers.domain.listing import CustomerFilter, SortOrder
from isp_customers.domain.read_models import CustomerDetails
from isp_customers.domain.references import Odp, ServicePlan


class CustomerRepository(Protocol):
    async def add(self, customer: Customer) -> None: ...

    async def save(self, customer: Customer) -> None: ...

    async def get(self, customer_id: UUID, *, for_update: bool = False) -> Customer | None:
        """A customer that is not deleted; `for_update` locks it until commit."""
        ...

    async def details(self, customer_id: UUID) -> CustomerDetails | None: ...

    async def details_by_code(self, customer_code: str) -> CustomerDetails | None: ...

    async def page(
        self, where: CustomerFilter, sort: SortOrder, request: PageRequest
    ) -> Page[CustomerDetails]: ...

    async def code_exists(self, customer_code: str) -> bool:
        """Deleted customers keep their codes: a code is never given twice."""
        ...

    async def taken_identifiers(self, customer: Customer) -> list[str]:
        """The fields (code, PPPoE username, fixed address) another customer already holds."""
        ...

    async def count_live_on_odp(self, odp_id: UUID, *, excluding: UUID | None) -> int: ...


class ServicePlanReplica(Protocol):
    async def get(self, plan_id: UUID) -> ServicePlan | None: ...

    async def upsert(self, snapshot: ServicePlanSnapshot) -> bool:
        """False when the replica already holds this version or a newer one."""
        ...


class OdpReplica(Protocol):
    async def get(self, odp_id: UUID, *, for_update: bool = False) -> Odp | None: ...

    async def upsert(self, snapshot: OdpSnapshot) -> bool: ...


class AccountReplica(Protocol):
    async def upsert(self, snapshot: AccountSnapshot) -> bool: ...


class ProvisioningReplica(Protocol):
    async def upsert(self, result: ProvisioningResult) -> bool:
        """False when a later result is already held."""
        ...


class TenantSettingsReplica(Protocol):
    async def timezone(self) -> str | None:
        """The tenant's IANA timezone as billing last published it; None when not known yet."""
        ...

    async def upsert(self, snapshot: BillingSettingsSnapshot) -> bool: ...


class UnitOfWork(Transaction, Protocol):
    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def service_plans(self) -> ServicePlanReplica: ...

    @property
    def odps(self) -> OdpReplica: ...

    @property
    def accounts(self) -> AccountReplica: ...

    @property
    def provisioning(self) -> ProvisioningReplica: ...

    @property
    def tenant_settings(self) -> TenantSettingsReplica: ...

    async def next_number(self, counter: str) -> int: ...


class ReferenceLookup(Protocol):
    """Asks the owning service, with the caller's credentials, about an aggregate the local
    replica does not know yet (its event may still be on the way). None: it does not exist."""

    async def service_plan(self, plan_id: UUID) -> ServicePlanSnapshot | None: ...

    async def odp(self, odp_id: UUID) -> OdpSnapshot | None: ...
