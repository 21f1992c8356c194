"""All SQL about the fiber tree: OLTs, ODCs, ODPs, with what hangs on each."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Table, and_, delete, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.pagination import Page, PageRequest

from isp_network.adapters.tables import customer_placements, odcs, odps, olts
from isp_network.domain.fiber import Occupied, Odc, Odp, Olt
from isp_network.domain.placement import RELEASED_STATUSES

N = TypeVar("N", Olt, Odc, Odp)

_LIVE_PLACEMENT = and_(
    customer_placements.c.is_deleted.is_(False),
    customer_placements.c.status.not_in(RELEASED_STATUSES),
)


class _FiberRepository(Generic[N]):
    table: Table
    entity: type[N]
    parent_column: str | None = None
    # Children that keep a node from being deleted, and that an ODC's `used` counts.
    children: tuple[Table, str] | None = None
    placement_column: str

    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id
        self._fields = tuple(f.name for f in fields(self.entity))
        self._columns = [self.table.c[name] for name in self._fields]

    async def add(self, node: N) -> None:
        values = {**self._values(node), "tenant_id": self._tenant_id}
        await self._connection.execute(self.table.insert().values(values))

    async def save(self, node: N) -> None:
        statement = update(self.table).where(self.table.c.id == node.id)
        await self._connection.execute(statement.values(self._values(node)))

    async def delete(self, node_id: UUID) -> None:
        await self._connection.execute(delete(self.table).where(self.table.c.id == node_id))

    async def get(self, node_id: UUID, *, for_update: bool = False) -> N | None:
        query = select(*self._columns).where(self.table.c.id == node_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return self._entity(row) if row else None

    async def occupied(self, node_id: UUID) -> Occupied | None:
        query = select(*self._columns, *self._derived()).where(self.table.c.id == node_id)
        row = (await self._connection.execute(query)).mappings().first()
        return self._occupied(row) if row else None

    async def page(
        self, parent_id: UUID | None, is_active: bool | None, request: PageRequest
    ) -> Page[Occupied]:
        conditions: list[ColumnElement[bool]] = [true()]
        if parent_id is not None and self.parent_column is not None:
            conditions.append(self.table.c[self.parent_column] == parent_id)
        if is_active is not None:
            conditions.append(self.table.c.is_active.is_(is_active))
        where = and_(*conditions)
        total = await self._connection.scalar(
            select(func.count()).select_from(self.table).where(where)
        )
        query = (
            select(*self._columns, *self._derived())
            .where(where)
            .order_by(self.table.c.created_at, self.table.c.id)
            .limit(request.limit)
            .offset(request.offset)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        items = [self._occupied(row) for row in rows]
        return Page(items, int(total or 0), request)

    async def under(self, parent_id: UUID) -> list[N]:
        """Every node under `parent_id` (a parent holds at most its capacity of them)."""
        assert self.parent_column is not None
        query = (
            select(*self._columns)
            .where(self.table.c[self.parent_column] == parent_id)
            .order_by(self.table.c.created_at, self.table.c.id)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return [self._entity(row) for row in rows]

    async def count_children(self, node_id: UUID) -> int:
        if self.children is None:
            return 0
        table, column = self.children
        query = select(func.count()).select_from(table).where(table.c[column] == node_id)
        return int(await self._connection.scalar(query) or 0)

    async def count_customers(self, node_id: UUID) -> int:
        column = customer_placements.c[self.placement_column]
        query = select(func.count()).where(column == node_id, _LIVE_PLACEMENT)
        return int(await self._connection.scalar(query) or 0)

    def _derived(self) -> list[Any]:
        columns = [self._used().label("used")]
        if self.table is odps:
            olt = select(odcs.c.olt_id).where(odcs.c.id == odps.c.odc_id).scalar_subquery()
            columns.append(olt.label("parent_olt_id"))
        return columns

    def _occupied(self, row: Any) -> Occupied:
        olt_id = row["parent_olt_id"] if self.table is odps else None
        return Occupied(self._entity(row), int(row["used"]), olt_id)

    def _used(self) -> Any:
        """What `used` counts: for an ODP its customers, for an ODC its ODPs."""
        if self.children is not None and self.table is odcs:
            table, column = self.children
            return (
                select(func.count())
                .select_from(table)
                .where(table.c[column] == self.table.c.id)
                .scalar_subquery()
            )
        placed_on = customer_placements.c[self.placement_column]
        return (
            select(func.count())
            .select_from(customer_placements)
            .where(placed_on == self.table.c.id, _LIVE_PLACEMENT)
            .scalar_subquery()
        )

    def _values(self, node: N) -> dict[str, Any]:
        return {name: getattr(node, name) for name in self._fields}

    def _entity(self, row: Any) -> N:
        return self.entity(**{name: row[name] for name in self._fields})


class SqlOltRepository(_FiberRepository[Olt]):
    table = olts
    entity = Olt
    children = (odcs, "olt_id")
    placement_column = "olt_id"


class SqlOdcRepository(_FiberRepository[Odc]):
    table = odcs
    entity = Odc
    parent_column = "olt_id"
    children = (odps, "odc_id")
    placement_column = "odc_id"


class SqlOdpRepository(_FiberRepository[Odp]):
    table = odps
    entity = Odp
    parent_column = "odc_id"
    placement_column = "odp_id"

    async def olt_of(self, odc_id: UUID) -> UUID | None:
        """The OLT above an ODC: an ODP's snapshot names both."""
        return await self._connection.scalar(select(odcs.c.olt_id).where(odcs.c.id == odc_id))
