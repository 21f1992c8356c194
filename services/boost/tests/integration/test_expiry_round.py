"""The expiry round goes on past a tenant that fails: the tenants after it still have their due
boosts ended, and the failing one is counted and left for the next round."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_common import metrics

from isp_boost.adapters.expiry_scan import tenants_with_due_boosts
from isp_boost.bootstrap import Runtime
from isp_boost.use_cases.clock import utc_now
from isp_boost.worker import EXPIRY_JOB, expire_due

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


async def _activated(tenant: Tenant, boost_body: Body) -> None:
    customer = await tenant.seed_customer()
    await tenant.set_price()
    client = tenant.client("admin")
    created = await client.post("/speed-boosts", json=boost_body(customer.id, duration_hours=1))
    request_id = created.json()["data"]["id"]
    assert (await client.post(f"/speed-boosts/{request_id}/approve")).status_code == 200
    assert (await client.post(f"/speed-boosts/{request_id}/activate")).status_code == 200


async def _statuses(tenant: Tenant) -> list[str]:
    listed = (await tenant.client("admin").get("/speed-boosts")).json()["data"]
    return [row["status"] for row in listed]


def _tenant_failures() -> float:
    return float(metrics.JOB_TENANT_FAILURES.labels(EXPIRY_JOB)._value.get())


async def test_a_failing_tenant_does_not_stop_the_round_for_the_next(
    new_tenant: Callable[[], Tenant], boost_body: Body, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    # The scan goes in tenant id order: the middle of three sorted tenants is the second done.
    first, broken, third = sorted((new_tenant() for _ in range(3)), key=lambda t: t.id)
    for tenant in (first, broken, third):
        await _activated(tenant, boost_body)
    # A real failure inside the broken tenant's transaction: the database refuses its update.
    trigger = f"fail_expiry_{uuid.uuid4().hex[:8]}"
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                f"CREATE FUNCTION boost.{trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF NEW.tenant_id = '{broken.id}' THEN "
                "RAISE EXCEPTION 'this tenant is broken'; END IF; RETURN NEW; END $$"
            )
        )
        await conn.execute(
            text(
                f"CREATE TRIGGER {trigger} BEFORE UPDATE ON boost.boost_requests "
                f"FOR EACH ROW EXECUTE FUNCTION boost.{trigger}()"
            )
        )
    in_two_hours = utc_now() + timedelta(hours=2)
    failures_before = _tenant_failures()
    try:
        due = await tenants_with_due_boosts(runtime.db, in_two_hours)
        assert {first.id, broken.id, third.id} <= set(due)

        assert await expire_due(runtime, in_two_hours) >= 2
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {trigger} ON boost.boost_requests"))
            await conn.execute(text(f"DROP FUNCTION boost.{trigger}()"))

    assert await _statuses(first) == ["expired"]
    assert await _statuses(third) == ["expired"]  # the round went on past the broken tenant
    assert await _statuses(broken) == ["activated"]
    assert _tenant_failures() == failures_before + 1
    # Mended, the next round ends what the broken tenant still had due.
    assert await expire_due(runtime, in_two_hours) >= 1
    assert await _statuses(broken) == ["expired"]
