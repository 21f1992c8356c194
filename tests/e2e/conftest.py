"""The whole platform as `make up` runs it: every service in its own process (`all` mode), the
RouterOS simulator and the nginx gateway, started once per test session by `isp up` on a
database, an exchange and ports of their own. Tests speak HTTP to the gateway only, read the
simulated router over the RouterOS API, and wait for the platform's asynchronous effects.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import aio_pika
import httpx
import librouteros
import pytest
from sqlalchemy.engine import make_url

from isp_common.auth import mint_token
from isp_common.messaging import topology
from isp_common.settings import Settings
from isp_common.testing import drop_database, owner_base_url

from isp_cli.gateway import find_nginx
from isp_cli.services import installed_services

PLATFORM_TENANT = UUID(int=0)  # identity's own tenant: the one a platform_admin token names
PORT_OFFSET = 1500  # gateway on 9580, customers on 9501, simulator on 10228
STARTUP_SECONDS = 240
ISP_UP = (sys.executable, "-m", "isp_cli", "up")
T = TypeVar("T")

pytestmark = pytest.mark.integration


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.integration)


@dataclass
class Platform:
    settings: Settings
    gateway_url: str
    simulator_port: int
    state_dir: Path  # `isp up --state-dir`: the demo tenant, its admin token and logins
    output: list[str] = field(default_factory=list)

    def service_url(self, name: str) -> str:
        """A service straight, past the gateway (as `isp up` itself calls them)."""
        port = next(spec.port for spec in installed_services() if spec.name == name)
        return f"http://127.0.0.1:{port + PORT_OFFSET}"

    def token(self, tenant: UUID, *roles: str, customer_id: UUID | None = None) -> str:
        return mint_token(
            self.settings,
            tenant_id=tenant,
            roles=roles or ("admin",),
            sub=f"e2e-{roles[0] if roles else 'admin'}",
            customer_id=customer_id,
        )

    def client(
        self, tenant: UUID, *roles: str, customer_id: UUID | None = None
    ) -> httpx.AsyncClient:
        token = self.token(tenant, *roles, customer_id=customer_id)
        return httpx.AsyncClient(
            base_url=f"{self.gateway_url}/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def operator_client(self) -> httpx.AsyncClient:
        """The platform operator (creates tenants in identity): a platform_admin token, as
        `isp token --roles platform_admin` makes it, naming identity's platform tenant."""
        token = mint_token(
            self.settings, tenant_id=PLATFORM_TENANT, roles=("platform_admin",), sub="e2e-operator"
        )
        return httpx.AsyncClient(
            base_url=f"{self.gateway_url}/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def router(self) -> Any:
        """A RouterOS API session on the simulated router (librouteros, as an operator's
        script would read it)."""
        return librouteros.connect(
            "127.0.0.1", username="admin", password="admin", port=self.simulator_port
        )

    def logs(self) -> str:
        return "\n".join(self.output[-300:])


def _platform_env(database_url: str, run: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ISP_DATABASE_URL=database_url,
        ISP_EVENTS_EXCHANGE=f"isp.events.e2e.{run}",
        ISP_QUEUE_PREFIX=f"e2e.{run}.",
        ISP_LOG_JSON="false",
        ISP_LOG_LEVEL="WARNING",
        # Seven services share Postgres with the rest of the test session (every service's
        # fixtures, the fault tests' own processes): with 2, each holds at most 2 x 2 + its
        # relay's LISTEN connection, so the whole session fits a default max_connections (100).
        ISP_DB_POOL_SIZE="2",
        # Every test logs in from 127.0.0.1: the gateway's per-address limit on the token
        # endpoint (tests/gateway shows it) must not stand in for identity's own lockout.
        ISP_GATEWAY_TOKEN_RATE_PER_MINUTE="6000",
        ISP_GATEWAY_TOKEN_BURST="1000",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    if find_nginx() is None:
        pytest.fail("the end-to-end tests need nginx (.ci/run installs it; apt-get install nginx)")
    if not all(spec.runnable() for spec in installed_services()):
        pytest.fail("every installed service needs its __main__ for the end-to-end tests")
    run = uuid.uuid4().hex[:8]
    name = f"isp_test_e2e_{os.getpid()}"
    database_url = (
        make_url(owner_base_url()).set(database=name).render_as_string(hide_password=False)
    )
    asyncio.run(drop_database(name))
    env = _platform_env(database_url, run)
    state = tmp_path_factory.mktemp("e2e-state")
    process = subprocess.Popen(
        [*ISP_UP, "--port-offset", str(PORT_OFFSET), "--state-dir", str(state)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    settings = Settings(
        database_url=database_url,
        events_exchange=env["ISP_EVENTS_EXCHANGE"],
        queue_prefix=env["ISP_QUEUE_PREFIX"],
    )
    found = Platform(
        settings,
        gateway_url=f"http://127.0.0.1:{8080 + PORT_OFFSET}",
        simulator_port=8728 + PORT_OFFSET,
        state_dir=state,
    )
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            found.output.append(line.rstrip())
            if "Press Ctrl-C to stop." in line:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready.wait(0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`isp up` did not bring the platform up:\n{found.logs()}")
        yield found
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        asyncio.run(drop_database(name))
        asyncio.run(_forget_broker_names(settings))


async def _forget_broker_names(settings: Settings) -> None:
    with contextlib.suppress(Exception):
        connection = await aio_pika.connect(settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            for spec in topology.PLATFORM_QUEUES:
                await channel.queue_delete(topology.queue_name(settings, spec))
                await channel.queue_delete(topology.dead_letter_name(settings, spec))
            for exchange in topology.dead_letter_exchange_names(settings):
                await channel.exchange_delete(exchange)
            await channel.exchange_delete(settings.events_exchange)


@pytest.fixture()
async def tenant() -> AsyncIterator[UUID]:
    """A tenant of its own per test: row-level security makes it a clean slate."""
    yield uuid.uuid4()


async def eventually(
    check: Callable[[], Awaitable[T | None]], *, within: float = 45, what: str = "a condition"
) -> T:
    """Polls `check` until it returns something other than None (or False)."""
    deadline = time.monotonic() + within
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = await check()
            if result is not None and result is not False:
                return result
        except AssertionError as exc:  # a check may assert; the last one explains a timeout
            last = exc
        await asyncio.sleep(0.25)
    raise AssertionError(f"timed out after {within:.0f}s waiting for {what}") from last


Eventually = Callable[..., Awaitable[Any]]


@pytest.fixture()
def wait_for() -> Eventually:
    """`await wait_for(check, what=…)`: see `eventually`."""
    return eventually


@pytest.fixture(scope="session")
def session_wait_for() -> Eventually:
    """`wait_for` for fixtures wider than a test (a module's shared world)."""
    return eventually


@dataclass
class EventTap:
    """Every message published on the run's events exchange while the tap is open."""

    messages: list[aio_pika.abc.AbstractIncomingMessage] = field(default_factory=list)

    def routing_keys(self) -> list[str]:
        return [message.routing_key or "" for message in self.messages]


@pytest.fixture()
async def event_tap(platform: Platform) -> AsyncIterator[EventTap]:
    """An exclusive queue of our own bound with `#` to the platform's exchange, open for the
    test: what every service published, as it went over the real broker."""
    tap = EventTap()
    connection = await aio_pika.connect(platform.settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(platform.settings.events_exchange, routing_key="#")

        async def keep(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            tap.messages.append(message)

        await queue.consume(keep, no_ack=True)
        yield tap


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed end-to-end test shows what the platform's processes logged meanwhile."""
    outcome = yield
    report = outcome.get_result()
    platform = getattr(item, "funcargs", {}).get("platform")
    if report.failed and isinstance(platform, Platform):
        report.sections.append(("platform log (last 300 lines)", platform.logs()))
