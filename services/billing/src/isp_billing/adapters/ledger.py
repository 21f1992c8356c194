"""All SQL about invoices, payments and allocations, and the accounts' derived state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, select, text, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common import context
from isp_common.db import outbox_channel
from isp_common.pagination import Page, PageRequest

from isp_billing.adapters import ledger_sql
from isp_billing.adapters.tables import SCHEMA, allocations, invoices, payments
from isp_billing.domain.cycles import MAX_PERIODS_PER_RUN
from isp_billing.domain.enums import (
    InvoiceKind,
    InvoiceStatus,
    PaymentFor,
    PaymentMethod,
    PaymentStatus,
    RevenueGrouping,
)
from isp_billing.domain.ledger import Allocation, Invoice, Payment


@dataclass(frozen=True)
class IssueResult:
    issued: int
    customers: list[UUID]
    with_credit: list[UUID]


@dataclass(frozen=True)
class InvoiceFilter:
    customer_id: UUID | None = None
    status: InvoiceStatus | None = None
    period: str | None = None  # YYYY-MM: the month the period starts in


@dataclass(frozen=True)
class PaymentFilter:
    customer_id: UUID | None = None
    status: PaymentStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    payment_method: PaymentMethod | None = None


@dataclass(frozen=True)
class RevenueGroup:
    key: str
    amount: Decimal
    count: int


class SqlLedger:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    # -- set-based ------------------------------------------------------------------------------

    async def issue_due_invoices(
        self,
        as_of: date,
        due_days: int,
        only: list[UUID] | None = None,
        max_periods: int = MAX_PERIODS_PER_RUN,
        *,
        opening: bool = False,
    ) -> IssueResult:
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
        return IssueResult(
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

    # -- invoices -------------------------------------------------------------------------------

    async def add_invoice(self, invoice: Invoice, source_key: str) -> bool:
        """False when an invoice of that source already exists (a redelivered event)."""
        from sqlalchemy.dialects.postgresql import insert

        values = {
            "id": invoice.id,
            "tenant_id": self._tenant_id,
            "invoice_number": invoice.invoice_number,
            "customer_id": invoice.customer_id,
            "kind": invoice.kind.value,
            "source_key": source_key,
            "period_start": invoice.period_start,
            "period_end": invoice.period_end,
            "issue_date": invoice.issue_date,
            "due_date": invoice.due_date,
            "total": invoice.total,
            "amount_paid": invoice.amount_paid,
            "status": invoice.status.value,
            "lines": invoice.lines,
            "created_at": invoice.created_at,
            "updated_at": invoice.updated_at,
        }
        result = await self._connection.execute(
            insert(invoices).values(values).on_conflict_do_nothing().returning(invoices.c.id)
        )
        return result.first() is not None

    async def source_exists(self, customer_id: UUID, source_key: str) -> bool:
        query = select(invoices.c.id).where(
            invoices.c.customer_id == customer_id, invoices.c.source_key == source_key
        )
        return (await self._connection.execute(query)).first() is not None

    async def subscription_covering(self, customer_id: UUID, day: date) -> Invoice | None:
        query = select(invoices).where(
            invoices.c.customer_id == customer_id,
            invoices.c.kind == InvoiceKind.SUBSCRIPTION.value,
            invoices.c.status != InvoiceStatus.VOID.value,
            invoices.c.period_start <= day,
            invoices.c.period_end >= day,
        )
        row = (await self._connection.execute(query)).mappings().first()
        return _invoice(row) if row else None

    async def void_open_invoices(self, customer_id: UUID, reason: str) -> int:
        now = datetime.now(UTC)
        result = await self._connection.execute(
            update(invoices)
            .where(
                invoices.c.customer_id == customer_id,
                invoices.c.status == InvoiceStatus.OPEN.value,
            )
            .values(
                status=InvoiceStatus.VOID.value, void_reason=reason, voided_at=now, updated_at=now
            )
            .returning(invoices.c.id)
        )
        return len(result.all())

    async def invoice(self, invoice_id: UUID) -> Invoice | None:
        row = (
            (await self._connection.execute(select(invoices).where(invoices.c.id == invoice_id)))
            .mappings()
            .first()
        )
        return _invoice(row) if row else None

    async def invoice_page(self, where: InvoiceFilter, request: PageRequest) -> Page[Invoice]:
        conditions: list[ColumnElement[bool]] = [true()]
        if where.customer_id is not None:
            conditions.append(invoices.c.customer_id == where.customer_id)
        if where.status is not None:
            conditions.append(invoices.c.status == where.status.value)
        if where.period is not None:
            conditions.append(func.to_char(invoices.c.period_start, "YYYY-MM") == where.period)
        condition = and_(*conditions)
        total = await self._connection.scalar(
            select(func.count()).select_from(invoices).where(condition)
        )
        rows = (
            await self._connection.execute(
                select(invoices)
                .where(condition)
                .order_by(invoices.c.issue_date.desc(), invoices.c.created_at.desc(), invoices.c.id)
                .limit(request.limit)
                .offset(request.offset)
            )
        ).mappings()
        return Page([_invoice(r) for r in rows], int(total or 0), request)

    # -- payments -------------------------------------------------------------------------------

    async def add_payment(self, payment: Payment) -> None:
        values = {
            column.name: getattr(payment, column.name)
            for column in payments.columns
            if column.name != "tenant_id"
        }
        values.update(
            tenant_id=self._tenant_id,
            payment_method=payment.payment_method.value,
            payment_for=payment.payment_for.value,
            status=payment.status.value,
        )
        await self._connection.execute(payments.insert().values(values))

    async def payment(self, payment_id: UUID, *, for_update: bool = False) -> Payment | None:
        query = select(payments).where(payments.c.id == payment_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        if row is None:
            return None
        return (await self._with_allocations([row]))[0]

    async def void_payment(self, payment_id: UUID, reason: str, by: str) -> None:
        await self._connection.execute(
            update(payments)
            .where(payments.c.id == payment_id)
            .values(
                status=PaymentStatus.VOID.value,
                void_reason=reason,
                voided_at=datetime.now(UTC),
                voided_by=by,
            )
        )

    async def payment_page(self, where: PaymentFilter, request: PageRequest) -> Page[Payment]:
        conditions: list[ColumnElement[bool]] = [true()]
        if where.customer_id is not None:
            conditions.append(payments.c.customer_id == where.customer_id)
        if where.status is not None:
            conditions.append(payments.c.status == where.status.value)
        if where.date_from is not None:
            conditions.append(payments.c.payment_date >= where.date_from)
        if where.date_to is not None:
            conditions.append(payments.c.payment_date <= where.date_to)
        if where.payment_method is not None:
            conditions.append(payments.c.payment_method == where.payment_method.value)
        condition = and_(*conditions)
        total = await self._connection.scalar(
            select(func.count()).select_from(payments).where(condition)
        )
        rows = (
            (
                await self._connection.execute(
                    select(payments)
                    .where(condition)
                    .order_by(
                        payments.c.payment_date.desc(), payments.c.created_at.desc(), payments.c.id
                    )
                    .limit(request.limit)
                    .offset(request.offset)
                )
            )
            .mappings()
            .all()
        )
        return Page(await self._with_allocations(list(rows)), int(total or 0), request)

    async def revenue(
        self, date_from: date, date_to: date, group_by: RevenueGrouping
    ) -> list[RevenueGroup]:
        key: Any = {
            RevenueGrouping.MONTH: func.to_char(payments.c.payment_date, "YYYY-MM"),
            RevenueGrouping.PAYMENT_METHOD: payments.c.payment_method,
            RevenueGrouping.PAYMENT_FOR: payments.c.payment_for,
        }[group_by].label("key")
        query = (
            select(key, func.sum(payments.c.amount).label("amount"), func.count().label("count"))
            .where(
                payments.c.status == PaymentStatus.COMPLETED.value,
                payments.c.payment_date >= date_from,
                payments.c.payment_date <= date_to,
            )
            .group_by(key)
            .order_by(key)
        )
        rows = await self._connection.execute(query)
        return [RevenueGroup(r.key, r.amount, int(r[2])) for r in rows]

    async def _with_allocations(self, rows: list[Any]) -> list[Payment]:
        ids = [r["id"] for r in rows]
        by_payment: dict[UUID, list[Allocation]] = {i: [] for i in ids}
        if ids:
            query = (
                select(
                    allocations.c.payment_id,
                    allocations.c.invoice_id,
                    invoices.c.invoice_number,
                    allocations.c.amount,
                )
                .join(invoices, invoices.c.id == allocations.c.invoice_id)
                .where(allocations.c.payment_id.in_(ids), allocations.c.reversed_at.is_(None))
                .order_by(invoices.c.issue_date, invoices.c.invoice_number)
            )
            for r in await self._connection.execute(query):
                by_payment[r.payment_id].append(
                    Allocation(r.invoice_id, r.invoice_number, r.amount)
                )
        return [_payment(r, by_payment[r["id"]]) for r in rows]


def _invoice(row: Any) -> Invoice:
    return Invoice(
        id=row["id"],
        invoice_number=row["invoice_number"],
        customer_id=row["customer_id"],
        kind=InvoiceKind(row["kind"]),
        status=InvoiceStatus(row["status"]),
        period_start=row["period_start"],
        period_end=row["period_end"],
        issue_date=row["issue_date"],
        due_date=row["due_date"],
        total=row["total"],
        amount_paid=row["amount_paid"],
        lines=list(row["lines"]),
        void_reason=row["void_reason"],
        voided_at=row["voided_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _payment(row: Any, allocated: list[Allocation]) -> Payment:
    return Payment(
        id=row["id"],
        receipt_number=row["receipt_number"],
        customer_id=row["customer_id"],
        payment_date=row["payment_date"],
        amount=row["amount"],
        payment_method=PaymentMethod(row["payment_method"]),
        payment_for=PaymentFor(row["payment_for"]),
        period_month=row["period_month"],
        period_year=row["period_year"],
        reference_number=row["reference_number"],
        notes=row["notes"],
        processed_by=row["processed_by"],
        status=PaymentStatus(row["status"]),
        void_reason=row["void_reason"],
        voided_at=row["voided_at"],
        voided_by=row["voided_by"],
        created_at=row["created_at"],
        allocations=allocated,
    )
