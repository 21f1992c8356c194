"""`network_series`: the p95 latency of a bucketed 30-day series (`bucket=1h`, 720 points) of one
customer among 10,000, through `GET /api/v1/customers/{id}/monitoring` (auth, RLS, envelope),
against the same aggregation run straight on asyncpg as the table's owner.

Seeded by COPY: 10,000 customers with a sample every 6 hours for 30 days, and 20 of them with a
sample every 5 minutes (8,640 each); the measured customers are those 20. Requests go one at a
time (latency, not throughput). Both figures are reported as 1000 / p95 ms, so the ratio is
bare p95 / service p95: the share of the bare query's speed the service keeps at p95. Target:
at least half.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from isp_common.auth import Role, mint_token

from harness import BenchContext, free_port, server
from measure import Measurement
from network_ingest import COLUMNS, network_process, prepare

NAME = "network_series"
UNIT = "1/p95 s"
TARGET = 0.5
CUSTOMERS = 10_000
DENSE = 20
DAYS = 30
REQUESTS = 200
BARE_SQL = """
SELECT date_bin('1 hour'::interval, sampled_at, '2000-01-03T00:00:00+00'::timestamptz) AS b,
       count(*), round(avg(download_speed), 2), max(download_speed),
       round(avg(upload_speed), 2), max(upload_speed), sum(download_usage), sum(upload_usage),
       count(*) FILTER (WHERE is_online)
FROM network.samples
WHERE tenant_id = $1 AND customer_id = $2 AND sampled_at >= $3 AND sampled_at < $4
GROUP BY 1 ORDER BY 1
"""


async def seed(owner_dsn: str, tenant: uuid.UUID, end: datetime) -> list[uuid.UUID]:
    customers = [uuid.uuid4() for _ in range(CUSTOMERS)]
    start = end - timedelta(days=DAYS)
    conn = await asyncpg.connect(owner_dsn)
    try:
        await conn.execute(
            "SELECT network.ensure_sample_partitions($1, $2)", start.date(), end.date()
        )

        def row(customer: uuid.UUID, at: datetime, n: int) -> tuple[Any, ...]:
            return (
                tenant,
                customer,
                at,
                10_000 + n % 5000,
                2_000 + n % 900,
                10_000 * n,
                2_000 * n,
                "working",
                -20.0,
                40.0,
                3600 * n,
                n % 17 != 0,
                at,
            )

        sparse = [
            row(c, start + timedelta(hours=6 * k), k) for c in customers for k in range(DAYS * 4)
        ]
        await conn.copy_records_to_table(
            "samples", schema_name="network", records=sparse, columns=COLUMNS
        )
        for customer in customers[:DENSE]:
            dense = [row(customer, start + timedelta(minutes=5 * k), k) for k in range(DAYS * 288)]
            await conn.copy_records_to_table(
                "samples", schema_name="network", records=dense, columns=COLUMNS
            )
        await conn.execute("ANALYZE network.samples")
    finally:
        await conn.close()
    return customers[:DENSE]


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def service_latencies(port: int, paths: list[str], token: str) -> list[float]:
    timings = []
    for path in paths:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"}
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.loads(response.read())
        timings.append((time.perf_counter() - started) * 1000)
        if len(body["data"]["buckets"]) != DAYS * 24:
            raise RuntimeError(f"the service answered {len(body['data']['buckets'])} buckets")
    return timings


async def bare_latencies(
    owner_dsn: str, tenant: uuid.UUID, asks: list[uuid.UUID], start: datetime, end: datetime
) -> list[float]:
    conn = await asyncpg.connect(owner_dsn)
    try:
        timings = []
        for customer in asks:
            started = time.perf_counter()
            rows = await conn.fetch(BARE_SQL, tenant, customer, start, end)
            timings.append((time.perf_counter() - started) * 1000)
            if len(rows) != DAYS * 24:
                raise RuntimeError(f"the bare query answered {len(rows)} buckets")
        return timings
    finally:
        await conn.close()


async def run(ctx: BenchContext) -> Measurement:
    await asyncio.to_thread(prepare, ctx)  # migrations run their own event loop
    settings = ctx.settings(service_name="network")
    tenant = uuid.uuid4()
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=DAYS)
    dense = await seed(ctx.owner_dsn, tenant, end)
    token = mint_token(settings, tenant_id=tenant, roles=[Role.VIEWER], sub="bench")
    rng = random.Random(7)
    asks = [rng.choice(dense) for _ in range(REQUESTS)]
    query = f"date_from={start.isoformat()}&date_to={end.isoformat()}&bucket=1h".replace("+", "%2B")
    paths = [f"/api/v1/customers/{c}/monitoring?{query}" for c in asks]
    port = free_port()
    argv, env = network_process(ctx, port, settings.jwt_secret)
    service_p95s: list[float] = []
    bare_p95s: list[float] = []
    with server("network-service", argv, port, env):
        await asyncio.to_thread(service_latencies, port, paths[:20], token)  # warm-up
        await bare_latencies(ctx.owner_dsn, tenant, asks[:20], start, end)
        for _ in range(ctx.rounds):
            service_p95s.append(p95(await asyncio.to_thread(service_latencies, port, paths, token)))
            bare_p95s.append(p95(await bare_latencies(ctx.owner_dsn, tenant, asks, start, end)))
    service_ms = sum(service_p95s) / len(service_p95s)
    bare_ms = sum(bare_p95s) / len(bare_p95s)
    return Measurement(
        value=1000 / service_ms,
        baseline=1000 / bare_ms,
        unit=UNIT,
        target=TARGET,
        what=(
            "p95 of a bucketed (1h) 30-day series of one customer among 10,000 through the "
            "network service vs the same SQL on asyncpg (as 1000 / p95 ms)"
        ),
        details={
            "service_p95_ms": [round(v, 2) for v in service_p95s],
            "bare_p95_ms": [round(v, 2) for v in bare_p95s],
            "customers": CUSTOMERS,
            "samples_per_measured_customer": DAYS * 288,
            "requests_per_round": REQUESTS,
        },
    )
