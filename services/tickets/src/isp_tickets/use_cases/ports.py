"""What the use cases need from the outside world, as protocols; adapters/ implements them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from isp_common.pagination import Page, PageRequest
from isp_common.transaction import Transaction

from isp_tickets.domain.customers import KnownCustomer
from isp_tickets.domain.read_models import TicketFilter, TicketView
from isp_tickets.domain.sla import SlaPolicy
from isp_tickets.domain.ticket import Activity, Ticket


class TicketRepository(Protocol):
    async def add(self, ticket: Ticket) -> None: ...

    async def save(self, ticket: Ticket) -> None: ...

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket | None:
        """`for_update` locks it until commit, so concurrent changes queue up."""
        ...

    async def view(self, ticket_id: UUID, now: datetime) -> TicketView | None: ...

    async def view_by_number(self, ticket_number: str, now: datetime) -> TicketView | None: ...

    async def page(
        self, where: TicketFilter, request: PageRequest, now: datetime
    ) -> Page[TicketView]: ...

    async def add_activity(self, activity: Activity) -> None: ...

    async def activities(self, ticket_id: UUID) -> list[Activity]:
        """Oldest first."""
        ...

    async def unclosed_of_customer(self, customer_id: UUID) -> list[Ticket]:
        """The customer's tickets that are not closed, locked until commit."""
        ...


class SlaPolicies(Protocol):
    async def get(self) -> SlaPolicy:
        """The tenant's policy, or the defaults while it has set none."""
        ...

    async def put(self, policy: SlaPolicy, *, by: str, now: datetime) -> None: ...


class CustomerReplica(Protocol):
    async def get(self, customer_id: UUID) -> KnownCustomer | None: ...

    async def upsert(self, customer: KnownCustomer) -> bool:
        """False when the replica already holds this version or a newer one."""
        ...

    async def hold_for_new_ticket(self, customer_id: UUID) -> None:
        """Until commit, keeps the customer from being marked deleted (see `hold_for_deletion`)."""
        ...

    async def hold_for_deletion(self, customer_id: UUID) -> None:
        """Waits for tickets being opened for the customer to commit, and holds off new ones
        until commit: then closing the customer's tickets misses none."""
        ...


class UnitOfWork(Transaction, Protocol):
    @property
    def tickets(self) -> TicketRepository: ...

    @property
    def sla_policies(self) -> SlaPolicies: ...

    @property
    def customers(self) -> CustomerReplica: ...

    async def next_number(self, counter: str) -> int: ...
