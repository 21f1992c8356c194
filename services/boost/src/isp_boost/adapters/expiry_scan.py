"""Which tenants have boosts due to expire. Row-level security shows a transaction one tenant's
rows; the migration's `expiry_scan` policy also shows it activated requests of every tenant when
it sets `app.boost_expiry_scan`, and this is the one place that does."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select

from isp_common.db import Database, cross_tenant_read

from isp_boost.adapters.tables import boost_requests
from isp_boost.domain.status import BoostStatus


async def tenants_with_due_boosts(db: Database, now: datetime, limit: int = 1000) -> list[UUID]:
    query = (
        select(boost_requests.c.tenant_id)
        .where(
            boost_requests.c.status == BoostStatus.ACTIVATED.value,
            boost_requests.c.expires_at <= now,
        )
        .group_by(boost_requests.c.tenant_id)
        .order_by(boost_requests.c.tenant_id)
        .limit(limit)
    )
    async with cross_tenant_read(db, "app.boost_expiry_scan") as connection:
        rows = (await connection.execute(query)).all()
    return [row.tenant_id for row in rows]
