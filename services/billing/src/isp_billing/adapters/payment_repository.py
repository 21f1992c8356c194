"""All SQL about payments, their live allocations and the revenue they add up to."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.pagination import Page, PageRequest

from isp_billing.adapters.tables import allocations, invoices, payments
from isp_billing.domain.enums import PaymentFor, PaymentMethod, PaymentStatus, RevenueGrouping
from isp_billing.domain.ledger import Allocation, Payment, RevenueGroup
from isp_billing.domain.listing import PaymentFilter


class SqlPaymentRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, payment: Payment) -> None:
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

    async def get(self, payment_id: UUID, *, for_update: bool = False) -> Payment | None:
        query = select(payments).where(payments.c.id == payment_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        if row is None:
            return None
        return (await self._with_allocations([row]))[0]

    async def void(self, payment_id: UUID, reason: str, by: str) -> None:
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

    async def page(self, where: PaymentFilter, request: PageRequest) -> Page[Payment]:
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
