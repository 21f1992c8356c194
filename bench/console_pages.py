"""`console_pages_p95`: the p95 time of every console and portal page, the API calls it makes
included, with 100,000 customers in the tenant; and `console_pages_transfer`, the most any page
transfers (its HTML and the assets it loads).

The whole platform runs as `isp up` runs it (every service, the gateway, the demo tenant and its
data) on a database, an exchange and ports of its own, so the shared development platform is
not touched; 100,000 customers are then written straight into the demo tenant
(`customers_search_data`, codes BN-nnnnnn) and ANALYZEd. One console process (a single uvicorn
worker, as deployed) speaks to that gateway. The bench logs in through the console's own login
forms, as the demo admin and the demo subscriber, and asks for each page from one keep-alive
connection, one request after another (one person's page views; the time is from sending the
request to reading the last byte of the answer, on loopback), in alternating rounds over the
pages, each round with a fresh login so that no token expires mid-round.

The budget is a bound: p95 < 150 ms for every page, so the value is the worst page's p95 and
the measurement is absolute. The baseline, measured in the same rounds, is the console's login
page: a template rendered with no API call, what the console costs before it asks the platform
anything. A page that is not there yet (404) is listed as missing, not measured. Where a page's
time goes is read from the gateway's access log of the run: the p95 of each API call the pages
made (`slowest_api_calls`), and the console's own `Server-Timing` header.

Transfer: each page's HTML plus every script, stylesheet and image it references (htmx,
uPlot and Leaflet counted once per page, as a first visit loads them), uncompressed; the
budget is 300 KB for each page.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import asyncpg
import httpx
from sqlalchemy.engine import make_url

import customers_search_data
from harness import (
    ROOT,
    BenchContext,
    BenchUnavailable,
    drop_database,
    free_port,
    plain_dsn,
    python,
    server,
    server_env,
)
from http_load import http_latencies, percentile
from isp_cli.gateway import find_nginx
from measure import Measurement

NAME = "console_pages_p95"
TRANSFER_NAME = "console_pages_transfer"
UNIT = "ms"
TARGET = 150.0
TRANSFER_TARGET_KB = 300.0
CUSTOMERS = 100_000
PORT_OFFSET = 2600  # gateway on 10680: clear of `isp up` (0) and the e2e tests (1500)
STARTUP_SECONDS = 300
WARMUP_SECONDS = 1.0

# (label, area, path); {customer} and {invoice} are the demo tenant's. The billing overview is
# the list of invoices.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("dashboard", "console", "/console/"),
    ("customers", "console", "/console/customers"),
    ("customer search", "console", "/console/customers?search=budi+santoso"),
    ("customer page", "console", "/console/customers/{customer}"),
    ("plans", "console", "/console/plans"),
    ("billing", "console", "/console/billing"),
    ("invoice page", "console", "/console/billing/invoices/{invoice}"),
    ("revenue", "console", "/console/billing/revenue"),
    ("network tree", "console", "/console/network"),
    ("routers", "console", "/console/routers"),
    ("tickets queue", "console", "/console/tickets"),
    ("boosts", "console", "/console/boosts"),
    ("audit", "console", "/console/audit"),
    ("staff users", "console", "/console/users"),
    ("portal account", "portal", "/portal/"),
    ("portal invoices", "portal", "/portal/invoices"),
)
BASELINE = ("login page", "console", "/console/login")
ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.I)
UUID_IN_PATH = re.compile(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Platform:
    gateway_url: str
    state_dir: Path
    database_url: str

    @property
    def tenant(self) -> uuid.UUID:
        return uuid.UUID((self.state_dir / "demo-tenant").read_text().strip())

    @property
    def access_log(self) -> Path:
        return self.state_dir / "gateway" / "access.log"

    def logins(self) -> dict[str, str]:
        data: dict[str, str] = json.loads((self.state_dir / "demo-logins.json").read_text())
        return data


@contextlib.contextmanager
def platform(database_url: str) -> Iterator[Platform]:
    """`isp up` on `database_url` and an exchange and ports of its own; stopped after (the
    caller drops the database)."""
    run = uuid.uuid4().hex[:8]
    state_dir = Path(tempfile.mkdtemp(prefix="isp-bench-console-"))
    state_dir.chmod(0o755)
    env = server_env(
        ISP_DATABASE_URL=database_url,
        ISP_EVENTS_EXCHANGE=f"isp.events.bench.{run}",
        ISP_QUEUE_PREFIX=f"bench.{run}.",
        ISP_LOG_JSON="false",
        ISP_LOG_LEVEL="WARNING",
        ISP_DB_POOL_SIZE="4",
        ISP_GATEWAY_TOKEN_RATE_PER_MINUTE="6000",
        ISP_GATEWAY_TOKEN_BURST="1000",
    )
    argv = [python(), "-m", "isp_cli", "up", "--port-offset", str(PORT_OFFSET)]
    log_path = ROOT / "bench" / ".console-platform.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*argv, "--state-dir", str(state_dir)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while "Press Ctrl-C to stop." not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"`isp up` did not bring the platform up:\n{tail}")
            time.sleep(1)
        yield Platform(f"http://127.0.0.1:{8080 + PORT_OFFSET}", state_dir, database_url)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(state_dir, ignore_errors=True)


# The customers of `customers_search_data`, under codes of their own (BN-nnnnnn) so that they
# never meet the codes the service gave the demo's customers, and accounts for them only.
SEED_SQL = customers_search_data.SEED_SQL.replace("'CUST-'", "'BN-'")
ACCOUNTS_SQL = customers_search_data.ACCOUNTS_SQL.replace(
    "WHERE tenant_id = $1", "WHERE tenant_id = $1 AND customer_code LIKE 'BN-%'"
)


async def seed_customers(found: Platform) -> None:
    conn = await asyncpg.connect(plain_dsn(found.database_url))
    try:
        async with conn.transaction():
            await conn.execute("select set_config('app.tenant_id', $1, true)", str(found.tenant))
            await conn.execute(SEED_SQL, found.tenant, CUSTOMERS, 0)
            await conn.execute(ACCOUNTS_SQL, found.tenant)
        await conn.execute("VACUUM ANALYZE customers.customers")
        await conn.execute("VACUUM ANALYZE customers.accounts")
    finally:
        await conn.close()


def log_in(console: str, area: str, username: str, password: str) -> str:
    """The session cookie's header after logging in through the console's own form."""
    with httpx.Client(base_url=console, timeout=30) as client:
        form = client.get(f"/{area}/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        if token is None:
            raise RuntimeError(f"/{area}/login has no CSRF field: {form.status_code}")
        answer = client.post(
            f"/{area}/login",
            data={
                "tenant": "demo",
                "username": username,
                "password": password,
                "csrf_token": token.group(1),
            },
        )
        if answer.status_code != 303:
            raise RuntimeError(f"/{area}/login answered {answer.status_code}: {answer.text[:300]}")
        cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        return cookies


def sessions(console: str, found: Platform) -> dict[str, dict[str, str]]:
    logins = found.logins()
    return {
        "console": {"Cookie": log_in(console, "console", "admin@demo.isp.local", logins["admin"])},
        "portal": {"Cookie": log_in(console, "portal", "siti", logins["subscriber"])},
    }


def demo_ids(found: Platform) -> dict[str, str]:
    """An invoice of the demo data and its customer (one the demo made through the API, so
    every service knows it, unlike the customers written straight into the table)."""
    token = (found.state_dir / "admin-token").read_text().strip()
    answer = httpx.get(
        f"{found.gateway_url}/api/v1/invoices",
        params={"per_page": 1},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    answer.raise_for_status()
    invoices = answer.json()["data"]
    if not invoices:
        raise RuntimeError("the demo data has no invoice")
    return {"invoice": str(invoices[0]["id"]), "customer": str(invoices[0]["customer_id"])}


def transfer_bytes(console: str, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """(bytes of the page's HTML, bytes of the HTML and every asset it references)."""
    with httpx.Client(base_url=console, headers=headers, timeout=30) as client:
        html = client.get(path)
        total = len(html.content)
        for asset in sorted(set(ASSET.findall(html.text))):
            if asset.startswith(("http:", "https:", "data:", "#")) or asset.endswith("/"):
                continue
            answer = client.get(urljoin(path, asset))
            if answer.status_code == 200:
                total += len(answer.content)
        return len(html.content), total


def status_of(console: str, path: str, headers: dict[str, str]) -> int:
    return httpx.get(f"{console}{path}", headers=headers, timeout=30).status_code


def server_timing_ms(console: str, path: str, headers: dict[str, str]) -> float | None:
    answer = httpx.get(f"{console}{path}", headers=headers, timeout=30)
    found = re.search(r"app;dur=([0-9.]+)", answer.headers.get("server-timing", ""))
    return float(found.group(1)) if found else None


def slowest_api_calls(access_log: Path, since: str, count: int = 6) -> dict[str, float]:
    """p95 of each API call the console made during the measurement (ms), the slowest first."""
    times: dict[str, list[float]] = defaultdict(list)
    if not access_log.is_file():
        return {}
    for line in access_log.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError, KeyError):
            entry = json.loads(line)
            if entry["time"] < since:
                continue
            uri = UUID_IN_PATH.sub("/{id}", entry["uri"].split("?", 1)[0])
            times[f"{entry['method']} {uri}"].append(float(entry["request_time"]) * 1000)
    p95 = {call: percentile(samples, 0.95) for call, samples in times.items()}
    return dict(sorted(p95.items(), key=lambda item: -item[1])[:count])


