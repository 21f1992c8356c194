"""The replicas of customers and plans. Every upsert is version-guarded: an event older than what
the replica holds changes nothing, whatever order the bus delivers them in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.customers import CustomerSnapshot

from isp_boost.adapters.tables import customers, service_plans
from isp_boost.domain.references import KnownCustomer, KnownPlan, Speeds


class _Replica:
    table: Table

    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def _upsert_if_newer(self, values: dict[str, Any]) -> bool:
        statement = insert(self.table).values(tenant_id=self._tenant_id, **values)
        applied = await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=[self.table.c.tenant_id, self.table.c.id],
                set_={name: statement.excluded[name] for name in values if name != "id"},
                where=self.table.c.version < statement.excluded.version,
            ).returning(self.table.c.id)
        )
        return applied.first() is not None

    async def _row(self, id_: UUID) -> Any:
        query = select(self.table).where(self.table.c.id == id_)
        return (await self._connection.execute(query)).mappings().first()


class SqlCustomerReplica(_Replica):
    table = customers

    async def get(self, customer_id: UUID) -> KnownCustomer | None:
        row = await self._row(customer_id)
        if row is None:
            return None
        return KnownCustomer(
            id=row["id"],
            status=row["status"],
            service_plan_id=row["service_plan_id"],
            is_deleted=row["is_deleted"],
        )

    async def upsert(self, snapshot: CustomerSnapshot) -> bool:
        return await self._upsert_if_newer(
            {
                "id": snapshot.id,
                "status": snapshot.status,
                "service_plan_id": snapshot.service_plan_id,
                "is_deleted": snapshot.is_deleted,
                "version": snapshot.version,
            }
        )


class SqlServicePlanReplica(_Replica):
    table = service_plans

    async def get(self, plan_id: UUID) -> KnownPlan | None:
        row = await self._row(plan_id)
        if row is None:
            return None
        return KnownPlan(
            id=row["id"],
            speeds=Speeds(row["bandwidth_download"], row["bandwidth_upload"]),
            is_deleted=row["is_deleted"],
        )

    async def upsert(self, snapshot: ServicePlanSnapshot) -> bool:
        return await self._upsert_if_newer(
            {
                "id": snapshot.id,
                "bandwidth_download": snapshot.bandwidth_download,
                "bandwidth_upload": snapshot.bandwidth_upload,
                "is_active": snapshot.is_active,
                "is_deleted": snapshot.is_deleted,
                "version": snapshot.version,
            }
        )
