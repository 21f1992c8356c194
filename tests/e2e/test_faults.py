"""Faults with zero lost and zero doubled effects, counted.

Each test starts its own service processes (`python -m isp_<service> api|worker|all`) on a
database, an exchange, a queue prefix and ports of its own, drives them over HTTP, breaks
something in the middle (a consumer SIGKILLed, every broker connection closed, the router gone,
Postgres restarted), lets the system settle and then counts: every command the API acknowledged
(2xx) has exactly one downstream effect. "Lost" = an acknowledged command without its effect;
"doubled" = more than one. The session `platform` fixture is not used: its supervisor stops
everything when one process dies, which is precisely what these tests do on purpose.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import aio_pika
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from isp_common.auth import mint_token
from isp_common.messaging import topology
from isp_common.settings import SERVICE_PORTS, Settings
from isp_common.testing import create_migrated_database, drop_database

from isp_audit import MIGRATIONS as AUDIT_MIGRATIONS
from isp_billing import MIGRATIONS as BILLING_MIGRATIONS
from isp_customers import MIGRATIONS as CUSTOMERS_MIGRATIONS
from isp_mikrotik_agent import MIGRATIONS as AGENT_MIGRATIONS
from isp_network import MIGRATIONS as NETWORK_MIGRATIONS
from routeros_sim import SimulatedRouter

pytestmark = pytest.mark.integration

T = TypeVar("T")
READY_SECONDS = 60
SETTLE_SECONDS = 60
CONCURRENCY = 8
PLAN = {
    "name": "Fault 20M",
    "bandwidth_download": 20_000,
    "bandwidth_upload": 10_000,
    "monthly_price": "250000.00",
}
MIGRATIONS = {
    "customers": CUSTOMERS_MIGRATIONS,
    "billing": BILLING_MIGRATIONS,
    "network": NETWORK_MIGRATIONS,
    "audit": AUDIT_MIGRATIONS,
    "mikrotik_agent": AGENT_MIGRATIONS,
}


# ---- the stack: processes of our own on names of our own ------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    """One service process (`api`, `worker` or `all`), restartable on the same port."""

    name: str
    mode: str
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"\n==== start #{self.starts} ({self.mode}) ====\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    f"isp_{self.name.replace('-', '_')}",
                    self.mode,
                    "--port",
                    str(self.port),
                ],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: no graceful stop, no batch finished, no message acknowledged."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    async def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        async with httpx.AsyncClient(base_url=self.url, timeout=5) as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise AssertionError(f"{self.name} {self.mode} exited:\n{self.tail()}")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/readyz")).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise AssertionError(f"{self.name} {self.mode} never became ready:\n{self.tail()}")

    def tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no output)"


@dataclass
class Stack:
    label: str
    owner_url: str
    settings: Settings
    logs: Path
    tenant: UUID = field(default_factory=uuid.uuid4)
    ports: dict[str, int] = field(default_factory=dict)
    services: list[Service] = field(default_factory=list)
    _engine: AsyncEngine | None = None

    def env(self, service: str, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            ISP_SERVICE_NAME=service,
            ISP_DATABASE_URL=self.owner_url,
            ISP_AMQP_URL=self.settings.amqp_url,
            ISP_EVENTS_EXCHANGE=self.settings.events_exchange,
            ISP_QUEUE_PREFIX=self.settings.queue_prefix,
            ISP_SERVICE_URLS=json.dumps(
                {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}
            ),
            ISP_RELAY_POLL_SECONDS="0.2",
            # Postgres's connection slots are shared with every other test run on the machine.
            ISP_DB_POOL_SIZE="3",
            ISP_LOG_JSON="false",
            ISP_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    async def start(self, name: str, mode: str = "all", **extra: str) -> Service:
        """A service process; `api` takes the service's port (what the others call), a
        separate `worker` a port of its own for its health and metrics."""
        port = self.ports[name] if mode != "worker" else _free_port()
        service = Service(
            name, mode, port, self.env(name, **extra), self.logs / f"{name}-{mode}.log"
        )
        self.services.append(service)
        service.start()
        await service.wait_ready()
        return service

    async def start_all(self, *parts: tuple[str, str], **extra: str) -> list[Service]:
        """Several processes started together (each declares the whole topology, so whoever
        comes first makes the queues); ready when all are."""
        started = await asyncio.gather(*(self.start(name, mode, **extra) for name, mode in parts))
        return list(started)

    def client(self, name: str) -> httpx.AsyncClient:
        token = mint_token(self.settings, tenant_id=self.tenant, roles=("admin",), sub="e2e-faults")
        return httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{self.ports[name]}/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    @property
    def engine(self) -> AsyncEngine:
        """The owner's connection: it sees every tenant's rows (no RLS for the owner)."""
        if self._engine is None:
            self._engine = create_async_engine(self.owner_url, pool_pre_ping=True)
        return self._engine

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.engine.connect() as conn:
            return list((await conn.execute(text(sql), {"tenant": self.tenant, **params})).all())

    def logs_of_all(self) -> str:
        return "\n".join(f"--- {s.name} {s.mode}:\n{s.tail(25)}" for s in self.services)

    async def close(self) -> None:
        for service in reversed(self.services):
            service.stop()
        if self._engine is not None:
            await self._engine.dispose()
        await drop_database(make_url(self.owner_url).database or "")
        await _forget_broker_names(self.settings)


async def _forget_broker_names(settings: Settings) -> None:
    with contextlib.suppress(Exception):
        connection = await aio_pika.connect(settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            for spec in topology.PLATFORM_QUEUES:
                await channel.queue_delete(topology.queue_name(settings, spec))
                await channel.queue_delete(topology.dead_letter_name(settings, spec))
            await channel.exchange_delete(settings.events_exchange)


StackFactory = Callable[[str, Iterable[str]], Awaitable[Stack]]


@pytest.fixture()
async def make_stack(tmp_path: Path) -> AsyncIterator[StackFactory]:
    """`await make_stack(label, schemas)`: a migrated database and broker names for one test;
    everything it started is stopped and dropped at the end."""
    made: list[Stack] = []

    async def make(label: str, schemas: Iterable[str]) -> Stack:
        run = uuid.uuid4().hex[:8]
        owner_url = await asyncio.to_thread(
            create_migrated_database,
            f"faults_{label}_{run}",
            {schema: MIGRATIONS[schema] for schema in schemas},
        )
        settings = Settings(
            database_url=owner_url,
            events_exchange=f"isp.events.faults.{run}",
            queue_prefix=f"faults.{run}.",
        )
        logs = tmp_path / f"logs-{label}"
        logs.mkdir()
        stack = Stack(label, owner_url, settings, logs)
        stack.ports = {name: _free_port() for name in SERVICE_PORTS}
        made.append(stack)
        return stack

    yield make
    for stack in made:
        await stack.close()


# ---- driving and counting ----------------------------------------------------------------------


async def data(answer: httpx.Response, status: int = 200) -> Any:
    assert answer.status_code == status, (
        f"{answer.request.method} {answer.request.url}: {answer.text[:800]}"
    )
    return answer.json()["data"]


async def in_parallel(
    count: int, command: Callable[[int], Awaitable[T | None]], concurrency: int = CONCURRENCY
) -> list[T]:
    """Runs `command(0..count-1)` with `concurrency` in flight; returns the acknowledged results
    (a command answers None when the API did not acknowledge it)."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)
    done: list[T] = []

    async def lane() -> None:
        while not queue.empty():
            result = await command(queue.get_nowait())
            if result is not None:
                done.append(result)

    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return done


