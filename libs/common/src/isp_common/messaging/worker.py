"""A service's background process: the outbox relay, its consumers and its periodic jobs.

`python -m isp_<service> worker` runs it as a process of its own, so the API stays responsive
under a backlog and each can be scaled on its own (`all` runs it beside the API). SIGTERM (what
an orchestrator sends) and SIGINT stop it gracefully: consumers finish the messages they hold
first. `run_worker` is the same with its own signal handling, for a process that runs nothing
else.

Every worker also runs the platform's housekeeping job (`isp_common.housekeeping`), so the
inbox, consumer versions and idempotency keys of every service are purged without each service
having to remember to.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Sequence
from typing import Any

from isp_common.db import Database
from isp_common.housekeeping import housekeeping_job
from isp_common.jobs import JobRunner, PeriodicJob
from isp_common.logging import get_logger
from isp_common.messaging.consumer import Consumer
from isp_common.messaging.relay import OutboxRelay
from isp_common.settings import Settings

log = get_logger(__name__)
# How long a stopping worker lets the relay finish the batch in hand before cancelling it.
RELAY_STOP_SECONDS = 10.0


class Worker:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        consumers: Sequence[Consumer[Any]],
        jobs: Sequence[PeriodicJob],
        relay: OutboxRelay | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.relay = relay or OutboxRelay(settings, db)
        self.consumers = list(consumers)
        self.jobs = JobRunner(db, [*jobs, housekeeping_job(settings, db)])

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Until cancelled or `stop` is set; a part that crashes stops the whole worker (the
        orchestrator restarts it) rather than leaving it half alive."""
        stop = stop or asyncio.Event()
        background = [asyncio.create_task(self.relay.run(), name="outbox relay")]
        if self.jobs.jobs:  # with none, the runner would return at once and stop the worker
            background.append(asyncio.create_task(self.jobs.run(), name="periodic jobs"))
        stopping = asyncio.create_task(stop.wait())
        try:
            for consumer in self.consumers:
                # Not waiting for the broker: a signal must stop a worker that is still
                # waiting for it.
                await consumer.start(wait=False)
            log.info("worker running", consumers=[c.queue_name for c in self.consumers])
            done, _ = await asyncio.wait(
                [*background, stopping], return_when=asyncio.FIRST_COMPLETED
            )
            for task in done:
                if task is not stopping and not task.cancelled():
                    error = task.exception()
                    if error is not None:
                        raise error
        finally:
            stopping.cancel()
            # Consumers first, so what they hold is finished while the relay can still publish
            # the events it raised.
            await asyncio.shield(self._stop_consumers())
            self.relay.request_stop()
            await asyncio.wait(background[:1], timeout=RELAY_STOP_SECONDS)
            for task in background:
                task.cancel()
            for task in background:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            log.info("worker stopped")

    async def _stop_consumers(self) -> None:
        await asyncio.gather(
            *(consumer.stop() for consumer in self.consumers), return_exceptions=True
        )


async def run_worker(
    settings: Settings,
    db: Database,
    *,
    consumers: Sequence[Consumer[Any]],
    jobs: Sequence[PeriodicJob],
    relay: OutboxRelay | None = None,
) -> None:
    """Run the worker until SIGTERM or SIGINT (or cancellation), then stop it gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    for signum in previous:
        loop.add_signal_handler(signum, stop.set)
    try:
        await Worker(settings, db, consumers=consumers, jobs=jobs, relay=relay).run(stop)
    finally:
        for signum, handler in previous.items():
            loop.remove_signal_handler(signum)
            signal.signal(signum, handler)
