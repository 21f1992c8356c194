"""`python -m isp_customers all` starts the API and the worker, answers, and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import uuid
from collections.abc import Awaitable, Callable

import httpx

from isp_common.settings import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _service_env(owner_url: str, settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "ISP_DATABASE_URL": owner_url,
        "ISP_SERVICE_NAME": "customers",
        "ISP_AMQP_URL": settings.amqp_url,
        "ISP_EVENTS_EXCHANGE": settings.events_exchange,
        "ISP_QUEUE_PREFIX": settings.queue_prefix,
    }


async def test_all_in_one_process_serves_and_stops_gracefully(
    owner_url: str,
    make_settings: Callable[..., Settings],
    forget_broker_names: Callable[[Settings], Awaitable[None]],
) -> None:
    run = uuid.uuid4().hex[:8]
    settings = make_settings(
        events_exchange=f"isp.events.entry.{run}", queue_prefix=f"entry.{run}."
    )
    port = _free_port()
    env = _service_env(owner_url, settings)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "isp_customers",
        "all",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(200):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the service never became ready")
            unauthenticated = await client.get("/api/v1/customers")
            assert unauthenticated.status_code == 401
            assert (await client.get("/openapi.json")).json()["info"]["title"] == "ISP customers"
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await forget_broker_names(settings)
    output = (await process.stdout.read()).decode() if process.stdout else ""
    assert "worker running" in output


async def test_a_worker_alone_serves_health_and_metrics_but_no_api(
    owner_url: str,
    make_settings: Callable[..., Settings],
    forget_broker_names: Callable[[Settings], Awaitable[None]],
) -> None:
    run = uuid.uuid4().hex[:8]
    settings = make_settings(
        events_exchange=f"isp.events.entry.{run}", queue_prefix=f"entry.{run}."
    )
    port = _free_port()
    env = _service_env(owner_url, settings)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "isp_customers", "worker", "--port", str(port),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(200):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the worker never became ready")
            assert "isp_" in (await client.get("/metrics")).text
            assert (await client.get("/api/v1/customers")).status_code == 404
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await forget_broker_names(settings)
    output = (await process.stdout.read()).decode() if process.stdout else ""
    assert "worker running" in output
