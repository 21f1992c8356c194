"""The replicas of other services' aggregates. Every upsert is version-guarded: an event older
than what the replica holds changes nothing, whatever order the bus delivers them in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.contracts.billing import AccountSnapshot, ServicePlanSnapshot
from isp_common.contracts.mikrotik import ProvisioningResult
from isp_common.contracts.network import OdpSnapshot

from isp_customers.adapters.tables import accounts, odps, provisioning, service_plans
from isp_customers.domain.references import Odp, ServicePlan


class _Replica:
    table: Table
    key: tuple[str, ...]

    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def _upsert_if(self, values: dict[str, Any], newer: str) -> bool:
        """Insert, or overwrite when the incoming `newer` column is greater than the held one."""
        statement = insert(self.table).values(tenant_id=self._tenant_id, **values)
        applied = await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=[self.table.c[k] for k in ("tenant_id", *self.key)],
                set_={name: statement.excluded[name] for name in values if name not in self.key},
                where=self.table.c[newer] < statement.excluded[newer],
            ).returning(self.table.c.tenant_id)
        )
        return applied.first() is not None

    def _columns_of(self, snapshot: BaseModel) -> dict[str, Any]:
        """The snapshot's fields the replica keeps (contracts may carry more)."""
        return snapshot.model_dump(include=set(self.table.c.keys()) - {"tenant_id"})

    async def _row(self, condition: ColumnElement[bool], *, for_update: bool) -> Any:
        query = select(self.table).where(condition)
        if for_update:
            query = query.with_for_update()
        return (await self._connection.execute(query)).mappings().first()


class SqlServicePlanReplica(_Replica):
    table = service_plans
    key = ("id",)

    async def get(self, plan_id: UUID) -> ServicePlan | None:
        row = await self._row(service_plans.c.id == plan_id, for_update=False)
        if row is None:
            return None
        return ServicePlan(
            id=row["id"],
            name=row["name"],
            monthly_price=row["monthly_price"],
            is_active=row["is_active"],
            is_deleted=row["is_deleted"],
        )

    async def upsert(self, snapshot: ServicePlanSnapshot) -> bool:
        return await self._upsert_if(self._columns_of(snapshot), "version")


class SqlOdpReplica(_Replica):
    table = odps
    key = ("id",)

    async def get(self, odp_id: UUID, *, for_update: bool = False) -> Odp | None:
        row = await self._row(odps.c.id == odp_id, for_update=for_update)
        if row is None:
            return None
        return Odp(
            id=row["id"],
            name=row["name"],
            capacity=row["capacity"],
            odc_id=row["odc_id"],
            olt_id=row["olt_id"],
            is_active=row["is_active"],
            is_deleted=row["is_deleted"],
        )

    async def upsert(self, snapshot: OdpSnapshot) -> bool:
        return await self._upsert_if(self._columns_of(snapshot), "version")


class SqlAccountReplica(_Replica):
    table = accounts
    key = ("customer_id",)

    async def upsert(self, snapshot: AccountSnapshot) -> bool:
        return await self._upsert_if(self._columns_of(snapshot), "version")


class SqlProvisioningReplica(_Replica):
    table = provisioning
    key = ("customer_id",)

    async def upsert(self, result: ProvisioningResult) -> bool:
        values = {
            "customer_id": result.customer_id,
            "status": result.status,
            "customer_version": result.customer_version,
            "router_id": result.router_id,
            "error": result.error,
            "reported_at": result.at,
        }
        return await self._upsert_if(values, "reported_at")
