"""What the database itself guarantees: one active boost per customer under racing activations,
tenant isolation under RLS, the expiry scan seeing due boosts of every tenant and nothing else,
and the replicas ignoring stale events."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from isp_common.errors import AppError

from isp_boost.adapters.expiry_scan import tenants_with_due_boosts
from isp_boost.bootstrap import Runtime
from isp_boost.use_cases.activate import activate_request
from isp_boost.use_cases.apply_replicas import apply_customer_snapshot, apply_plan_snapshot
from isp_boost.use_cases.boost_reads import get_request
from isp_boost.use_cases.clock import utc_now
from isp_boost.worker import expire_due

if TYPE_CHECKING:
    from conftest import Snapshots, Tenant

Body = Callable[..., dict[str, Any]]


async def _approved(tenant: Tenant, boost_body: Body, customer_id: uuid.UUID, **kw: Any) -> str:
    client = tenant.client("admin")
    created = await client.post("/speed-boosts", json=boost_body(customer_id, **kw))
    request_id: str = created.json()["data"]["id"]
    assert (await client.post(f"/speed-boosts/{request_id}/approve")).status_code == 200
    return request_id


async def test_racing_activations_leave_exactly_one_active_boost(
    new_tenant: Callable[[], Tenant], boost_body: Body, runtime: Runtime
) -> None:
    for _ in range(5):
        tenant = new_tenant()
        customer = await tenant.seed_customer()
        await tenant.set_price()
        ids = [uuid.UUID(await _approved(tenant, boost_body, customer.id)) for _ in range(4)]
        outcomes = await asyncio.gather(
            *(runtime.run(tenant.id, activate_request, i) for i in ids), return_exceptions=True
        )
        won = [o for o in outcomes if not isinstance(o, BaseException)]
        lost = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(won) == 1, outcomes
        assert all(isinstance(o, AppError) and o.code == "CONFLICT" for o in lost), lost
        statuses = [(await runtime.run(tenant.id, get_request, i)).status.value for i in ids]
        assert sorted(statuses) == ["activated", "approved", "approved", "approved"]


async def test_the_service_role_sees_one_tenant_only(
    new_tenant: Callable[[], Tenant], boost_body: Body, runtime: Runtime
) -> None:
    first, second = new_tenant(), new_tenant()
    customer = await first.seed_customer()
    await first.set_price()
    await _approved(first, boost_body, customer.id)
    async with runtime.db.engine.connect() as conn:
        # Without a tenant in the transaction, RLS shows nothing at all.
        assert await conn.scalar(text("SELECT count(*) FROM boost.boost_requests")) == 0
    async with runtime.unit_of_work(second.id) as uow:
        rows = await uow.connection.scalar(text("SELECT count(*) FROM boost.boost_requests"))
        assert rows == 0


async def test_the_expiry_scan_finds_due_tenants_and_the_job_ends_their_boosts(
    new_tenant: Callable[[], Tenant], boost_body: Body, runtime: Runtime
) -> None:
    short, long_, idle = new_tenant(), new_tenant(), new_tenant()
    for tenant, hours in ((short, 1), (long_, 48)):
        customer = await tenant.seed_customer()
        await tenant.set_price()
        request_id = await _approved(tenant, boost_body, customer.id, duration_hours=hours)
        await tenant.client("admin").post(f"/speed-boosts/{request_id}/activate")
    await idle.set_price()
    in_two_hours = utc_now() + timedelta(hours=2)
    due = await tenants_with_due_boosts(runtime.db, in_two_hours)
    assert short.id in due
    assert long_.id not in due and idle.id not in due
    assert await expire_due(runtime, in_two_hours) >= 1
    assert short.id not in await tenants_with_due_boosts(runtime.db, in_two_hours)
    listed = (await short.client("admin").get("/speed-boosts")).json()["data"]
    assert [r["status"] for r in listed] == ["expired"]
    still = (await long_.client("admin").get("/speed-boosts")).json()["data"]
    assert [r["status"] for r in still] == ["activated"]
    # The scan's policy is for reading: nothing else leaks out of a pooled connection after it.
    async with runtime.db.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM boost.boost_requests")) == 0


async def test_replicas_ignore_stale_versions_and_a_terminated_customer_loses_the_boost(
    tenant: Tenant, boost_body: Body, runtime: Runtime, snapshots: Snapshots
) -> None:
    plan = await tenant.seed_plan(bandwidth_download=10_000, bandwidth_upload=5_000)
    faster = plan.model_copy(update={"bandwidth_download": 30_000, "version": 3})
    assert await runtime.run(tenant.id, apply_plan_snapshot, faster)
    assert not await runtime.run(tenant.id, apply_plan_snapshot, plan)  # older: ignored
    customer = snapshots.customer(plan.id, version=5)
    await runtime.run(tenant.id, apply_customer_snapshot, customer)
    await tenant.set_price()
    request_id = await _approved(tenant, boost_body, customer.id)
    activated = await tenant.client("admin").post(f"/speed-boosts/{request_id}/activate")
    assert activated.json()["data"]["original_speed_download"] == 30_000
    stale = customer.model_copy(update={"status": "terminated", "version": 4})
    assert not await runtime.run(tenant.id, apply_customer_snapshot, stale)
    still = await tenant.client("admin").get(f"/customers/{customer.id}/speed-boost")
    assert still.status_code == 200
    terminated = customer.model_copy(update={"status": "terminated", "version": 6})
    assert await runtime.run(tenant.id, apply_customer_snapshot, terminated)
    request = (await tenant.client("admin").get(f"/speed-boosts/{request_id}")).json()["data"]
    assert (request["status"], request["end_reason"]) == ("ended", "customer_terminated")
    # A terminated customer cannot ask again.
    again = await tenant.client("admin").post("/speed-boosts", json=boost_body(customer.id))
    assert again.status_code == 409
