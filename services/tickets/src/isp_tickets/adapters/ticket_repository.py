"""All SQL about tickets and their activities: rows ↔ entities, the read model, filters, pages."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.pagination import Page, PageRequest

from isp_tickets.adapters.tables import customers, ticket_activities, tickets
from isp_tickets.domain.read_models import TicketFilter, TicketView
from isp_tickets.domain.status import ActivityType, Category, Priority, TicketStatus
from isp_tickets.domain.ticket import Activity, Ticket

_TICKET_FIELDS = tuple(f.name for f in fields(Ticket))
_TICKET_COLUMNS = [tickets.c[name] for name in _TICKET_FIELDS]
_ACTIVITY_FIELDS = tuple(f.name for f in fields(Activity))
_NOW = bindparam("now", type_=tickets.c.created_at.type)
# The SLA clock stops when the ticket is resolved (or closed unresolved); see domain.sla.
_SLA_BREACHED = (
    func.coalesce(tickets.c.resolved_at, tickets.c.closed_at, _NOW) > tickets.c.sla_due_at
)
_VIEW_COLUMNS = [
    *_TICKET_COLUMNS,
    _SLA_BREACHED.label("sla_breached"),
    customers.c.customer_code,
    customers.c.full_name.label("customer_name"),
]
_WITH_CUSTOMER = tickets.outerjoin(
    customers,
    and_(customers.c.tenant_id == tickets.c.tenant_id, customers.c.id == tickets.c.customer_id),
)
# Built once: SQLAlchemy reuses the statement's cache key instead of deriving it per call.
_VIEW = select(*_VIEW_COLUMNS).select_from(_WITH_CUSTOMER)
_VIEW_BY_ID = _VIEW.where(tickets.c.id == bindparam("ticket_id"))
_VIEW_BY_NUMBER = _VIEW.where(tickets.c.ticket_number == bindparam("ticket_number"))
_ACTIVITIES = (
    select(*(ticket_activities.c[name] for name in _ACTIVITY_FIELDS))
    .where(ticket_activities.c.ticket_id == bindparam("ticket_id"))
    .order_by(ticket_activities.c.seq)
)


class SqlTicketRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, ticket: Ticket) -> None:
        values = {**_row_values(ticket), "tenant_id": self._tenant_id}
        await self._connection.execute(tickets.insert().values(values))

    async def save(self, ticket: Ticket) -> None:
        statement = update(tickets).where(tickets.c.id == ticket.id).values(_row_values(ticket))
        await self._connection.execute(statement)

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket | None:
        query = select(*_TICKET_COLUMNS).where(tickets.c.id == ticket_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return _to_ticket(row) if row else None

    async def view(self, ticket_id: UUID, now: datetime) -> TicketView | None:
        return await self._one_view(_VIEW_BY_ID, ticket_id=ticket_id, now=now)

    async def view_by_number(self, ticket_number: str, now: datetime) -> TicketView | None:
        return await self._one_view(_VIEW_BY_NUMBER, ticket_number=ticket_number, now=now)

    async def page(
        self, where: TicketFilter, request: PageRequest, now: datetime
    ) -> Page[TicketView]:
        condition = _matching(where)
        count = select(func.count()).select_from(tickets).where(condition)
        total = await self._connection.scalar(count, {"now": now})
        # Newest first; the id breaks ties so that walking the pages meets each ticket once.
        query = (
            _VIEW.where(condition)
            .order_by(tickets.c.created_at.desc(), tickets.c.id.desc())
            .limit(request.limit)
            .offset(request.offset)
        )
        rows = (await self._connection.execute(query, {"now": now})).mappings().all()
        return Page([_to_view(row) for row in rows], int(total or 0), request)

    async def add_activity(self, activity: Activity) -> None:
        values = {name: getattr(activity, name) for name in _ACTIVITY_FIELDS}
        values["activity_type"] = activity.activity_type.value
        values["from_status"] = activity.from_status.value if activity.from_status else None
        values["to_status"] = activity.to_status.value if activity.to_status else None
        values["tenant_id"] = self._tenant_id
        await self._connection.execute(ticket_activities.insert().values(values))

    async def activities(self, ticket_id: UUID) -> list[Activity]:
        rows = (await self._connection.execute(_ACTIVITIES, {"ticket_id": ticket_id})).mappings()
        return [_to_activity(row) for row in rows]

    async def unclosed_of_customer(self, customer_id: UUID) -> list[Ticket]:
        query = (
            select(*_TICKET_COLUMNS)
            .where(
                tickets.c.customer_id == customer_id,
                tickets.c.status != TicketStatus.CLOSED.value,
            )
            .order_by(tickets.c.created_at, tickets.c.id)
            .with_for_update()
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return [_to_ticket(row) for row in rows]

    async def _one_view(self, query: Any, **params: Any) -> TicketView | None:
        row = (await self._connection.execute(query, params)).mappings().first()
        return _to_view(row) if row else None


def _matching(where: TicketFilter) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if where.status is not None:
        conditions.append(tickets.c.status == where.status.value)
    if where.priority is not None:
        conditions.append(tickets.c.priority == where.priority.value)
    if where.category is not None:
        conditions.append(tickets.c.category == where.category.value)
    if where.assigned_to is not None:
        conditions.append(tickets.c.assigned_to == where.assigned_to)
    if where.customer_id is not None:
        conditions.append(tickets.c.customer_id == where.customer_id)
    if where.only_customer_id is not None:
        conditions.append(tickets.c.customer_id == where.only_customer_id)
    if where.sla_breached is not None:
        conditions.append(_SLA_BREACHED if where.sla_breached else ~_SLA_BREACHED)
    if where.search:
        pattern = _contains(where.search)
        conditions.append(
            or_(
                tickets.c.ticket_number.ilike(pattern, escape="\\"),
                tickets.c.title.ilike(pattern, escape="\\"),
                tickets.c.description.ilike(pattern, escape="\\"),
            )
        )
    return and_(true(), *conditions)


def _contains(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _row_values(ticket: Ticket) -> dict[str, Any]:
    values = {name: getattr(ticket, name) for name in _TICKET_FIELDS}
    for name in ("category", "priority", "status"):
        values[name] = values[name].value
    return values


def _to_ticket(row: Any) -> Ticket:
    values = {name: row[name] for name in _TICKET_FIELDS}
    values["category"] = Category(row["category"])
    values["priority"] = Priority(row["priority"])
    values["status"] = TicketStatus(row["status"])
    return Ticket(**values)


def _to_view(row: Any) -> TicketView:
    return TicketView(
        ticket=_to_ticket(row),
        sla_breached=bool(row["sla_breached"]),
        customer_code=row["customer_code"],
        customer_name=row["customer_name"],
    )


def _to_activity(row: Any) -> Activity:
    values = {name: row[name] for name in _ACTIVITY_FIELDS}
    values["activity_type"] = ActivityType(row["activity_type"])
    values["from_status"] = TicketStatus(row["from_status"]) if row["from_status"] else None
    values["to_status"] = TicketStatus(row["to_status"]) if row["to_status"] else None
    return Activity(**values)
