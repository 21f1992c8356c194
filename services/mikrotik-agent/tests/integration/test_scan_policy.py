"""The lane manager's cross-tenant scan of the router directory is read-only and shows ids only:
with `app.agent_directory_scan` on, the service's role sees every tenant's routers and can
change none of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant

SCAN = "SELECT set_config('app.agent_directory_scan', 'on', true)"


async def test_the_directory_scan_reads_ids_and_changes_nothing(
    new_tenant: Callable[[], Tenant], sim: SimulatedRouter
) -> None:
    a, b = new_tenant(), new_tenant()
    ra, rb = await a.add_router(sim), await b.add_router(sim)
    engine = a.runtime.db.engine  # the service's own role, not the owner
    async with engine.begin() as conn:
        await conn.execute(text(SCAN))
        columns = set(
            (await conn.execute(text("SELECT * FROM mikrotik_agent.router_directory"))).keys()
        )
        seen = set(
            (await conn.execute(text("SELECT router_id FROM mikrotik_agent.router_directory")))
            .scalars()
            .all()
        )
        changed = await conn.execute(
            text("UPDATE mikrotik_agent.router_directory SET is_deleted = true")
        )
        removed = await conn.execute(text("DELETE FROM mikrotik_agent.router_directory"))
        routers = await conn.scalar(text("SELECT count(*) FROM mikrotik_agent.routers"))
    assert columns == {"router_id", "tenant_id", "is_deleted"}  # no address, no credential
    assert {ra.id, rb.id} <= seen
    assert changed.rowcount == 0 and removed.rowcount == 0
    assert routers == 0  # the scan opens the directory only, not the routers table
    with pytest.raises(DBAPIError, match="row-level security"):
        async with engine.begin() as conn:
            await conn.execute(text(SCAN))
            await conn.execute(
                text(
                    "INSERT INTO mikrotik_agent.router_directory (router_id, tenant_id) "
                    "VALUES (gen_random_uuid(), gen_random_uuid())"
                )
            )
