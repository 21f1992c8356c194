"""A service started as a deployment starts it (`python -m isp_<service> <command>`), on the test
database and on broker names of its own, for the entry-point tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from isp_common.settings import Settings
from isp_common.testing import closed_port
from isp_common.testing.broker import forget_broker_names


@dataclass
class ServiceProcess:
    """The running process and an HTTP client on its port."""

    process: asyncio.subprocess.Process
    client: httpx.AsyncClient

    async def ready(self, what: str = "service") -> None:
        """Returns once /readyz answers 200; fails after about ten seconds."""
        for _ in range(200):
            with contextlib.suppress(httpx.TransportError):
                if (await self.client.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the {what} never became ready")

    async def terminate(self) -> int:
        """Sends SIGTERM and answers the exit code (within 30 seconds)."""
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout=30)

    async def output(self) -> str:
        """What it wrote to stdout and stderr; read once it has ended."""
        return (await self.process.stdout.read()).decode() if self.process.stdout else ""


@asynccontextmanager
async def service_process(
    module: str, command: str, *, owner_url: str, settings: Settings
) -> AsyncIterator[ServiceProcess]:
    """`python -m <module> <command> --port <free port>` with the service's environment; killed
    if still running when the block ends, and its broker names forgotten."""
    run = uuid.uuid4().hex[:8]
    # Names of its own: the session's consumers must not share its queues.
    settings = settings.model_copy(
        update={"events_exchange": f"isp.events.entry.{run}", "queue_prefix": f"entry.{run}."}
    )
    port = closed_port()  # nothing listens there yet: the process will
    env = {
        **os.environ,
        "ISP_DATABASE_URL": owner_url,
        "ISP_SERVICE_NAME": settings.service_name,
        "ISP_AMQP_URL": settings.amqp_url,
        "ISP_EVENTS_EXCHANGE": settings.events_exchange,
        "ISP_QUEUE_PREFIX": settings.queue_prefix,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, command, "--port", str(port),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            yield ServiceProcess(process, client)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await forget_broker_names(settings)
