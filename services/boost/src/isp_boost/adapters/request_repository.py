"""All SQL about boost requests: rows ↔ entities, pages, the customers' live requests."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, bindparam, func, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.errors import Conflict
from isp_common.pagination import Page, PageRequest

from isp_boost.adapters.tables import boost_requests
from isp_boost.domain.boost import BoostRequest
from isp_boost.domain.listing import BoostFilter
from isp_boost.domain.status import BoostStatus, EndReason

_FIELDS = tuple(f.name for f in fields(BoostRequest))
_COLUMNS = [boost_requests.c[name] for name in _FIELDS]
_BY_ID = select(*_COLUMNS).where(boost_requests.c.id == bindparam("request_id"))
_ONE_ACTIVE_INDEX = "uq_boost_requests_one_active"


def already_boosted() -> Conflict:
    return Conflict(
        "the customer already has an active boost",
        {"reason": "active_boost_exists"},
    )


class SqlBoostRequestRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, request: BoostRequest) -> None:
        values = {**_row_values(request), "tenant_id": self._tenant_id}
        await self._connection.execute(boost_requests.insert().values(values))

    async def save(self, request: BoostRequest) -> None:
        """The partial unique index decides a race of two activations for one customer: the
        loser gets the CONFLICT the use case's own check would have given."""
        statement = (
            update(boost_requests)
            .where(boost_requests.c.id == request.id)
            .values(_row_values(request))
        )
        try:
            await self._connection.execute(statement)
        except IntegrityError as exc:
            constraint = getattr(exc.orig.__cause__, "constraint_name", None) if exc.orig else None
            if constraint == _ONE_ACTIVE_INDEX:
                raise already_boosted() from exc
            raise

    async def get(self, request_id: UUID, *, for_update: bool = False) -> BoostRequest | None:
        query = _BY_ID.with_for_update() if for_update else _BY_ID
        row = (await self._connection.execute(query, {"request_id": request_id})).mappings()
        found = row.first()
        return _to_request(found) if found else None

    async def active_for(
        self, customer_id: UUID, *, for_update: bool = False
    ) -> BoostRequest | None:
        return await self._first(
            boost_requests.c.customer_id == customer_id,
            boost_requests.c.status == BoostStatus.ACTIVATED.value,
            for_update=for_update,
        )

    async def open_for(self, customer_id: UUID) -> list[BoostRequest]:
        """Pending, approved and activated requests of the customer, locked until commit."""
        query = (
            select(*_COLUMNS)
            .where(
                boost_requests.c.customer_id == customer_id,
                boost_requests.c.status.in_([s.value for s in BoostStatus if not s.is_final]),
            )
            .order_by(boost_requests.c.created_at, boost_requests.c.id)
            .with_for_update()
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return [_to_request(row) for row in rows]

    async def due(self, now: datetime, limit: int) -> list[BoostRequest]:
        """Activated boosts of this tenant whose time is up, locked; SKIP LOCKED leaves one that
        is being deactivated right now to that transaction."""
        query = (
            select(*_COLUMNS)
            .where(
                boost_requests.c.status == BoostStatus.ACTIVATED.value,
                boost_requests.c.expires_at <= now,
            )
            .order_by(boost_requests.c.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return [_to_request(row) for row in rows]

    async def page(self, where: BoostFilter, request: PageRequest) -> Page[BoostRequest]:
        condition = _matching(where)
        total = await self._connection.scalar(
            select(func.count()).select_from(boost_requests).where(condition)
        )
        query = (
            select(*_COLUMNS)
            .where(condition)
            .order_by(boost_requests.c.created_at.desc(), boost_requests.c.id.desc())
            .limit(request.limit)
            .offset(request.offset)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return Page([_to_request(row) for row in rows], int(total or 0), request)

    async def _first(
        self, *conditions: ColumnElement[bool], for_update: bool
    ) -> BoostRequest | None:
        query = select(*_COLUMNS).where(*conditions)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return _to_request(row) if row else None


def _matching(where: BoostFilter) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if where.customer_id is not None:
        conditions.append(boost_requests.c.customer_id == where.customer_id)
    if where.only_customer_id is not None:
        conditions.append(boost_requests.c.customer_id == where.only_customer_id)
    if where.status is not None:
        conditions.append(boost_requests.c.status == where.status.value)
    return and_(true(), *conditions)


def _row_values(request: BoostRequest) -> dict[str, Any]:
    values = {name: getattr(request, name) for name in _FIELDS}
    values["status"] = request.status.value
    values["end_reason"] = request.end_reason.value if request.end_reason else None
    return values


def _to_request(row: Any) -> BoostRequest:
    values = {name: row[name] for name in _FIELDS}
    values["status"] = BoostStatus(row["status"])
    values["end_reason"] = EndReason(row["end_reason"]) if row["end_reason"] else None
    return BoostRequest(**values)
