"""`customers_get_by_id`: GET /api/v1/customers/{id} through the customers service (auth, RLS,
unit of work, envelope) against a bare FastAPI + asyncpg primary-key endpoint on the same table.

Both run as a single uvicorn worker in their own process, on the same 10k seeded customers, and
take the same load: a few keep-alive connections asking for random ids for a fixed time, the
two measured in alternating rounds. Target: the service serves at least half the bare rate.

Where the time goes (py-spy on the service under this load, 2026-11-25). The bare endpoint
makes one round trip to Postgres; the service makes three, because row-level security needs
`app.tenant_id` set inside the transaction that reads: "BEGIN; set_config" (one simple
query), the SELECT, COMMIT. Each round trip costs about 0.11 ms of the two cores here. What
the profile showed and what was done about it, in order of effect: a plain `def` dependency
ran on a thread per request (now `async def`: +20 %); the unit of work sent BEGIN, set_config,
the query, COMMIT and a pool pre-ping separately (folded to three round trips: +50 %); the
statement was rebuilt per call, so SQLAlchemy derived its cache key each time (built once with
`bindparam`: +25 %); the JWT signature was checked on every request (verified tokens are
remembered until they expire); FastAPI validated the response model again after the presenter
had (the envelope is serialised by pydantic directly). From 0.16 to 0.43-0.48 of the bare
rate, noisy on this shared machine. What remains is the two extra round trips (about a fifth
of a request), SQLAlchemy Core's execution path (about a tenth) and FastAPI's dependency
resolution (about a tenth). The remaining step to 0.5 would be setting the tenant per session
instead of per transaction (two round trips), which leaves a tenant id on pooled connections
between requests; that trade is not taken. uvloop and httptools raise both rates (1,127 vs
3,416 req/s) and lower the ratio to 0.33, since the fixed costs they remove are a larger share
of the bare endpoint.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from isp_common.auth import Role, mint_token
from isp_common.settings import Settings

from harness import (
    BENCH_DIR,
    BenchContext,
    BenchUnavailable,
    free_port,
    python,
    server,
    server_env,
)
from http_load import alternating_rounds
from isp_cli.services import service
from measure import Measurement

NAME = "customers_get_by_id"
UNIT = "req/s"
TARGET = 0.5
CUSTOMERS = 10_000
WARMUP_SECONDS = 1.5

SEED_SQL = """
INSERT INTO customers.customers (
    id, tenant_id, customer_code, full_name, phone, email, address, city, status,
    pppoe_username, version, created_at, updated_at
)
SELECT gen_random_uuid(), $1, 'BENCH' || lpad(g::text, 6, '0'), 'Bench Customer ' || g,
       '+6281' || lpad(g::text, 9, '0'), 'bench' || g || '@example.net',
       'Jl. Benchmark No. ' || g, 'Bandung', 'pending_activation',
       'bench' || g, 1, now(), now()
FROM generate_series(1, $2::int) AS g
RETURNING id
"""


async def seed(owner_dsn: str, tenant: UUID, count: int) -> list[UUID]:
    """Customers written directly as the owner (fast; the API is what is measured, not here)."""
    conn = await asyncpg.connect(owner_dsn)
    try:
        async with conn.transaction():
            await conn.execute("select set_config('app.tenant_id', $1, true)", str(tenant))
            rows = await conn.fetch(SEED_SQL, tenant, count)
        await conn.execute("ANALYZE customers.customers")
    finally:
        await conn.close()
    return [row["id"] for row in rows]


def _check_answer(port: int, path: str, headers: dict[str, str], who: str) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{who} answered {exc.code}: {exc.read()[:500]!r}") from None
    if who == "service" and not body.get("success"):
        raise RuntimeError(f"service answered without success: {body}")


@dataclass(frozen=True)
class CustomersUnderLoad:
    """Seeded customers of one tenant, an admin token for them, and the paths to ask for."""

    settings: Settings
    paths: list[str]
    auth: dict[str, str]

    def service(self, ctx: BenchContext, port: int) -> tuple[list[str], dict[str, str]]:
        """The customers service's API process (argv, environment) on `port`."""
        argv = [python(), "-m", service("customers").package, "api", "--port", str(port)]
        env = server_env(
            ISP_DATABASE_URL=ctx.owner_url,
            ISP_SERVICE_NAME="customers",
            ISP_LOG_LEVEL="WARNING",
            ISP_JWT_SECRET=self.settings.jwt_secret,
            ISP_DB_POOL_SIZE=str(self.settings.db_pool_size),
        )
        return argv, env


async def customers_under_load(ctx: BenchContext) -> CustomersUnderLoad:
    if not service("customers").runnable():
        raise BenchUnavailable("isp_customers has no __main__ yet (python -m isp_customers api)")
    settings = ctx.settings()
    tenant = uuid.uuid4()
    ids = await seed(ctx.owner_dsn, tenant, CUSTOMERS)
    token = mint_token(settings, tenant_id=tenant, roles=[Role.ADMIN], sub="bench")
    return CustomersUnderLoad(
        settings,
        [f"/api/v1/customers/{customer_id}" for customer_id in ids],
        {"Authorization": f"Bearer {token}"},
    )


async def run(ctx: BenchContext) -> Measurement:
    load = await customers_under_load(ctx)
    service_port, bare_port = free_port(), free_port()
    service_argv, service_env = load.service(ctx, service_port)
    bare_env = server_env(BENCH_DSN=ctx.owner_dsn, BENCH_POOL_SIZE=str(load.settings.db_pool_size))
    bare_argv = [python(), str(BENCH_DIR / "bare_app.py"), "--port", str(bare_port)]
    with (
        server("customers-service", service_argv, service_port, service_env),
        server("bare-fastapi", bare_argv, bare_port, bare_env),
    ):
        _check_answer(service_port, load.paths[0], load.auth, "service")
        _check_answer(bare_port, load.paths[0], {}, "bare")
        rates = await alternating_rounds(
            ctx,
            {"service": (service_port, load.auth), "bare": (bare_port, {})},
            load.paths,
            warmup_seconds=WARMUP_SECONDS,
        )

    value = sum(rates["service"]) / len(rates["service"])
    baseline = sum(rates["bare"]) / len(rates["bare"])
    return Measurement(
        value=value,
        baseline=baseline,
        unit=UNIT,
        target=TARGET,
        what=(
            "GET /api/v1/customers/{id} through the customers service vs a bare FastAPI + "
            "asyncpg primary-key endpoint on the same table"
        ),
        details={
            "customers": CUSTOMERS,
            "connections": ctx.connections,
            "seconds_per_round": ctx.duration,
            "rounds": ctx.rounds,
            "service_rates": [round(r) for r in rates["service"]],
            "bare_rates": [round(r) for r in rates["bare"]],
        },
    )
