"""The customer replica and the tenant's SLA policy."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import literal, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_tickets.adapters.tables import customers, sla_policies
from isp_tickets.domain.customers import KnownCustomer
from isp_tickets.domain.sla import DEFAULT_SLA, SlaPolicy

_HOURS = ("low_hours", "medium_hours", "high_hours", "urgent_hours")
_SLA = select(*(sla_policies.c[name] for name in _HOURS))
# One advisory lock per (tenant, customer): opening a ticket holds it shared, marking the
# customer deleted holds it exclusively. Transaction-scoped, so commit or rollback frees it.
_HOLD_SHARED = text("SELECT pg_advisory_xact_lock_shared(hashtextextended(:key, 0))")
_HOLD_EXCLUSIVE = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


class SqlCustomerReplica:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def get(self, customer_id: UUID) -> KnownCustomer | None:
        query = select(
            customers.c.id,
            customers.c.customer_code,
            customers.c.full_name,
            customers.c.is_deleted,
            customers.c.version,
        ).where(customers.c.id == customer_id)
        row = (await self._connection.execute(query)).mappings().first()
        return KnownCustomer(**row) if row else None

    async def upsert(self, customer: KnownCustomer) -> bool:
        values = {
            "tenant_id": self._tenant_id,
            "id": customer.id,
            "customer_code": customer.customer_code,
            "full_name": customer.full_name,
            "is_deleted": customer.is_deleted,
            "version": customer.version,
        }
        new = insert(customers).values(values)
        statement = new.on_conflict_do_update(
            index_elements=[customers.c.tenant_id, customers.c.id],
            set_={name: new.excluded[name] for name in values if name not in ("tenant_id", "id")},
            where=customers.c.version < new.excluded.version,
        ).returning(literal(True))
        return (await self._connection.execute(statement)).first() is not None

    async def hold_for_new_ticket(self, customer_id: UUID) -> None:
        await self._connection.execute(_HOLD_SHARED, {"key": self._lock_key(customer_id)})

    async def hold_for_deletion(self, customer_id: UUID) -> None:
        await self._connection.execute(_HOLD_EXCLUSIVE, {"key": self._lock_key(customer_id)})

    def _lock_key(self, customer_id: UUID) -> str:
        return f"tickets.customer:{self._tenant_id}:{customer_id}"


class SqlSlaPolicies:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def get(self) -> SlaPolicy:
        row = (await self._connection.execute(_SLA)).mappings().first()
        return SlaPolicy(**row) if row else DEFAULT_SLA

    async def put(self, policy: SlaPolicy, *, by: str, now: datetime) -> None:
        values = {name: getattr(policy, name) for name in _HOURS}
        values |= {"updated_by": by, "updated_at": now}
        new = insert(sla_policies).values(tenant_id=self._tenant_id, **values)
        await self._connection.execute(
            new.on_conflict_do_update(index_elements=[sla_policies.c.tenant_id], set_=values)
        )
