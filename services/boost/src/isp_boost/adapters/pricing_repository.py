from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_boost.adapters.tables import pricing
from isp_boost.domain.pricing import BoostPricing

_CURRENT = select(pricing.c.price_per_hour, pricing.c.updated_at, pricing.c.updated_by)


class SqlPricingRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def get(self) -> BoostPricing:
        row = (await self._connection.execute(_CURRENT)).mappings().first()
        if row is None:
            return BoostPricing(price_per_hour=None)
        return BoostPricing(row["price_per_hour"], row["updated_at"], row["updated_by"])

    async def put(self, value: BoostPricing) -> None:
        statement = insert(pricing).values(
            tenant_id=self._tenant_id,
            price_per_hour=value.price_per_hour,
            updated_at=value.updated_at,
            updated_by=value.updated_by,
        )
        await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=[pricing.c.tenant_id],
                set_={
                    name: statement.excluded[name]
                    for name in ("price_per_hour", "updated_at", "updated_by")
                },
            )
        )
