"""`billing_run_100k`: the billing run (POST /billing/runs' use case) for 100,000 active customers
of one tenant, each due one monthly invoice, against a plain `INSERT … SELECT` of the same number
of invoice rows in the same run.

The run is the service's own code on the service's role under RLS: it locks the tenant's invoice
counter, issues every due invoice and advances every account in one statement, recomputes the
100,000 accounts from the ledger and writes 100,000 `billing.account.updated` events to the outbox
in a second. The baseline is the floor of that work: one `INSERT … SELECT` of 100,000 rows into a
copy of the invoices table (same columns, indexes and JSON lines), with nothing computed. The
budget is absolute, < 5 s, so the target is the time; the baseline and the ratio are
reported beside it to show how far the run is from the bare insert.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from harness import BenchContext
from isp_cli import infra
from isp_cli.services import service
from measure import Measurement

NAME = "billing_run_100k"
UNIT = "s"
TARGET = 5.0
CUSTOMERS = 100_000

SEED_PLAN = """
INSERT INTO billing.service_plans (id, tenant_id, name, bandwidth_download, bandwidth_upload,
    monthly_price, is_active, version, created_at, updated_at)
VALUES ($1, $2, 'Bench 20M', 20000, 10000, 150000.00, true, 1, now(), now())
"""
SEED_ACCOUNTS = """
INSERT INTO billing.accounts (tenant_id, customer_id, customer_code, full_name, status,
    service_plan_id, customer_version, is_deleted, cycle_months, anchor_date, periods_billed,
    next_period_start, outstanding_balance, credit, is_overdue, version, created_at, updated_at)
SELECT $1, gen_random_uuid(), 'BENCH' || lpad(g::text, 6, '0'), 'Bench Customer ' || g, 'active',
       $2, 2, false, 1, $3::date, 0, $3::date, 0, 0, false, 0, now(), now()
FROM generate_series(1, $4::int) AS g
"""
BASELINE = """
INSERT INTO bench_invoices (id, tenant_id, invoice_number, customer_id, kind, source_key,
    period_start, period_end, issue_date, due_date, total, amount_paid, status, lines,
    created_at, updated_at)
SELECT gen_random_uuid(), $1, 'INV-' || lpad(g::text, 6, '0'), gen_random_uuid(), 'subscription',
       'period:' || $2::date, $2::date, $2::date + 30, $2::date, $2::date + 7, 150000.00, 0,
       'open', jsonb_build_array(jsonb_build_object('kind', 'subscription', 'amount', '150000.00')),
       now(), now()
FROM generate_series(1, $3::int) AS g
"""


async def run(ctx: BenchContext) -> Measurement:
    settings = ctx.settings(service_name="billing")
    # migrate_service runs its own event loop: off this one, on a thread.
    await asyncio.to_thread(infra.migrate, settings, service("billing"))
    tenant, plan = uuid.uuid4(), uuid.uuid4()
    today = datetime.now(UTC).date()
    conn = await asyncpg.connect(ctx.owner_dsn)
    try:
        async with conn.transaction():
            await conn.execute("select set_config('app.tenant_id', $1, true)", str(tenant))
            await conn.execute(SEED_PLAN, plan, tenant)
            await conn.execute(SEED_ACCOUNTS, tenant, plan, today - timedelta(days=1), CUSTOMERS)
        await conn.execute("ANALYZE billing.accounts")
        await conn.execute("CREATE TABLE bench_invoices (LIKE billing.invoices INCLUDING ALL)")
        started = time.perf_counter()
        await conn.execute(BASELINE, tenant, today, CUSTOMERS)
        baseline = time.perf_counter() - started
        await conn.execute("DROP TABLE bench_invoices")
    finally:
        await conn.close()

    from isp_billing.bootstrap import build_runtime
    from isp_billing.use_cases.billing_run import billing_run

    runtime = build_runtime(settings)
    try:
        started = time.perf_counter()
        result = await runtime.run(tenant, billing_run, today)
        seconds = time.perf_counter() - started
        again = await runtime.run(tenant, billing_run, today)
    finally:
        await runtime.aclose()
    if result.invoices_issued != CUSTOMERS or again.invoices_issued != 0:
        raise RuntimeError(f"issued {result.invoices_issued}, then {again.invoices_issued}")
    return Measurement(
        value=seconds,
        baseline=baseline,
        absolute=True,
        unit=UNIT,
        target=TARGET,
        what=(
            f"billing run issuing {CUSTOMERS:,} invoices (+ accounts, outbox events), seconds; "
            f"baseline plain INSERT…SELECT of as many rows {baseline:.2f} s"
        ),
        details={"baseline_seconds": round(baseline, 3), "ratio_to_baseline": seconds / baseline},
    )
