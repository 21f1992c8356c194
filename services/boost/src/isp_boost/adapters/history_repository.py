"""Boost history rows: one per activated request, active until the boost ends."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_boost.adapters.request_repository import already_boosted
from isp_boost.adapters.tables import boost_history
from isp_boost.domain.history import BoostHistory
from isp_boost.domain.status import EndReason

_FIELDS = tuple(f.name for f in fields(BoostHistory))
_COLUMNS = [boost_history.c[name] for name in _FIELDS]
_ACTIVE_OF = select(*_COLUMNS).where(
    boost_history.c.customer_id == bindparam("customer_id"), boost_history.c.is_active
)


class SqlBoostHistoryRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, history: BoostHistory) -> None:
        values = {name: getattr(history, name) for name in _FIELDS}
        values["tenant_id"] = self._tenant_id
        values["end_reason"] = history.end_reason.value if history.end_reason else None
        try:
            await self._connection.execute(boost_history.insert().values(values))
        except IntegrityError as exc:
            constraint = getattr(exc.orig.__cause__, "constraint_name", None) if exc.orig else None
            if constraint == "uq_boost_history_one_active":
                raise already_boosted() from exc
            raise

    async def active_for(self, customer_id: UUID) -> BoostHistory | None:
        row = (
            (await self._connection.execute(_ACTIVE_OF, {"customer_id": customer_id}))
            .mappings()
            .first()
        )
        return _to_history(row) if row else None

    async def end(self, request_id: UUID, ended_at: datetime, reason: EndReason) -> None:
        await self._connection.execute(
            update(boost_history)
            .where(boost_history.c.request_id == request_id, boost_history.c.is_active)
            .values(is_active=False, ended_at=ended_at, end_reason=reason.value)
        )

    async def of_customer(self, customer_id: UUID, limit: int) -> list[BoostHistory]:
        query = (
            select(*_COLUMNS)
            .where(boost_history.c.customer_id == customer_id)
            .order_by(boost_history.c.started_at.desc(), boost_history.c.id.desc())
            .limit(limit)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return [_to_history(row) for row in rows]


def _to_history(row: Any) -> BoostHistory:
    values = {name: row[name] for name in _FIELDS}
    values["end_reason"] = EndReason(row["end_reason"]) if row["end_reason"] else None
    return BoostHistory(**values)
