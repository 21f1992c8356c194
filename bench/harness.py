"""What the benches share: the bench database, server processes, and an HTTP load loop.

Every figure is a ratio against a baseline measured in the same run on the same machine, so
the machine's speed cancels out. Nothing here asserts a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from isp_common.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
BENCH_DATABASE = "isp_bench"


@dataclass
class BenchContext:
    owner_url: str  # SQLAlchemy URL of the bench database, as its owner
    duration: float  # seconds of measurement per phase
    connections: int  # concurrent HTTP connections of the load loop
    events: int  # events per relay run
    rounds: int  # alternating rounds of (subject, baseline)

    @property
    def owner_dsn(self) -> str:
        return plain_dsn(self.owner_url)

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "service_name": "customers",
            "database_url": self.owner_url,
            "log_json": True,
            "log_level": "WARNING",
            **overrides,
        }
        return Settings(**values)


class BenchUnavailable(Exception):
    """A bench cannot run yet (a part it measures does not exist); not a failure of the part."""


def plain_dsn(sqlalchemy_url: str) -> str:
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def bench_owner_url() -> str:
    explicit = os.environ.get("ISP_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    base = make_url(Settings().database_url).set(database=BENCH_DATABASE)
    return base.render_as_string(hide_password=False)


async def recreate_database(owner_url: str) -> None:
    url = make_url(owner_url)
    conn = await asyncpg.connect(plain_dsn(url.set(database="postgres").render_as_string(False)))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{url.database}"')
    finally:
        await conn.close()


async def drop_database(owner_url: str) -> None:
    url = make_url(owner_url)
    conn = await asyncpg.connect(plain_dsn(url.set(database="postgres").render_as_string(False)))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    finally:
        await conn.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(
    name: str, argv: Sequence[str], port: int, env: dict[str, str], timeout: float = 60.0
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, up when `GET /healthz` (or any answer on `/`) comes back; stopped after."""
    log_path = BENCH_DIR / f".{name}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            list(argv),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_listening(process, port, timeout, log_path)
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_listening(
    process: subprocess.Popen[bytes], port: int, timeout: float, log_path: Path
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers HTTP: listening
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"{process.args!r} did not listen on :{port} within {timeout:.0f}s")


def server_env(**values: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(values)
    env["PYTHONUNBUFFERED"] = "1"
    return env


# ---------------------------------------------------------------------------------------------
# The HTTP load loop: a few keep-alive connections, each sending the next GET as soon as the
# previous answer is read. A raw asyncio client, so the client costs far less CPU than the
# server it measures (an HTTP library here would halve the rate it can offer on 2 cores).


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    first_error: str | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def _connection_loop(
    port: int,
    paths: Sequence[str],
    headers: str,
    stop_at: float,
    result: LoadResult,
    seed: int,
) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at:
            path = paths[rng.randrange(len(paths))]
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}\r\n".encode("latin-1")
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = None
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length is None:
                raise RuntimeError("response without content-length")
            body = await reader.readexactly(length)
            if status == 200:
                result.requests += 1
            else:
                result.errors += 1
                if result.first_error is None:
                    result.first_error = f"{status} {body[:300]!r}"
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def http_load(
    port: int,
    paths: Sequence[str],
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    header_text = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    result = LoadResult(0, 0, 0.0)
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(
        *(
            _connection_loop(port, paths, header_text, stop_at, result, seed)
            for seed in range(connections)
        )
    )
    result.seconds = time.perf_counter() - started
    return result


# The same loop, timing every request: for budgets stated as a latency (p95, p99) rather than a
# rate. Each request carries its own headers, so one run can speak for several tenants.


@dataclass
class LatencyResult:
    latencies: list[float]  # seconds, one per answered 200
    errors: int
    seconds: float
    first_error: str | None = None

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000.0


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` 0.95 for p95) of the samples."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


async def _timed_connection_loop(
    port: int,
    requests: Sequence[bytes],
    stop_at: float,
    result: LatencyResult,
    seed: int,
) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at:
            request = requests[rng.randrange(len(requests))]
            sent = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = None
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length is None:
                raise RuntimeError("response without content-length")
            body = await reader.readexactly(length)
            elapsed = time.perf_counter() - sent
            if status == 200:
                result.latencies.append(elapsed)
            else:
                result.errors += 1
                if result.first_error is None:
                    result.first_error = f"{status} {body[:300]!r}"
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def http_latencies(
    port: int,
    requests: Sequence[tuple[str, dict[str, str]]],
    *,
    seconds: float,
    connections: int,
) -> LatencyResult:
    """`connections` keep-alive connections sending random (path, headers) GETs back to back
    for `seconds`; the time from sending each request to reading its whole answer."""
    encoded = [
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            + "\r\n"
        ).encode("latin-1")
        for path, headers in requests
    ]
    result = LatencyResult([], 0, 0.0)
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(
        *(
            _timed_connection_loop(port, encoded, stop_at, result, seed)
            for seed in range(connections)
        )
    )
    result.seconds = time.perf_counter() - started
    return result


async def alternating_rounds(
    ctx: BenchContext,
    targets: dict[str, tuple[int, dict[str, str]]],
    paths: Sequence[str],
    *,
    warmup_seconds: float,
) -> dict[str, list[float]]:
    """The same load on each target in turn, round after round, so that the machine's noise
    falls on both alike; a warm-up first fills caches and connection pools. Rates per target."""
    for port, headers in targets.values():
        await http_load(
            port, paths, seconds=warmup_seconds, connections=ctx.connections, headers=headers
        )
    rates: dict[str, list[float]] = {who: [] for who in targets}
    for _ in range(ctx.rounds):
        for who, (port, headers) in targets.items():
            result = await http_load(
                port, paths, seconds=ctx.duration, connections=ctx.connections, headers=headers
            )
            if result.errors:
                raise RuntimeError(f"{who}: {result.errors} errors, first {result.first_error}")
            rates[who].append(result.rate)
    return rates


def python() -> str:
    return sys.executable
