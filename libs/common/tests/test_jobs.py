"""Periodic jobs: one replica at a time, guarded by a Postgres advisory lock (real Postgres).

Two `Database` objects are two replicas: separate pools, separate sessions, one lock space.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from isp_common import metrics
from isp_common.db import Database
from isp_common.jobs import JobRunner, PeriodicJob, for_each_tenant
from isp_common.testing import owner_base_url

pytestmark = pytest.mark.integration


@pytest.fixture()
async def replicas() -> AsyncIterator[tuple[Database, Database]]:
    # A schema name of this test alone: the lock key is `<schema>.<job>`, and other test runs
    # may share the server.
    schema = f"jobs_{uuid.uuid4().hex[:8]}"
    first = Database(owner_base_url(), schema, producer="jobs")
    second = Database(owner_base_url(), schema, producer="jobs")
    yield first, second
    await first.dispose()
    await second.dispose()


def runs(job: str, outcome: str) -> float:
    return float(metrics.JOB_RUNS.labels(job, outcome)._value.get())


async def test_a_job_runs_on_one_replica_at_a_time(replicas):
    running = peak = finished = 0

    async def reconcile() -> None:
        nonlocal running, peak, finished
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.03)
        running -= 1
        finished += 1

    job = PeriodicJob(f"reconcile-{uuid.uuid4().hex[:6]}", 0.005, reconcile)
    first, second = (JobRunner(db, [job]) for db in replicas)
    tasks = [asyncio.create_task(first.run()), asyncio.create_task(second.run())]
    await asyncio.sleep(0.5)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    assert peak == 1
    assert finished >= 5
    assert runs(job.name, "skipped") > 0  # the other replica did try, and stood aside


async def test_the_replica_without_the_lock_skips_the_round(replicas):
    inside, release = asyncio.Event(), asyncio.Event()

    async def long_job() -> None:
        inside.set()
        await release.wait()

    job = PeriodicJob(f"long-{uuid.uuid4().hex[:6]}", 60, long_job)
    first, second = (JobRunner(db, [job]) for db in replicas)
    holding = asyncio.create_task(first.run_once(job))
    await asyncio.wait_for(inside.wait(), 5)

    assert await asyncio.wait_for(second.run_once(job), 2) is False

    release.set()
    assert await holding is True
    inside.clear()
    release.set()
    assert await second.run_once(job) is True  # released when the run ended


async def test_a_failing_or_cancelled_run_releases_the_lock(replicas):
    async def broken() -> None:
        raise RuntimeError("upstream down")

    started = asyncio.Event()

    async def hangs() -> None:
        started.set()
        await asyncio.sleep(60)

    first, second = (JobRunner(db, []) for db in replicas)
    name = f"flaky-{uuid.uuid4().hex[:6]}"

    assert await first.run_once(PeriodicJob(name, 1, broken)) is True
    assert runs(name, "failed") == 1
    assert await second.run_once(PeriodicJob(name, 1, _noop)) is True

    hanging = asyncio.create_task(first.run_once(PeriodicJob(name, 1, hangs)))
    await asyncio.wait_for(started.wait(), 5)
    hanging.cancel()  # the replica is shutting down mid-run
    await asyncio.gather(hanging, return_exceptions=True)
    assert await second.run_once(PeriodicJob(name, 1, _noop)) is True


async def _noop() -> None:
    return None


async def test_a_runner_without_jobs_keeps_running_until_cancelled(replicas):
    runner = JobRunner(replicas[0], [])
    task = asyncio.create_task(runner.run())
    await asyncio.sleep(0.2)
    assert not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_one_tenant_failing_does_not_stop_the_round_for_the_others():
    tenants = [uuid.uuid4() for _ in range(3)]
    job = f"per-tenant-{uuid.uuid4().hex[:6]}"
    ran: list[uuid.UUID] = []

    async def work(tenant_id: uuid.UUID) -> int:
        ran.append(tenant_id)
        if tenant_id == tenants[1]:
            raise RuntimeError("this tenant is broken")
        return 7

    done = await for_each_tenant(job, tenants, work)

    assert ran == tenants
    assert done.results == {tenants[0]: 7, tenants[2]: 7}
    assert done.failed == [tenants[1]]
    assert float(metrics.JOB_TENANT_FAILURES.labels(job)._value.get()) == 1


async def test_cancelling_a_per_tenant_round_stops_it():
    tenants = [uuid.uuid4() for _ in range(3)]
    ran: list[uuid.UUID] = []

    async def work(tenant_id: uuid.UUID) -> None:
        ran.append(tenant_id)
        raise asyncio.CancelledError  # the worker is shutting down

    with pytest.raises(asyncio.CancelledError):
        await for_each_tenant("cancelled", tenants, work)
    assert ran == tenants[:1]
