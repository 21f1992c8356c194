"""All SQL about single invoices: the ones use cases add one at a time, and the reads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.pagination import Page, PageRequest

from isp_billing.adapters.tables import invoices
from isp_billing.domain.enums import InvoiceKind, InvoiceStatus
from isp_billing.domain.ledger import Invoice
from isp_billing.domain.listing import InvoiceFilter


class SqlInvoiceRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, invoice: Invoice, source_key: str) -> bool:
        """False when an invoice of that source already exists (a redelivered event)."""
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

    async def void_open(self, customer_id: UUID, reason: str) -> int:
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

    async def get(self, invoice_id: UUID) -> Invoice | None:
        row = (
            (await self._connection.execute(select(invoices).where(invoices.c.id == invoice_id)))
            .mappings()
            .first()
        )
        return _invoice(row) if row else None

    async def page(self, where: InvoiceFilter, request: PageRequest) -> Page[Invoice]:
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
