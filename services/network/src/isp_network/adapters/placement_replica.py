"""The customer placement replica: one row per customer, the newest version wins."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_network.adapters.tables import customer_placements
from isp_network.domain.placement import Placement


class SqlPlacementReplica:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def upsert(self, placement: Placement) -> bool:
        """False when the replica already holds this version of the customer or a newer one."""
        values = {
            "tenant_id": self._tenant_id,
            "customer_id": placement.customer_id,
            "odp_id": placement.odp_id,
            "odc_id": placement.odc_id,
            "olt_id": placement.olt_id,
            "status": placement.status,
            "is_deleted": placement.is_deleted,
            "version": placement.version,
        }
        new = insert(customer_placements).values(values)
        statement = new.on_conflict_do_update(
            index_elements=[customer_placements.c.tenant_id, customer_placements.c.customer_id],
            set_={k: new.excluded[k] for k in values if k not in ("tenant_id", "customer_id")},
            where=customer_placements.c.version < new.excluded.version,
        ).returning(customer_placements.c.version)
        return (await self._connection.execute(statement)).first() is not None
