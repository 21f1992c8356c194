"""`network_ingest`: monitoring samples/s through `POST /api/v1/monitoring` (batches of 10,000:
auth, validation, RLS, one multi-row INSERT … SELECT FROM unnest per batch) against a raw
asyncpg COPY of the same rows into the same partitioned table, as its owner.

The network API runs as a single uvicorn worker in its own process; two keep-alive connections
post pre-encoded batches back to back for a fixed number of batches; the COPY loads the same
rows in the same batch size. The two alternate for `--rounds` rounds. Target: the
API keeps at least 20 % of the raw COPY rate (and ≥ 100,000 samples/s on its own; both are in
the details).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from isp_common.auth import Role, mint_token

from harness import BenchContext, BenchUnavailable, free_port, python, server, server_env
from isp_cli import infra
from isp_cli.services import service
from measure import Measurement

NAME = "network_ingest"
UNIT = "samples/s"
TARGET = 0.2
BATCH = 10_000
BATCHES_PER_ROUND = 24
CONNECTIONS = 2
CUSTOMERS = 10_000
COLUMNS = [
    "tenant_id",
    "customer_id",
    "sampled_at",
    "download_speed",
    "upload_speed",
    "download_usage",
    "upload_usage",
    "onu_status",
    "signal_strength",
    "temperature",
    "uptime",
    "is_online",
    "last_seen",
]


def prepare(ctx: BenchContext) -> None:
    network = service("network")
    if not network.runnable() or network.migrations_dir() is None:
        raise BenchUnavailable("isp_network is not runnable yet")
    infra.migrate(ctx.settings(service_name="network"), network)


def network_process(
    ctx: BenchContext, port: int, jwt_secret: str
) -> tuple[list[str], dict[str, str]]:
    argv = [python(), "-m", service("network").package, "api", "--port", str(port)]
    env = server_env(
        ISP_DATABASE_URL=ctx.owner_url,
        ISP_LOG_LEVEL="WARNING",
        ISP_JWT_SECRET=jwt_secret,
    )
    return argv, env


class Batches:
    """Batches of samples for one tenant: 10,000 customers, one sample each per minute."""

    def __init__(self, tenant: uuid.UUID) -> None:
        self.tenant = tenant
        self.customers = [uuid.uuid4() for _ in range(CUSTOMERS)]
        self.start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=12)
        self.minute = 0

    def next_rows(self) -> list[tuple[Any, ...]]:
        at = self.start + timedelta(minutes=self.minute)
        self.minute += 1
        return [
            (
                self.tenant,
                c,
                at,
                20_000 + n % 977,
                5_000 + n % 311,
                1_500_000 + n,
                300_000 + n,
                "working",
                -21.5,
                40.5,
                86_400 + n,
                True,
                at,
            )
            for n, c in enumerate(self.customers[:BATCH])
        ]


def body_of(rows: list[tuple[Any, ...]]) -> bytes:
    return json.dumps(
        {
            "samples": [
                {
                    "customer_id": str(r[1]),
                    "timestamp": r[2].isoformat(),
                    "download_speed": r[3],
                    "upload_speed": r[4],
                    "download_usage": r[5],
                    "upload_usage": r[6],
                    "onu_status": r[7],
                    "signal_strength": r[8],
                    "temperature": r[9],
                    "uptime": r[10],
                    "is_online": r[11],
                    "last_seen": r[12].isoformat(),
                }
                for r in rows
            ]
        }
    ).encode()


async def post_all(port: int, bodies: list[bytes], token: str) -> float:
    """Posts every body over CONNECTIONS keep-alive connections; the seconds it took."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty():
                body = queue.get_nowait()
                head = (
                    f"POST /api/v1/monitoring HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                )
                writer.write(head.encode() + body)
                answer = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in answer.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                payload = await reader.readexactly(length)
                if int(answer[9:12]) != 201 or json.loads(payload)["data"]["stored"] != BATCH:
                    raise RuntimeError(f"ingest answered {answer[:12]!r} {payload[:300]!r}")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))
    return time.perf_counter() - started


async def copy_all(owner_dsn: str, batches: list[list[tuple[Any, ...]]]) -> float:
    """The same rows by COPY, one batch per COPY, on CONNECTIONS connections."""
    conns = [await asyncpg.connect(owner_dsn) for _ in range(CONNECTIONS)]
    queue: asyncio.Queue[list[tuple[Any, ...]]] = asyncio.Queue()
    for batch in batches:
        queue.put_nowait(batch)

    async def load(conn: asyncpg.Connection) -> None:
        while not queue.empty():
            rows = queue.get_nowait()
            await conn.copy_records_to_table(
                "samples", schema_name="network", records=rows, columns=COLUMNS
            )

    try:
        started = time.perf_counter()
        await asyncio.gather(*(load(c) for c in conns))
        return time.perf_counter() - started
    finally:
        for conn in conns:
            await conn.close()


async def run(ctx: BenchContext) -> Measurement:
    await asyncio.to_thread(prepare, ctx)  # migrations run their own event loop
    settings = ctx.settings(service_name="network")
    tenant = uuid.uuid4()
    token = mint_token(settings, tenant_id=tenant, roles=[Role.TECHNICIAN], sub="bench")
    batches = Batches(tenant)
    port = free_port()
    argv, env = network_process(ctx, port, settings.jwt_secret)
    api_rates: list[float] = []
    copy_rates: list[float] = []
    with server("network-service", argv, port, env):
        # Warm-up: the partitions of the day, pools, caches.
        await post_all(port, [body_of(batches.next_rows()) for _ in range(2)], token)
        for _ in range(ctx.rounds):
            rows = [batches.next_rows() for _ in range(BATCHES_PER_ROUND)]
            bodies = [body_of(r) for r in rows]
            seconds = await post_all(port, bodies, token)
            api_rates.append(BATCH * BATCHES_PER_ROUND / seconds)
            copied = [batches.next_rows() for _ in range(BATCHES_PER_ROUND)]
            copy_rates.append(BATCH * BATCHES_PER_ROUND / await copy_all(ctx.owner_dsn, copied))
    value = sum(api_rates) / len(api_rates)
    baseline = sum(copy_rates) / len(copy_rates)
    return Measurement(
        value=value,
        baseline=baseline,
        unit=UNIT,
        target=TARGET,
        what=(
            "monitoring samples/s through POST /api/v1/monitoring in batches of 10,000 vs raw "
            "asyncpg COPY of the same rows into the same partitioned table"
        ),
        details={
            "batch": BATCH,
            "batches_per_round": BATCHES_PER_ROUND,
            "connections": CONNECTIONS,
            "rounds": ctx.rounds,
            "api_rates": [round(r) for r in api_rates],
            "copy_rates": [round(r) for r in copy_rates],
            "api_at_least_100k": value >= 100_000,
        },
    )