async def settle(
    count: Callable[[], Awaitable[T]], done: Callable[[T], bool], within: float = SETTLE_SECONDS
) -> T:
    """Polls `count` until `done` says so (then once more, a moment later), until the deadline,
    or until it stopped changing for half of it; returns the last count (the caller asserts)."""
    deadline = time.monotonic() + within
    last = await count()
    unchanged_since = time.monotonic()
    while not done(last) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = await count()
        if now != last:
            last, unchanged_since = now, time.monotonic()
        elif time.monotonic() - unchanged_since > within / 2:
            break
    if done(last):  # one more look: a late duplicate would show now
        await asyncio.sleep(1.5)
        last = await count()
    return last


def new_customer(i: int, plan_id: str, tag: str) -> dict[str, Any]:
    return {
        "full_name": f"Fault Subscriber {i}",
        "phone": f"+62812{i:07d}",
        "address": f"Jl. Uji No. {i}",
        "service_plan_id": plan_id,
        "pppoe_username": f"f{tag}-{i}",
        "pppoe_password": f"secret-{i}-pass",
    }


@dataclass
class Burst:
    """What a burst of commands left: the ids the API acknowledged, and why others were not."""

    acknowledged: list[str]
    refused: Counter[str]

    def __str__(self) -> str:
        return f"{len(self.acknowledged)} acknowledged, refused {dict(self.refused) or 'none'}"


