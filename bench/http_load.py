"""The HTTP load loop of the benches: a few keep-alive connections, each sending the next GET as
soon as the previous answer is read. A raw asyncio client, so the client costs far less CPU than
the server it measures (an HTTP library here would halve the rate it can offer on 2 cores).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from harness import BenchContext


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    first_error: str | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status and body of one HTTP/1.1 answer (every service sends a content-length)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise RuntimeError("response without content-length")
    return status, await reader.readexactly(length)


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
            status, body = await _read_answer(reader)
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
            status, body = await _read_answer(reader)
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
