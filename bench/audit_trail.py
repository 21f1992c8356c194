"""`audit_customer_trail`: one customer's audit trail (GET /customers/{id}/audit-logs's use case:
count + first page, newest first, through the service's unit of work, role and RLS) in a tenant
whose trail holds millions of rows, against the same query in a tenant whose trail holds only
that customer's rows.

The rows are written straight into the table as the owner (their hashes are placeholders: the
chain is not what is measured). Customers own 50 rows each on average, spread over the whole
time range, so a customer's rows are scattered across the table as in a real trail. The two
tenants are queried in alternating rounds for `ctx.duration` seconds each, by a few concurrent
callers. Target: the big trail answers at least half the small one's rate. The index plan
(tenant_id, customer_id, created_at DESC, seq DESC) makes the work (index entries read, rows
fetched) the same in both; what remains is locality: the small trail's rows share one heap page
and stay cached, the big trail's 20 rows of a page sit on 20 pages of a table larger than the
cache. Measured on the shared 2-core machine (2026-11-25): 0.96 at 200k rows, 0.66 at 2M rows
(p95 15 ms vs 10 ms). ISP_BENCH_AUDIT_ROWS sets the size (default 10 million; seeding takes
minutes).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from typing import Any
from uuid import UUID

import asyncpg

from isp_common.pagination import PageRequest

from harness import BenchContext, BenchUnavailable
from isp_cli import infra
from isp_cli.services import service
from measure import Measurement

NAME = "audit_customer_trail"
UNIT = "req/s"
TARGET = 0.5
ROWS = int(os.environ.get("ISP_BENCH_AUDIT_ROWS", "10000000"))
ROWS_PER_CUSTOMER = 50
CHUNK = 1_000_000
CALLERS = 4

SEED_SQL = """
INSERT INTO audit.audit_logs (
    id, tenant_id, seq, category, action, description, customer_id, new_value, performed_by,
    occurred_at, created_at, prev_hash, hash
)
SELECT gen_random_uuid(), $1, g, 'customer', 'updated', 'Fields of a customer changed.',
       ($3::uuid[])[1 + (hashint % $4)], '{"status":"active"}', 'bench',
       timestamptz '2020-01-01' + g * interval '1 second',
       timestamptz '2020-01-01' + g * interval '1 second',
       repeat('0', 64), repeat('0', 64)
FROM generate_series($2::bigint, $5::bigint) AS g,
     LATERAL (SELECT abs(hashtext(g::text)) AS hashint) AS h
"""


async def _seed(owner_dsn: str, tenant: UUID, customers: list[UUID], first: int, last: int) -> None:
    conn = await asyncpg.connect(owner_dsn)
    try:
        for start in range(first, last + 1, CHUNK):
            end = min(start + CHUNK - 1, last)
            await conn.execute(SEED_SQL, tenant, start, customers, len(customers), end)
    finally:
        await conn.close()


async def _vacuum(owner_dsn: str) -> None:
    conn = await asyncpg.connect(owner_dsn)
    try:
        await conn.execute("VACUUM ANALYZE audit.audit_logs")
    finally:
        await conn.close()


async def _rate(
    runtime: Any, tenant: UUID, customers: list[UUID], seconds: float
) -> tuple[float, list[float]]:
    from isp_audit.domain.listing import AuditFilter
    from isp_audit.use_cases.read_trail import list_audit_logs

    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def caller() -> None:
        while time.perf_counter() < deadline:
            where = AuditFilter(customer_id=random.choice(customers))
            started = time.perf_counter()
            page = await runtime.run(tenant, list_audit_logs, where, PageRequest(1, 20))
            latencies.append(time.perf_counter() - started)
            assert page.total > 0 and page.items

    await asyncio.gather(*(caller() for _ in range(CALLERS)))
    return len(latencies) / seconds, latencies


def _p95_ms(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 2) if ordered else 0.0


async def run(ctx: BenchContext) -> Measurement:
    audit = service("audit")
    if audit.migrations_dir() is None:
        raise BenchUnavailable("isp_audit has no migrations")
    from isp_audit.bootstrap import build_runtime

    settings = ctx.settings(service_name="audit")
    await asyncio.to_thread(infra.migrate, settings, audit)  # it runs its own event loop

    big, small = uuid.uuid4(), uuid.uuid4()
    big_customers = [uuid.uuid4() for _ in range(max(1, ROWS // ROWS_PER_CUSTOMER))]
    small_customer = [uuid.uuid4()]
    seeding = time.perf_counter()
    await _seed(ctx.owner_dsn, big, big_customers, 1, ROWS)
    await _seed(ctx.owner_dsn, small, small_customer, 1, ROWS_PER_CUSTOMER)
    await _vacuum(ctx.owner_dsn)
    seed_seconds = time.perf_counter() - seeding

    runtime = build_runtime(settings)
    try:
        await _rate(runtime, big, big_customers, 1.0)  # warm-up: pool, caches
        await _rate(runtime, small, small_customer, 1.0)
        big_rates: list[float] = []
        small_rates: list[float] = []
        big_lat: list[float] = []
        small_lat: list[float] = []
        for _ in range(ctx.rounds):
            rate, lat = await _rate(runtime, big, big_customers, ctx.duration)
            big_rates.append(rate)
            big_lat += lat
            rate, lat = await _rate(runtime, small, small_customer, ctx.duration)
            small_rates.append(rate)
            small_lat += lat
    finally:
        await runtime.aclose()

    return Measurement(
        value=sum(big_rates) / len(big_rates),
        baseline=sum(small_rates) / len(small_rates),
        unit=UNIT,
        target=TARGET,
        what=(
            f"one customer's audit trail (count + first page) among {ROWS:,} rows vs the same "
            "query on a trail of that customer's rows alone"
        ),
        details={
            "rows": ROWS,
            "rows_per_customer": ROWS_PER_CUSTOMER,
            "callers": CALLERS,
            "seed_seconds": round(seed_seconds, 1),
            "big_p95_ms": _p95_ms(big_lat),
            "small_p95_ms": _p95_ms(small_lat),
            "big_rates": [round(r) for r in big_rates],
            "small_rates": [round(r) for r in small_rates],
        },
    )
