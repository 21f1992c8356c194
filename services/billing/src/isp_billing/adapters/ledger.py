"""The set-based side of the ledger (adapters.ledger_sql): the billing run, allocation, and the
accounts' derived state with their events."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common import context
from isp_common.db import outbox_channel

from isp_billing.adapters import ledger_sql
from isp_billing.adapters.tables import SCHEMA
from isp_billing.domain.cycles import MAX_PERIODS_PER_RUN
from isp_billing.domain.ledger import IssuedInvoices


class SqlLedger:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def issue_due_invoices(
        self,
        as_of: date,
        due_days: int,
        only: list[UUID] | None = None,
        max_periods: int = MAX_PERIODS_PER_RUN,
        *,
        opening: bool = False,
    ) -> IssuedInvoices:
        base = await self._connection.scalar(
            ledger_sql.LOCK_INVOICE_COUNTER, {"tenant": self._tenant_id}
        )
        rows = (
            await self._connection.execute(
                ledger_sql.ISSUE_DUE_INVOICES,
                {
                    "tenant": self._tenant_id,
                    "as_of": as_of,
                    "base": int(base or 0),
                    "due_days": due_days,
                    "max_periods": max_periods,
                    "only": only,
                    "opening": opening,
                },
            )
        ).all()
        return IssuedInvoices(
            issued=int(rows[0].issued) if rows else 0,
            customers=[r.customer_id for r in rows],
            with_credit=[r.customer_id for r in rows if r.has_credit],
        )

    async def reallocate(self, customer_ids: list[UUID]) -> None:
        if customer_ids:
            await self._connection.execute(
                ledger_sql.REALLOCATE, {"ids": customer_ids, "tenant": self._tenant_id}
            )

    async def refresh_accounts(
        self, customer_ids: list[UUID] | None, *, overdue_as_of: date | None
    ) -> dict[str, int]:
        """Recomputes the accounts (all when `customer_ids` is None) and writes their events to
        the outbox; answers the number of events per type."""
        if customer_ids is not None and not customer_ids:
            return {}
        ctx = context.get()
        actor = {"sub": ctx.actor.sub, "roles": list(ctx.actor.roles), "ip": ctx.actor.ip}
        rows = await self._connection.execute(
            ledger_sql.REFRESH_ACCOUNTS,
            {
                "ids": customer_ids,
                "tenant": self._tenant_id,
                "today": overdue_as_of or date.min,
                "check": overdue_as_of is not None,
                "correlation_id": ctx.correlation_id,
                "causation_id": ctx.causation_id,
                "actor": actor,
            },
        )
        counts = {row.type: int(row.events) for row in rows}
        if counts:  # delivered at commit: wakes the relay for the events written above
            await self._connection.execute(text(f"NOTIFY {outbox_channel(SCHEMA)}"))
        return counts
