"""`customers_search_p95`: the p95 latency of GET /api/v1/customers?search=…&page=…&per_page=20
through the customers service, with 100,000 customers in each of three tenants.

The customers (`customers_search_data`) are written straight into the table as its owner
(set-based, generate_series) with Indonesian names, CUST-nnnnnn codes, 08xx phone numbers,
e-mails and PPPoE usernames, spread over about three years of created_at, plus their account
replicas; then ANALYZE. The load is a mix of what an operator types into the search box: name
fragments ("budi", "santoso", "dewi lest"), code prefixes ("CUST-0012", "CUST-09"), phone
fragments ("0812", "5678"), an e-mail local part, over pages 1-10 (mostly 1), in the default
order (newest first), across the three tenants, from CONNECTIONS keep-alive connections, one
per core of the 2-core machine (not ctx.connections: with 16 requests queued on one worker the
p95 would measure the queue, not the search).

The budget is a bound, p95 < 25 ms, so the measurement is absolute. The baseline,
measured in alternating rounds with the same requests, is the p95 of a bare FastAPI + asyncpg
endpoint (`bench/bare_search_app.py`, `python bench/bare_search_app.py --port P`) that sends
the same SQL the service sends - BEGIN with the tenant setting, the count, the page with its
read-model joins, COMMIT - as the same row-level-security role: what the search costs without
the service's auth, unit of work, SQLAlchemy and envelope. The gap between the two is the
service; the baseline itself is the database.

Where the time goes (EXPLAIN ANALYZE under the service role, 2026-11-25; the machine shared with
other work). The database, not the service: the bare endpoint's p95 is within 10-20 % of the
service's. Under forced row-level security Postgres may use an index only for LEAKPROOF
operators, and ILIKE (texticlike) is not one, so the trigram GIN index ix_customers_search is
never used: every search runs ILIKE over all 100k rows of the tenant, 110-250 ms for the count
alone (p95 ~800 ms with 4 connections, ~250 ms with one). Marking texticlike LEAKPROOF (its
errors depend on the pattern only, never on a row) brings rare terms to 1-4 ms; the count of a
broad term ("budi", "0812", 2.5-10k matches) then still rechecks every match on the heap,
8-14 ms warm, and the trigram index without tenant_id also hands it the other tenants' matches.
With both that and a (tenant_id, search_document) GIN index (btree_gin): p95 27 ms with one
connection, 53 ms with two, 120 ms with four, on a machine whose load was 4-5.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

from isp_common.auth import Role, mint_token

from customers_search_data import seed
from harness import (
    BENCH_DIR,
    BenchContext,
    BenchUnavailable,
    free_port,
    plain_dsn,
    python,
    server,
    server_env,
)
from http_load import LatencyResult, http_latencies, percentile
from isp_cli.services import service
from measure import Measurement

NAME = "customers_search_p95"
UNIT = "ms"
TARGET = 25.0
TENANTS = 3
CUSTOMERS_PER_TENANT = 100_000
CONNECTIONS = 2
PER_PAGE = 20
WARMUP_SECONDS = 2.0

# What the operators type: name fragments, code prefixes, phone fragments, an e-mail domain.
SEARCH_TERMS = (
    "budi",
    "siti",
    "santoso",
    "wijaya",
    "hartono",
    "nugr",
    "dewi lest",
    "agus sap",
    "CUST-0012",
    "CUST-09",
    "CUST-04567",
    "0812",
    "0857",
    "5678",
    "81234",
    "rina.hid",
)
PAGES = (1, 1, 1, 1, 2, 2, 3, 5, 10)


def search_paths() -> list[str]:
    return [
        "/api/v1/customers?"
        + urllib.parse.urlencode({"search": term, "page": page, "per_page": PER_PAGE})
        for term in SEARCH_TERMS
        for page in PAGES
    ]


def _get_json(port: int, path: str, headers: dict[str, str]) -> Any:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f":{port}{path} answered {exc.code}: {exc.read()[:500]!r}") from None


def match_counts(port: int, auth: dict[str, str]) -> dict[str, int]:
    """How many customers each term finds in one tenant (and a check that the service answers)."""
    counts: dict[str, int] = {}
    for term in SEARCH_TERMS:
        query = urllib.parse.urlencode({"search": term, "per_page": PER_PAGE})
        body = _get_json(port, f"/api/v1/customers?{query}", auth)
        if not body.get("success"):
            raise RuntimeError(f"service answered without success: {body}")
        counts[term] = int(body["meta"]["total"])
    return counts


async def run(ctx: BenchContext) -> Measurement:
    if not service("customers").runnable():
        raise BenchUnavailable("isp_customers has no __main__ yet (python -m isp_customers api)")
    settings = ctx.settings()
    tenants = [uuid.uuid4() for _ in range(TENANTS)]
    await seed(ctx.owner_dsn, tenants, CUSTOMERS_PER_TENANT)
    paths = search_paths()
    service_requests: list[tuple[str, dict[str, str]]] = []
    bare_requests: list[tuple[str, dict[str, str]]] = []
    for tenant in tenants:
        token = mint_token(settings, tenant_id=tenant, roles=[Role.ADMIN], sub="bench")
        service_requests += [(path, {"Authorization": f"Bearer {token}"}) for path in paths]
        bare_requests += [(path, {"X-Tenant": str(tenant)}) for path in paths]

    service_port, bare_port = free_port(), free_port()
    service_argv = [python(), "-m", service("customers").package, "api"]
    service_env = server_env(
        ISP_DATABASE_URL=ctx.owner_url,
        ISP_SERVICE_NAME="customers",
        ISP_LOG_LEVEL="WARNING",
        ISP_JWT_SECRET=settings.jwt_secret,
        ISP_DB_POOL_SIZE=str(settings.db_pool_size),
    )
    bare_argv = [python(), str(BENCH_DIR / "bare_search_app.py"), "--port", str(bare_port)]
    bare_env = server_env(
        BENCH_DSN=plain_dsn(settings.service_dsn), BENCH_POOL_SIZE=str(settings.db_pool_size)
    )
    with (
        server(
            "customers-search",
            [*service_argv, "--port", str(service_port)],
            service_port,
            service_env,
        ),
        server("bare-search", bare_argv, bare_port, bare_env),
    ):
        counts = match_counts(service_port, service_requests[0][1])
        bare_first = _get_json(bare_port, *bare_requests[0])
        if bare_first["meta"]["total"] != counts[SEARCH_TERMS[0]]:
            raise RuntimeError(f"bare and service disagree: {bare_first['meta']} vs {counts}")
        targets = {"service": (service_port, service_requests), "bare": (bare_port, bare_requests)}
        for port, requests in targets.values():
            await http_latencies(port, requests, seconds=WARMUP_SECONDS, connections=CONNECTIONS)
        rounds: dict[str, list[LatencyResult]] = {who: [] for who in targets}
        for _ in range(ctx.rounds):
            for who, (port, requests) in targets.items():
                result = await http_latencies(
                    port, requests, seconds=ctx.duration, connections=CONNECTIONS
                )
                if result.errors:
                    raise RuntimeError(f"{who}: {result.errors} errors, first {result.first_error}")
                rounds[who].append(result)

    pooled = {who: [t for r in results for t in r.latencies] for who, results in rounds.items()}
    value = percentile(pooled["service"], 0.95) * 1000
    baseline = percentile(pooled["bare"], 0.95) * 1000
    return Measurement(
        value=value,
        baseline=baseline,
        unit=UNIT,
        target=TARGET,
        what=(
            f"p95 of GET /api/v1/customers?search=&page= at {CUSTOMERS_PER_TENANT:,} customers "
            f"per tenant vs a bare FastAPI + asyncpg endpoint sending the same SQL"
        ),
        absolute=True,
        details={
            "tenants": TENANTS,
            "customers_per_tenant": CUSTOMERS_PER_TENANT,
            "connections": CONNECTIONS,
            "seconds_per_round": ctx.duration,
            "rounds": ctx.rounds,
            "requests": len(pooled["service"]),
            "service_p50_ms": round(percentile(pooled["service"], 0.5) * 1000, 2),
            "service_p99_ms": round(percentile(pooled["service"], 0.99) * 1000, 2),
            "service_round_p95_ms": [round(r.percentile_ms(0.95), 2) for r in rounds["service"]],
            "service_rate": round(sum(r.rate for r in rounds["service"]) / ctx.rounds),
            "bare_p50_ms": round(percentile(pooled["bare"], 0.5) * 1000, 2),
            "bare_round_p95_ms": [round(r.percentile_ms(0.95), 2) for r in rounds["bare"]],
            "matches_per_term": counts,
        },
    )
