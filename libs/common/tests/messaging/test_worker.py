"""The worker process: relay, consumers and jobs together, and a clean stop on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from isp_common.jobs import PeriodicJob
from isp_common.messaging.worker import Worker, run_worker

pytestmark = pytest.mark.integration


async def test_the_worker_relays_consumes_and_runs_jobs_until_stopped(kit):
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        ticks += 1

    stop = asyncio.Event()
    worker = Worker(
        kit.settings,
        kit.db,
        consumers=[kit.consumer()],
        jobs=[PeriodicJob("tick", 0.01, tick)],
        relay=kit.relay(),
    )
    running = asyncio.create_task(worker.run(stop))

    [event] = await kit.commit()

    async def applied_and_ticked() -> bool:
        return ticks > 0 and await kit.effects() == {event.id: 1}

    await kit.wait_until(applied_and_ticked)
    stop.set()
    await asyncio.wait_for(running, 5)  # returns, without error
    assert await kit.outbox() == []


async def test_sigterm_stops_the_worker_gracefully(kit):
    finished = asyncio.Event()
    started = asyncio.Event()

    async def slow(event, uow) -> None:
        started.set()
        await asyncio.sleep(0.2)
        await kit.record_effect(event, uow)
        finished.set()

    before = signal.getsignal(signal.SIGTERM)
    running = asyncio.create_task(
        run_worker(
            kit.settings,
            kit.db,
            consumers=[kit.consumer({kit.EVENT_TYPE: slow})],
            jobs=[],
            relay=kit.relay(),
        )
    )
    [event] = await kit.commit()
    await asyncio.wait_for(started.wait(), 10)

    os.kill(os.getpid(), signal.SIGTERM)  # what the orchestrator sends
    await asyncio.wait_for(running, 5)

    assert finished.is_set()  # the message in hand was finished, not cut off
    assert await kit.effects() == {event.id: 1}
    assert await kit.depth(kit.queue) == 0
    assert signal.getsignal(signal.SIGTERM) == before  # handed back
