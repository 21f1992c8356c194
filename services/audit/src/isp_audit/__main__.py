"""`python -m isp_audit api|worker|all [--port N]`.

api: the HTTP service (port from --port, else ISP_PORT, else 8006); worker: the outbox relay and
the consumers; all: both in one process (for laptops and small installs).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
from collections.abc import Iterator

import uvicorn

from isp_common.logging import configure_logging
from isp_common.settings import SERVICE_PORTS

from isp_audit.app import create_audit_app
from isp_audit.bootstrap import SERVICE, Runtime, audit_settings, build_runtime
from isp_audit.worker import build_worker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m isp_audit", description=__doc__)
    parser.add_argument("mode", choices=("api", "worker", "all"), nargs="?", default="all")
    parser.add_argument("--host", default=os.environ.get("ISP_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("ISP_PORT", SERVICE_PORTS[SERVICE]))
    )
    args = parser.parse_args(argv)
    settings = audit_settings()
    configure_logging(SERVICE, settings.log_level, settings.log_json)
    asyncio.run(_serve(build_runtime(settings), args.mode, args.host, args.port))


async def _serve(runtime: Runtime, mode: str, host: str, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    parts = []
    if mode in ("api", "all"):
        parts.append(_api(runtime, host, port, stop))
    if mode in ("worker", "all"):
        parts.append(_worker(runtime, stop))
    try:
        await asyncio.gather(*parts)
    finally:
        await runtime.aclose()


async def _api(runtime: Runtime, host: str, port: int, stop: asyncio.Event) -> None:
    config = uvicorn.Config(
        create_audit_app(runtime), host=host, port=port, log_config=None, access_log=False
    )
    server = _QuietServer(config)
    serving = asyncio.create_task(server.serve())
    await _until(stop, serving)
    server.should_exit = True
    await serving


class _QuietServer(uvicorn.Server):
    """Leaves SIGTERM and SIGINT to us: one handler stops the API and the worker together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _worker(runtime: Runtime, stop: asyncio.Event) -> None:
    await build_worker(runtime).run(stop)


async def _until(stop: asyncio.Event, task: asyncio.Task[None]) -> None:
    waiting = asyncio.create_task(stop.wait())
    await asyncio.wait({waiting, task}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting


if __name__ == "__main__":
    main()