async def run(ctx: BenchContext) -> Measurement:
    if find_nginx() is None:
        raise BenchUnavailable("nginx is not installed (apt-get install nginx)")
    database_url = (
        make_url(ctx.owner_url)
        .set(database=f"isp_bench_console_{uuid.uuid4().hex[:8]}")
        .render_as_string(hide_password=False)
    )
    try:
        with platform(database_url) as found:
            await seed_customers(found)
            return await measure(ctx, found)
    finally:
        await drop_database(database_url)


async def measure(ctx: BenchContext, found: Platform) -> Measurement:
    port = free_port()
    console = f"http://127.0.0.1:{port}"
    env = server_env(
        ISP_CONSOLE_API_URL=found.gateway_url,
        ISP_CONSOLE_COOKIE_SECURE="false",
        ISP_LOG_LEVEL="WARNING",
    )
    argv = [python(), "-m", "isp_console", "api", "--port", str(port)]
    with server("console", argv, port, env):
        auth = sessions(console, found)
        ids = demo_ids(found)
        pages = [(label, area, path.format(**ids)) for label, area, path in PAGES]
        present: list[tuple[str, str, str, int]] = []
        missing: list[tuple[str, str, str, int]] = []
        for label, area, path in pages:
            status = status_of(console, path, auth[area])
            (present if status == 200 else missing).append((label, area, path, status))
        if not present:
            raise BenchUnavailable("no console page answers 200 yet")
        since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        samples: dict[str, list[float]] = defaultdict(list)
        for _ in range(ctx.rounds):
            auth = sessions(console, found)
            for label, area, path, _status in [(*BASELINE, 200), *present]:
                requests = [(path, auth[area] if label != BASELINE[0] else {})]
                await http_latencies(port, requests, seconds=WARMUP_SECONDS, connections=1)
                result = await http_latencies(port, requests, seconds=ctx.duration, connections=1)
                if result.errors:
                    raise RuntimeError(f"{label}: {result.errors} errors, {result.first_error}")
                samples[label] += result.latencies
        p95 = {label: percentile(samples[label], 0.95) * 1000 for label, *_ in present}
        timing = {
            label: server_timing_ms(console, path, auth[area]) for label, area, path, _ in present
        }
        sizes = {
            label: transfer_bytes(console, path, auth[area]) for label, area, path, _ in present
        }
    baseline = percentile(samples[BASELINE[0]], 0.95) * 1000
    worst = max(p95, key=lambda label: p95[label])
    largest = max(sizes, key=lambda label: sizes[label][1])
    ALSO_MEASURED[TRANSFER_NAME] = Measurement(
        value=sizes[largest][1] / 1024,
        baseline=None,
        unit="KB",
        target=TRANSFER_TARGET_KB,
        what="the most any console or portal page transfers: its HTML and every asset it loads",
        absolute=True,
        details={
            "largest": largest,
            "pages_kb": {label: round(total / 1024, 1) for label, (_, total) in sizes.items()},
            "html_kb": {label: round(html / 1024, 1) for label, (html, _) in sizes.items()},
        },
    )
    TABLE.clear()
    TABLE.extend(
        (label, p95[label], timing[label], sizes[label][0], sizes[label][1])
        for label, *_ in present
    )
    return Measurement(
        value=p95[worst],
        baseline=baseline,
        unit=UNIT,
        target=TARGET,
        what=(
            f"p95 of the slowest console or portal page at {CUSTOMERS:,} customers vs the "
            "console's login page (no API call)"
        ),
        absolute=True,
        details={
            "customers": CUSTOMERS,
            "seconds_per_page_and_round": ctx.duration,
            "rounds": ctx.rounds,
            "slowest_page": worst,
            "pages_p95_ms": {label: round(value, 1) for label, value in p95.items()},
            "missing_pages": {
                label: f"{path} answered {status}" for label, _, path, status in missing
            },
            "slowest_api_calls_p95_ms": {
                call: round(ms, 1)
                for call, ms in slowest_api_calls(found.access_log, since).items()
            },
        },
    )


# What run.py also records from this run (the transfer budget), and the per-page table.
ALSO_MEASURED: dict[str, Measurement] = {}
TABLE: list[tuple[str, float, float | None, int, int]] = []


def doc_lines() -> list[str]:
    """The per-page table of docs/performance.md's section on this bench."""
    if not TABLE:
        return []
    lines = [
        "| page | p95 (ms) | Server-Timing (ms, one request) | HTML (KB) | with assets (KB) |",
        "|---|---|---|---|---|",
    ]
    for label, p95, timing, html, total in TABLE:
        shown = "-" if timing is None else f"{timing:.1f}"
        lines.append(f"| {label} | {p95:.1f} | {shown} | {html / 1024:.1f} | {total / 1024:.1f} |")
    return [*lines, ""]
