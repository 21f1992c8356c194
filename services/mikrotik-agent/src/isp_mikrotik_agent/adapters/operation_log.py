"""The operation log: every change sent to a router, with its outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.pagination import PageRequest

from isp_mikrotik_agent.adapters.tables import operations


class SqlOperationLog:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self.connection = connection
        self.tenant_id = tenant_id

    async def append(
        self, router_id: UUID, entries: Sequence[dict[str, Any]], now: datetime
    ) -> None:
        if not entries:
            return
        await self.connection.execute(
            insert(operations),
            [
                {"tenant_id": self.tenant_id, "router_id": router_id, "at": now, **e}
                for e in entries
            ],
        )

    async def page(
        self, router_id: UUID, customer_id: UUID | None, request: PageRequest
    ) -> tuple[list[dict[str, Any]], int]:
        conditions = [operations.c.tenant_id == self.tenant_id, operations.c.router_id == router_id]
        if customer_id is not None:
            conditions.append(operations.c.customer_id == customer_id)
        total = await self.connection.scalar(select(func.count()).where(*conditions))
        rows = await self.connection.execute(
            select(operations)
            .where(*conditions)
            .order_by(operations.c.id.desc())
            .offset(request.offset)
            .limit(request.limit)
        )
        return [dict(row._mapping) for row in rows], int(total or 0)
