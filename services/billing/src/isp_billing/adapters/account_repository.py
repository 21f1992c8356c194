"""The account per customer, kept from customer events (the replica billing bills from)."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.contracts.customers import CustomerSnapshot

from isp_billing.adapters.tables import accounts
from isp_billing.domain.ledger import Account

_FIELDS = tuple(f.name for f in fields(Account))


class SqlAccountRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def upsert_customer(self, customer: CustomerSnapshot, default_cycle_months: int) -> None:
        """The customer's own fields; billing's fields keep their values on an update."""
        now = datetime.now(UTC)
        own = {
            "customer_code": customer.customer_code,
            "full_name": customer.full_name,
            "status": customer.status,
            "service_plan_id": customer.service_plan_id,
            "customer_version": customer.version,
            "is_deleted": customer.is_deleted,
            "updated_at": now,
        }
        statement = insert(accounts).values(
            tenant_id=self._tenant_id,
            customer_id=customer.id,
            cycle_months=default_cycle_months,
            periods_billed=0,
            outstanding_balance=0,
            credit=0,
            is_overdue=False,
            version=0,
            created_at=now,
            **own,
        )
        await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=[accounts.c.tenant_id, accounts.c.customer_id],
                set_={name: statement.excluded[name] for name in own},
            )
        )

    async def get(self, customer_id: UUID, *, for_update: bool = False) -> Account | None:
        query = select(*(accounts.c[n] for n in _FIELDS)).where(
            accounts.c.customer_id == customer_id
        )
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return Account(**{n: row[n] for n in _FIELDS}) if row else None

    async def start_billing(self, customer_id: UUID, anchor: date, cycle_months: int) -> None:
        """Period 0 starts on the anchor (the activation day)."""
        await self._set(
            customer_id,
            anchor_date=anchor,
            cycle_months=cycle_months,
            periods_billed=0,
            next_period_start=anchor,
        )

    async def reanchor(self, customer_id: UUID, cycle_months: int) -> None:
        """A new cycle starts where the billed periods end: nothing is billed twice or skipped."""
        await self._connection.execute(
            update(accounts)
            .where(accounts.c.customer_id == customer_id, accounts.c.next_period_start.is_not(None))
            .values(
                anchor_date=accounts.c.next_period_start,
                periods_billed=0,
                cycle_months=cycle_months,
                updated_at=datetime.now(UTC),
            )
        )

    async def reanchor_plan(self, plan_id: UUID, cycle_months: int) -> None:
        """The plan's cycle changed: every account on it continues from its next period."""
        await self._connection.execute(
            update(accounts)
            .where(accounts.c.service_plan_id == plan_id, accounts.c.cycle_months != cycle_months)
            .values(
                anchor_date=accounts.c.next_period_start,
                periods_billed=0,
                cycle_months=cycle_months,
                updated_at=datetime.now(UTC),
            )
        )

    async def _set(self, customer_id: UUID, **values: Any) -> None:
        await self._connection.execute(
            update(accounts)
            .where(accounts.c.customer_id == customer_id)
            .values(updated_at=datetime.now(UTC), **values)
        )