async def create_customers(
    stack: Stack,
    plan_id: str,
    count: int,
    *,
    activate: bool,
    on_each: Callable[[int], Awaitable[None]] | None = None,
    pause_after_refusal: float = 0.0,
) -> Burst:
    """POST /customers (and /activate) `count` times. A command not acknowledged (an error
    while a fault is on) is not counted: it is only reported, with its status and code. A
    lane pauses after a refusal, so that a burst keeps flowing across an outage instead of
    spending itself on fast refusals."""
    tag = uuid.uuid4().hex[:6]
    answered = 0
    refused: Counter[str] = Counter()

    def refusal(answer: httpx.Response) -> None:
        try:
            code = answer.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = answer.text[:40]
        refused[f"{answer.request.method} {answer.status_code} {code}"] += 1

    async with stack.client("customers") as client:

        async def one(i: int) -> str | None:
            nonlocal answered
            try:
                created = await client.post("/customers", json=new_customer(i, plan_id, tag))
                if created.status_code != 201:
                    refusal(created)
                    return None
                cid = str(created.json()["data"]["id"])
                if activate:
                    activated = await client.post(f"/customers/{cid}/activate", json={})
                    if activated.status_code != 200:
                        refusal(activated)
                        return None
                return cid
            except httpx.TransportError as exc:
                refused[type(exc).__name__] += 1
                return None
            finally:
                answered += 1
                if on_each is not None:
                    await on_each(answered)

        async def paced(i: int) -> str | None:
            cid = await one(i)
            if cid is None and pause_after_refusal:
                await asyncio.sleep(pause_after_refusal)
            return cid

        return Burst(await in_parallel(count, paced), refused)


async def billing_counts(stack: Stack) -> dict[str, dict[str, int]]:
    accounts = await stack.rows(
        "SELECT customer_id::text, count(*) FROM billing.accounts WHERE tenant_id = :tenant "
        "GROUP BY customer_id"
    )
    invoices = await stack.rows(
        "SELECT customer_id::text, count(*) FROM billing.invoices WHERE tenant_id = :tenant "
        "AND kind = 'subscription' GROUP BY customer_id"
    )
    return {"accounts": dict(accounts), "invoices": dict(invoices)}


def covers(expected: Iterable[str], *effects: dict[str, int]) -> bool:
    """Every expected id has its effect in each of `effects` (settled, unless doubled later)."""
    return all(all(cid in found for cid in expected) for found in effects)


def lost_and_doubled(
    expected: Iterable[str], effects: dict[str, int]
) -> tuple[list[str], list[str]]:
    lost = [cid for cid in expected if effects.get(cid, 0) == 0]
    doubled = [cid for cid, n in effects.items() if n > 1]
    return lost, doubled


