"""`python -m isp_<service> api|worker|all [--host H] [--port N]`, the same for every service.

api: the HTTP service; worker: the outbox relay, the consumers and the periodic jobs, with
/healthz, /readyz and /metrics on the same port (so its metrics are scraped like an API's);
all: both in one process (laptops, small installs, `isp up`). The port comes from --port, else
ISP_PORT, else the service's port in SERVICE_PORTS. SIGTERM and SIGINT stop every part together
and gracefully: the API finishes its requests, the relay its batch.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError
from pydantic_settings import SettingsError

from isp_common.logging import configure_logging
from isp_common.runtime import ServiceRuntime
from isp_common.settings import SERVICE_PORTS, ConfigurationError, Settings, describe
from isp_common.web.app import create_ops_app

MODES = ("api", "worker", "all")


class Background(Protocol):
    """What a worker runs until `stop` is set: isp_common's Worker, or a service's own
    composition of it (the agent adds its router lanes)."""

    async def run(self, stop: asyncio.Event) -> None: ...


R = TypeVar("R", bound=ServiceRuntime[Any])
S = TypeVar("S", bound=Settings)


def run_service(
    service: str,
    *,
    make_settings: Callable[[], S],
    build_runtime: Callable[[S], R],
    create_app: Callable[[R], FastAPI],
    build_worker: Callable[[R], Background],
    argv: Sequence[str] | None = None,
) -> None:
    parser = argparse.ArgumentParser(
        prog=f"python -m isp_{service.replace('-', '_')}",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("mode", choices=MODES, nargs="?", default="all")
    parser.add_argument("--host", default=os.environ.get("ISP_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("ISP_PORT", SERVICE_PORTS[service]))
    )
    args = parser.parse_args(argv)
    try:
        settings = make_settings()
    except (ConfigurationError, ValidationError, SettingsError) as exc:
        # One line an operator reads in the orchestrator's events, not a traceback.
        sys.exit(f"{parser.prog}: {describe(exc)}")
    configure_logging(service, settings.log_level, settings.log_json)
    runtime = build_runtime(settings)
    asyncio.run(_serve(runtime, args.mode, args.host, args.port, create_app, build_worker))


async def _serve(
    runtime: R,
    mode: str,
    host: str,
    port: int,
    create_app: Callable[[R], FastAPI],
    build_worker: Callable[[R], Background],
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    app = create_app(runtime) if mode != "worker" else create_ops_app(runtime.settings, runtime.db)
    parts = [_http(app, host, port, stop)]
    if mode in ("worker", "all"):
        parts.append(build_worker(runtime).run(stop))
    try:
        await asyncio.gather(*parts)
    finally:
        await runtime.aclose()


async def _http(app: FastAPI, host: str, port: int, stop: asyncio.Event) -> None:
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False)
    server = _QuietServer(config)
    serving = asyncio.create_task(server.serve())
    waiting = asyncio.create_task(stop.wait())
    await asyncio.wait({waiting, serving}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting
    server.should_exit = True
    try:
        await serving
    finally:
        stop.set()  # an HTTP side that ended on its own (a port in use) stops the worker too


class _QuietServer(uvicorn.Server):
    """Leaves SIGTERM and SIGINT to us: one handler stops the HTTP side and the worker together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield
