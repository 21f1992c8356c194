"""Housekeeping on the real Postgres, through the service role under forced RLS: rows older than
their window go, in every tenant; younger ones stay; every worker runs the job."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from isp_common.db import UnitOfWork
from isp_common.housekeeping import HOUSEKEEPING_JOB, purge
from isp_common.messaging.worker import Worker

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)
RETENTION = timedelta(days=14)


async def seed(kit, tenant: uuid.UUID, age: timedelta) -> None:
    at = NOW - age
    schema = kit.db.schema
    async with UnitOfWork(kit.db, tenant) as uow:
        await uow.connection.execute(
            text(
                f"insert into {schema}.inbox (consumer, event_id, tenant_id, event_type, "
                "processed_at) values ('hk', :id, :tenant, 'tickets.ticket.updated', :at)"
            ),
            {"id": uuid.uuid4(), "tenant": tenant, "at": at},
        )
        await uow.connection.execute(
            text(
                f"insert into {schema}.consumer_versions (tenant_id, consumer, aggregate, "
                "aggregate_id, version, updated_at) "
                "values (:tenant, 'hk', 'tickets.ticket', :id, 1, :at)"
            ),
            {"id": uuid.uuid4(), "tenant": tenant, "at": at},
        )
        await uow.connection.execute(
            text(
                f"insert into {schema}.idempotency_keys (tenant_id, key, request_hash, "
                "created_at) values (:tenant, :key, 'h', :at)"
            ),
            {"key": uuid.uuid4().hex, "tenant": tenant, "at": at},
        )
        await uow.commit()


async def ages(kit, tenant: uuid.UUID) -> dict[str, list[float]]:
    """Per table, the ages in days of the tenant's rows."""
    schema = kit.db.schema
    found: dict[str, list[float]] = {}
    async with UnitOfWork(kit.db, tenant) as uow:
        for table, column in (
            ("inbox", "processed_at"),
            ("consumer_versions", "updated_at"),
            ("idempotency_keys", "created_at"),
        ):
            rows = await uow.connection.execute(text(f"select {column} from {schema}.{table}"))
            found[table] = sorted(round((NOW - r[0]).total_seconds() / 86400, 1) for r in rows)
    return found


async def test_rows_past_their_window_are_purged_in_every_tenant_and_younger_ones_stay(kit):
    tenants = [uuid.uuid4(), uuid.uuid4()]
    for tenant in tenants:
        for age in (timedelta(hours=23), timedelta(days=2), timedelta(days=15)):
            await seed(kit, tenant, age)

    purged = await purge(kit.db, now=NOW, inbox_retention=RETENTION)

    assert purged.inbox >= 2 and purged.consumer_versions >= 2 and purged.idempotency_keys >= 4
    for tenant in tenants:
        assert await ages(kit, tenant) == {
            "inbox": [1.0, 2.0],  # 23 h and 2 days: within the 14 days
            "consumer_versions": [1.0, 2.0],
            "idempotency_keys": [1.0],  # only the one younger than 24 h
        }


async def test_without_the_housekeeping_setting_nothing_crosses_tenants(kit):
    tenant = uuid.uuid4()
    await seed(kit, tenant, timedelta(days=30))
    async with kit.db.engine.connect() as conn:
        deleted = await conn.execute(text(f"delete from {kit.db.schema}.inbox"))
    assert deleted.rowcount == 0  # RLS: no tenant set, no housekeeping, no rows
    assert (await ages(kit, tenant))["inbox"] == [30.0]


async def test_every_worker_runs_the_housekeeping_job(kit):
    worker = Worker(kit.settings, kit.db, consumers=[], jobs=[], relay=kit.relay())
    assert [job.name for job in worker.jobs.jobs] == [HOUSEKEEPING_JOB]
    tenant = uuid.uuid4()
    await seed(kit, tenant, timedelta(days=30))
    [job] = worker.jobs.jobs
    assert await worker.jobs.run_once(job) is True
    assert await ages(kit, tenant) == {"inbox": [], "consumer_versions": [], "idempotency_keys": []}