async def dead_letters(settings: Settings) -> dict[str, int]:
    """How many events each dead-letter queue holds (an event there is a lost effect)."""
    depths: dict[str, int] = {}
    with contextlib.suppress(Exception):
        connection = await aio_pika.connect(settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            for spec in topology.PLATFORM_QUEUES:
                name = topology.dead_letter_name(settings, spec)
                dead = await channel.declare_queue(name, passive=True)
                depths[spec.base_name] = dead.declaration_result.message_count or 0
    return {name: n for name, n in depths.items() if n}


async def assert_exactly_once(
    what: str, expected: list[str], effects: dict[str, int], stack: Stack
) -> None:
    lost, doubled = lost_and_doubled(expected, effects)
    if not lost and not doubled:
        return
    strangers = sorted(set(effects) - set(expected))
    raise AssertionError(
        f"{what}: {len(expected)} acknowledged, {sum(effects.values())} effects on "
        f"{len(effects)} ids; lost {len(lost)} {lost[:5]}, doubled {len(doubled)} {doubled[:5]}, "
        f"unacknowledged but applied {len(strangers)}; dead-lettered "
        f"{await dead_letters(stack.settings)}\n{stack.logs_of_all()}"
    )


async def billing_stack(
    make_stack: StackFactory, label: str, *, split_billing: bool, audit: bool = False
) -> tuple[Stack, Service | None, str]:
    """customers (all), billing (api + a separate worker, or all), and audit (all) if asked;
    returns the stack, billing's separate worker and the plan's id."""
    schemas = ["customers", "billing", *(["audit"] if audit else [])]
    stack = await make_stack(label, schemas)
    parts = [("billing", "api"), ("billing", "worker")] if split_billing else [("billing", "all")]
    audited = [("audit", "all")] if audit else []
    started = await stack.start_all(*parts, ("customers", "all"), *audited)
    worker = started[1] if split_billing else None
    async with stack.client("billing") as billing:
        plan = await data(await billing.post("/service-plans", json=PLAN), 201)
    return stack, worker, str(plan["id"])


# ---- 1. a consumer SIGKILLed mid-stream -------------------------------------------------------


async def test_a_consumer_killed_mid_stream_loses_and_doubles_nothing(
    make_stack: StackFactory,
) -> None:
    stack, worker, plan_id = await billing_stack(make_stack, "kill", split_billing=True)
    assert worker is not None
    total = 150
    killed = asyncio.Event()
    seen_before_kill: dict[str, int] = {}

    async def kill_when_flowing(commands: int) -> None:
        if commands == total // 3 and not killed.is_set():
            killed.set()
            counts = await billing_counts(stack)
            seen_before_kill.update(
                accounts=len(counts["accounts"]), invoices=len(counts["invoices"])
            )
            worker.kill()
            await asyncio.sleep(0.5)
            worker.start()  # comes back while commands still flow

    started = time.monotonic()
    burst = await create_customers(stack, plan_id, total, activate=True, on_each=kill_when_flowing)
    acknowledged = burst.acknowledged
    await worker.wait_ready()
    assert killed.is_set() and worker.starts == 2
    assert seen_before_kill["accounts"] > 0, "the kill came before any event was consumed"
    assert len(acknowledged) >= total * 0.95, f"too few acknowledged: {burst}"

    counts = await settle(
        lambda: billing_counts(stack),
        lambda c: covers(acknowledged, c["accounts"], c["invoices"]),
    )
    await assert_exactly_once("billing accounts", acknowledged, counts["accounts"], stack)
    await assert_exactly_once("first invoices", acknowledged, counts["invoices"], stack)
    print(
        f"\nkill: {burst} in {time.monotonic() - started:.1f}s; "
        f"SIGKILL at {seen_before_kill}; accounts {len(counts['accounts'])}, first invoices "
        f"{len(counts['invoices'])}"
    )


# ---- 2. every broker connection closed during a burst of 1,000 commands --------------------------


def close_all_broker_connections() -> str:
    ctl = shutil.which("rabbitmqctl")
    if ctl is None:
        pytest.skip("rabbitmqctl is not on this machine")
    done = subprocess.run(
        [ctl, "close_all_connections", "e2e fault"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


async def test_broker_connections_closed_during_a_burst_lose_and_double_nothing(
    make_stack: StackFactory,
) -> None:
    stack, _, plan_id = await billing_stack(make_stack, "amqp", split_billing=False, audit=True)
    total = 1_000
    closing: list[asyncio.Task[str]] = []

    async def close_when_flowing(commands: int) -> None:
        if commands in (total // 4, (total * 2) // 3):
            closing.append(asyncio.create_task(asyncio.to_thread(close_all_broker_connections)))

    started = time.monotonic()
    burst = await create_customers(
        stack, plan_id, total, activate=False, on_each=close_when_flowing
    )
    acknowledged = burst.acknowledged
    took = time.monotonic() - started
    await asyncio.gather(*closing)
    assert len(closing) == 2
    # The API does not need the broker (the outbox holds the events): a refusal here is a
    # database hiccup on a busy machine, reported, never counted as lost.
    assert len(acknowledged) >= total * 0.95, f"too few acknowledged: {burst}"

    async def counts() -> dict[str, dict[str, int]]:
        accounts = (await billing_counts(stack))["accounts"]
        audited = await stack.rows(
            "SELECT aggregate_id::text, count(*) FROM audit.audit_logs WHERE tenant_id = :tenant "
            "AND event_type = 'customers.customer.created' GROUP BY aggregate_id"
        )
        per_event = await stack.rows(
            "SELECT event_id::text, count(*) FROM audit.audit_logs WHERE tenant_id = :tenant "
            "AND event_id IS NOT NULL GROUP BY event_id HAVING count(*) > 1"
        )
        return {"accounts": accounts, "audited": dict(audited), "audit_doubles": dict(per_event)}

    found = await settle(counts, lambda c: covers(acknowledged, c["accounts"], c["audited"]))
    await assert_exactly_once("billing accounts", acknowledged, found["accounts"], stack)
    await assert_exactly_once(
        "audit rows of customer.created", acknowledged, found["audited"], stack
    )
    assert not found["audit_doubles"], f"audit rows doubled per event id: {found['audit_doubles']}"
    print(
        f"\namqp: {total} commands in {took:.1f}s ({burst}) with 2 close_all_connections; accounts "
        f"{len(found['accounts'])}, audit rows {sum(found['audited'].values())}; "
        f"settled at {time.monotonic() - started:.1f}s"
    )


async def show_customer(stack: Stack, cid: str) -> dict[str, Any]:
    """GET /customers/{id}, retried a few times: on a machine shared with other test runs a
    read can meet a transient error (Postgres out of connection slots), which is not what
    these tests count."""
    async with stack.client("customers") as customers:
        for _ in range(20):
            with contextlib.suppress(httpx.TransportError):
                shown = await customers.get(f"/customers/{cid}")
                if shown.status_code == 200:
                    return dict(shown.json()["data"])
            await asyncio.sleep(0.5)
        return dict(await data(await customers.get(f"/customers/{cid}")))


# ---- 3. the router gone during activations ------------------------------------------------------


async def test_the_agent_converges_after_the_router_was_down(make_stack: StackFactory) -> None:
    stack = await make_stack("router", ["customers", "billing", "network", "mikrotik_agent"])
    async with SimulatedRouter(user="admin", password="admin", tick_interval=None) as sim:
        await stack.start_all(
            ("billing", "all"),
            ("network", "all"),
            ("mikrotik-agent", "all"),
            ("customers", "all"),
            ISP_AGENT_POLL_SECONDS="0.5",
            ISP_AGENT_SCAN_SECONDS="0.5",
            ISP_AGENT_FULL_SYNC_SECONDS="20",
            ISP_AGENT_COMMAND_TIMEOUT_SECONDS="2",
        )
        async with stack.client("billing") as billing, stack.client("network") as network:
            plan = await data(await billing.post("/service-plans", json=PLAN), 201)
            await data(
                await network.post(
                    "/devices",
                    json={
                        "device_name": "fault router",
                        "device_type": "router",
                        "status": "online",
                        "ip_address": "127.0.0.1",
                        "mikrotik_username": "admin",
                        "mikrotik_password": "admin",
                        "mikrotik_port": sim.port,
                        "mikrotik_api_enabled": True,
                        "is_default_mikrotik": True,
                    },
                ),
                201,
            )
        total = 60
        downtime: dict[str, float] = {}

        async def router_down_while_activating(commands: int) -> None:
            if commands == total // 3:
                downtime["secrets_before"] = len(sim.router.items("/ppp/secret"))
                await sim.go_down()
                downtime["down_at"] = time.monotonic()
                await asyncio.sleep(4)
                await sim.come_up()
                downtime["up_at"] = time.monotonic()

        started = time.monotonic()
        burst = await create_customers(
            stack, str(plan["id"]), total, activate=True, on_each=router_down_while_activating
        )
        acknowledged = burst.acknowledged
        assert len(acknowledged) >= total * 0.95, f"too few acknowledged: {burst}"
        assert "up_at" in downtime
        wanted = {cid: await show_customer(stack, cid) for cid in acknowledged}
        logins = {c["pppoe_username"]: cid for cid, c in wanted.items()}
        queue_names = {c["customer_code"]: cid for cid, c in wanted.items()}

        def on_router() -> dict[str, dict[str, int]]:
            secrets: dict[str, int] = {}
            queues: dict[str, int] = {}
            for secret in sim.router.items("/ppp/secret"):
                cid = logins.get(secret.get("name", ""), "stranger:" + secret.get("name", ""))
                secrets[cid] = secrets.get(cid, 0) + 1
            for queue in sim.router.items("/queue/simple"):
                cid = queue_names.get(queue.get("name", ""), "stranger:" + queue.get("name", ""))
                queues[cid] = queues.get(cid, 0) + 1
            return {"secrets": secrets, "queues": queues}

        async def observed() -> dict[str, dict[str, int]]:
            return on_router()

        found = await settle(
            observed,
            lambda c: covers(acknowledged, c["secrets"], c["queues"]),
        )
        await assert_exactly_once(
            "PPP secrets on the router", acknowledged, found["secrets"], stack
        )
        await assert_exactly_once(
            "simple queues on the router", acknowledged, found["queues"], stack
        )

        async def provisioning() -> dict[str, int]:
            shown = [await show_customer(stack, cid) for cid in acknowledged]
            return {c["id"]: int(c["provisioning_status"] == "provisioned") for c in shown}

        reported = await settle(
            provisioning, lambda c: sum(c.values()) == len(acknowledged), within=30
        )
        unreported = [cid for cid, ok in reported.items() if not ok]
        assert not unreported, (
            f"{len(unreported)} of {len(acknowledged)} subscribers on the router but not "
            f"reported provisioned to customers: {unreported[:5]}\n{stack.logs_of_all()}"
        )
        print(
            f"\nrouter: {total} create+activate ({burst}), router down "
            f"{downtime['up_at'] - downtime['down_at']:.1f}s "
            f"after {downtime['secrets_before']:.0f} secrets; {len(found['secrets'])} secrets, "
            f"{len(found['queues'])} queues, converged at {time.monotonic() - started:.1f}s"
        )


# ---- 4. Postgres restarted under load ---------------------------------------------------------


def restart_postgres() -> None:
    versions = sorted(os.listdir("/etc/postgresql"))
    assert versions, "no cluster under /etc/postgresql"
    done = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def wait_for_postgres(within: float = 60) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        ready = subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432"],
            capture_output=True,
            check=False,
        )
        if ready.returncode == 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"Postgres was not back within {within:.0f}s")


@pytest.mark.skipif(
    os.environ.get("ISP_E2E_RESTART_POSTGRES") != "1",
    reason="restarts the machine's Postgres (kills every other connection): "
    "set ISP_E2E_RESTART_POSTGRES=1 to run it",
)
async def test_postgres_restarted_under_load_loses_and_doubles_nothing(
    make_stack: StackFactory,
) -> None:
    stack, _, plan_id = await billing_stack(make_stack, "restart", split_billing=False)
    total = 400
    restarts: list[asyncio.Task[None]] = []

    async def restart_when_flowing(commands: int) -> None:
        if commands == total // 3:
            restarts.append(asyncio.create_task(asyncio.to_thread(restart_postgres)))

    started = time.monotonic()
    try:
        burst = await create_customers(
            stack,
            plan_id,
            total,
            activate=True,
            on_each=restart_when_flowing,
            pause_after_refusal=0.25,
        )
        acknowledged = burst.acknowledged
        await asyncio.gather(*restarts)
    finally:
        await asyncio.to_thread(wait_for_postgres)
    assert len(restarts) == 1

    async def counts() -> dict[str, dict[str, int]]:
        try:
            return await billing_counts(stack)
        except Exception:  # the owner's pool may still hold a connection from before
            return {"accounts": {}, "invoices": {}}

    found = await settle(
        counts,
        lambda c: covers(acknowledged, c["accounts"], c["invoices"]),
    )
    await assert_exactly_once("billing accounts", acknowledged, found["accounts"], stack)
    await assert_exactly_once("first invoices", acknowledged, found["invoices"], stack)
    # Counted first; then that the services came back and took commands after the restart.
    assert len(acknowledged) >= total // 2, f"too few acknowledged: {burst}"
    print(
        f"\nrestart: {total} create+activate, {burst}; accounts {len(found['accounts'])}, "
        f"first invoices {len(found['invoices'])}; "
        f"settled at {time.monotonic() - started:.1f}s"
    )
