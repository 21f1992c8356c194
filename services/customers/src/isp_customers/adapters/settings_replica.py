"""The tenant's settings as billing last published them (version-guarded like every replica)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.contracts.billing import BillingSettingsSnapshot

from isp_customers.adapters.tables import tenant_settings


class SqlTenantSettingsReplica:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def timezone(self) -> str | None:
        """None until billing has published the tenant's settings."""
        value = await self._connection.scalar(select(tenant_settings.c.timezone))
        return str(value) if value is not None else None

    async def upsert(self, snapshot: BillingSettingsSnapshot) -> bool:
        statement = insert(tenant_settings).values(
            tenant_id=self._tenant_id, timezone=snapshot.timezone, version=snapshot.version
        )
        applied = await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=[tenant_settings.c.tenant_id],
                set_={
                    "timezone": statement.excluded.timezone,
                    "version": statement.excluded.version,
                },
                where=tenant_settings.c.version < statement.excluded.version,
            ).returning(tenant_settings.c.tenant_id)
        )
        return applied.first() is not None
