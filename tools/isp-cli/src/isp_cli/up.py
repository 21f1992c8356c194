"""`isp up` (what `make up` runs): the whole platform on this machine, stopped with Ctrl-C.

Steps, one progress line each: Postgres and RabbitMQ reachable (else the exact command that
starts them), the database and every installed service's migrations, the demo tenant, every
service in `all` mode (API + consumers + jobs in one process) on its port, each waited for on
`/healthz`, then the gateway (nginx, `isp_cli.gateway`) on 127.0.0.1:8080 routing to every
service of the platform (one not running yet answers 503 in the envelope). nginx is installed
with apt-get when missing and running as root; otherwise the platform runs without a gateway.
Then it prints the URLs and an admin token, and supervises: if a process dies, or on Ctrl-C /
SIGTERM, it stops every one (SIGTERM, then SIGKILL after a grace period).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO
from uuid import UUID

from isp_common.auth import Role, mint_token
from isp_common.settings import Settings

from isp_cli import demo, gateway, infra
from isp_cli.services import KNOWN_SERVICES, ServiceSpec

READY_TIMEOUT_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0
ADMIN_TOKEN_TTL_SECONDS = 7 * 24 * 3600
GATEWAY_READY_TIMEOUT_SECONDS = 15.0
SIMULATOR_PORT = 8728  # the RouterOS API's own port, so the demo router looks like a real one


class Stop(Exception):
    """Raised in the main thread by SIGINT / SIGTERM."""


def demo_tenant(state_dir: Path) -> UUID:
    """A tenant id that stays the same across runs of this checkout (`<state_dir>/demo-tenant`)."""
    path = state_dir / "demo-tenant"
    if path.is_file():
        try:
            return UUID(path.read_text().strip())
        except ValueError:
            pass
    tenant = uuid.uuid4()
    state_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{tenant}\n")
    return tenant


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def service_command(spec: ServiceSpec, mode: str, port: int | None) -> list[str]:
    argv = [sys.executable, "-m", spec.package, mode]
    if port is not None and mode in ("api", "all"):
        argv += ["--port", str(port)]
    return argv


def service_env(spec: ServiceSpec, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["ISP_SERVICE_NAME"] = spec.name
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.update(extra)
    return env


@dataclass
class Running:
    name: str  # a service's, or "gateway"
    port: int
    process: subprocess.Popen[bytes]
    collection: str | None = None  # the service's first collection under /api/v1
    pump: threading.Thread | None = None
    tail: list[str] = field(default_factory=list)


def _pump(stream: IO[bytes], name: str, tail: list[str], echo: Callable[[str], None]) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip()
        tail.append(line)
        del tail[:-40]
        echo(f"{name:>14} | {line}")


def _wait_ready(run: Running, timeout: float) -> str | None:
    """None when /healthz answers 200; else why not."""
    url = f"http://127.0.0.1:{run.port}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = run.process.poll()
        if code is not None:
            return f"exited with code {code} while starting"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return None
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return f"no answer on {url} after {timeout:.0f}s"


def stop_all(running: list[Running], say: Callable[[str], None]) -> None:
    # The gateway (started last) first: it stops taking requests before the services go.
    alive = [r for r in reversed(running) if r.process.poll() is None]
    for r in alive:
        say(f"stopping {r.name} (pid {r.process.pid})")
        _signal_group(r.process, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for r in alive:
        try:
            r.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{r.name} did not stop in {STOP_GRACE_SECONDS:.0f}s: killing it")
            _signal_group(r.process, signal.SIGKILL)
            r.process.wait()
    for r in running:
        if r.pump is not None:
            r.pump.join(timeout=2)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)  # the service and anything it started


@dataclass
class UpOptions:
    services: list[ServiceSpec]
    state_dir: Path
    migrate: bool = True
    port_offset: int = 0
    tenant: UUID | None = None
    ready_timeout: float = READY_TIMEOUT_SECONDS
    with_gateway: bool = True
    gateway_settings: gateway.GatewaySettings | None = None  # default: from ISP_GATEWAY_*
    with_simulator: bool = True
    seed_demo: bool = True


def up(settings: Settings, options: UpOptions, say: Callable[[str], None]) -> int:
    """Returns the exit code: 0 after a clean stop, 1 when a process failed, 2 when a
    prerequisite is missing."""
    steps = 5 + options.with_gateway + options.with_simulator + options.seed_demo
    n = iter(range(1, steps + 1))

    def step(text: str) -> None:
        say(f"[{next(n)}/{steps}] {text}")

    gateway_settings: gateway.GatewaySettings | None = None
    if options.with_gateway:
        try:
            gateway_settings = (
                options.gateway_settings or gateway.GatewaySettings()
            ).with_port_offset(options.port_offset)
        except ValueError as exc:  # pydantic's ValidationError is one
            say(f"ISP_GATEWAY_* settings are not valid: {exc}")
            return 2

    step("checking PostgreSQL and RabbitMQ")
    problems = [p for p in (infra.check_postgres(settings), infra.check_rabbitmq(settings)) if p]
    if problems:
        for problem in problems:
            say(f"  missing: {problem}")
        return 2
    say("  PostgreSQL and RabbitMQ answer")

    specs = [s for s in options.services if s.runnable()]
    if not specs:
        say("  no service is installed yet (nothing has an isp_<service>/__main__.py)")
        return 2

    if options.migrate:
        step("migrating " + ", ".join(s.name for s in specs))
        if infra.ensure_database(settings.database_url):
            say("  created the database")
        for spec in specs:
            if spec.migrations_dir() is None:
                say(f"  {spec.name}: no migrations yet, skipped")
                continue
            infra.migrate(settings, spec)
            say(f"  {spec.name}: schema {spec.schema} at head, role isp_{spec.schema}")
    else:
        step("migrations skipped (--no-migrate)")

    tenant = options.tenant or demo_tenant(options.state_dir)
    token = mint_token(
        settings,
        tenant_id=tenant,
        roles=[Role.ADMIN],
        sub="demo-admin",
        ttl_seconds=ADMIN_TOKEN_TTL_SECONDS,
    )
    options.state_dir.mkdir(parents=True, exist_ok=True)
    (options.state_dir / "admin-token").write_text(token + "\n")
    step(f"demo tenant {tenant} (kept in {options.state_dir / 'demo-tenant'})")

    ports = {spec.name: spec.port + options.port_offset for spec in specs}
    taken = [f"{name} :{port}" for name, port in ports.items() if not port_is_free(port)]
    if gateway_settings is not None:
        host = gateway_settings.host if ":" not in gateway_settings.host else "127.0.0.1"
        if not port_is_free(gateway_settings.port, host):
            taken.append(f"gateway :{gateway_settings.port}")
    if options.with_simulator and not port_is_free(SIMULATOR_PORT + options.port_offset):
        taken.append(f"routeros-sim :{SIMULATOR_PORT + options.port_offset}")
    if taken:
        say("  ports already in use: " + ", ".join(taken) + " (is another `isp up` running?)")
        return 2

    running: list[Running] = []
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise Stop(signal.Signals(signum).name)

    for sig in previous:
        signal.signal(sig, on_signal)
    lock = threading.Lock()

    def echo(line: str) -> None:
        with lock:
            print(line, flush=True)

    def watch(run: Running) -> None:
        assert run.process.stdout is not None
        run.pump = threading.Thread(
            target=_pump, args=(run.process.stdout, run.name, run.tail, echo), daemon=True
        )
        run.pump.start()
        running.append(run)

    extra = {} if "ISP_LOG_JSON" in os.environ else {"ISP_LOG_JSON": "false"}
    if "ISP_SERVICE_URLS" not in os.environ:
        # Services call each other (customers asks billing for a plan, network asks the agent
        # to test a router) on the ports this run gives them.
        extra["ISP_SERVICE_URLS"] = json.dumps(
            {
                spec.name: f"http://127.0.0.1:{spec.port + options.port_offset}"
                for spec in KNOWN_SERVICES
            }
        )
    simulator_port = SIMULATOR_PORT + options.port_offset
    try:
        if options.with_simulator:
            step(f"starting the RouterOS simulator on 127.0.0.1:{simulator_port} (admin/admin)")
            simulator = _start_simulator(simulator_port)
            watch(simulator)
            why = _wait_listening(simulator, options.ready_timeout)
            if why:
                say(f"  routeros-sim {why}")
                stop_all(running, say)
                return 1
            say("  routeros-sim is up")
        step("starting " + ", ".join(f"{s.name} on :{ports[s.name]}" for s in specs))
        for spec in specs:
            process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                service_command(spec, "all", ports[spec.name]),
                env=service_env(spec, **extra),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # signals reach it from us, in order, not from the tty
            )
            watch(Running(spec.name, ports[spec.name], process, spec.collection))
        for run in [r for r in running if r.collection is not None]:
            why = _wait_ready(run, options.ready_timeout)
            if why:
                say(f"  {run.name} {why}")
                stop_all(running, say)
                return 1
            say(f"  {run.name} is up")

        gateway_url: str | None = None
        if gateway_settings is not None:
            step(f"starting the gateway on {gateway_settings.listen}")
            started = _start_gateway(gateway_settings, options, say)
            if isinstance(started, Running):
                watch(started)
                why = gateway.wait_ready(
                    gateway_settings.url, started.process, GATEWAY_READY_TIMEOUT_SECONDS
                )
                if why:
                    say(f"  gateway {why}")
                    stop_all(running, say)
                    return 1
                gateway_url = gateway_settings.url
                say(f"  gateway is up (nginx; access log {_gateway_dir(options) / 'access.log'})")
            elif started is not None:
                say(f"  {started}")
                stop_all(running, say)
                return 1

        if options.seed_demo:
            step("the demo tenant's data")
            try:
                demo.seed(
                    {run.name: f"http://127.0.0.1:{run.port}" for run in running if run.collection},
                    token,
                    simulator_port if options.with_simulator else None,
                    say,
                )
            except demo.DemoFailed as exc:  # the platform runs on without it
                say(f"  could not make the demo data: {exc}")

        step("the ISP platform is up:")
        if gateway_url is not None:
            say(
                f"  {'gateway':<14} {gateway_url}/api/v1  (every service's API; OpenAPI at "
                f"{gateway_url}/api/v1/<service>/openapi.json)"
            )
        for run in running:
            if run.collection is None:
                continue
            base = f"http://127.0.0.1:{run.port}"
            say(
                f"  {run.name:<14} {base}/api/v1/{run.collection}"
                f"  ({'direct; ' if gateway_url else ''}OpenAPI {base}/docs, "
                f"readiness {base}/readyz)"
            )
        say(f"  {'demo tenant':<14} {tenant}")
        say(f"  {'admin token':<14} {token}")
        say(f"  {'':<14} (in {options.state_dir / 'admin-token'}, valid 7 days)")
        first = next(run for run in running if run.collection is not None)
        base = gateway_url or f"http://127.0.0.1:{first.port}"
        say(
            '  try: curl -H "Authorization: Bearer $(cat '
            f'{options.state_dir / "admin-token"})" '
            f"{base}/api/v1/{first.collection}"
        )
        say("Press Ctrl-C to stop.")

        while True:
            for run in running:
                code = run.process.poll()
                if code is not None:
                    say(f"{run.name} exited with code {code}; stopping the platform")
                    stop_all(running, say)
                    return 1
            time.sleep(0.5)
    except Stop as stop:
        say(f"{stop.args[0] if stop.args else 'signal'}: stopping")
        # A second Ctrl-C must not abandon the children half-stopped.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        stop_all(running, say)
        say("stopped")
        return 0
    finally:
        if any(r.process.poll() is None for r in running):
            stop_all(running, say)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _start_simulator(port: int) -> Running:
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "routeros_sim", "--port", str(port)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Running("routeros-sim", port, process)


def _wait_listening(run: Running, timeout: float) -> str | None:
    """None once the process accepts TCP connections on its port; else why not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = run.process.poll()
        if code is not None:
            return f"exited with code {code} while starting"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", run.port), 1):
            return None
        time.sleep(0.2)
    return f"not listening on 127.0.0.1:{run.port} after {timeout:.0f}s"


def _gateway_dir(options: UpOptions) -> Path:
    return (options.state_dir / "gateway").resolve()


def _start_gateway(
    settings: gateway.GatewaySettings, options: UpOptions, say: Callable[[str], None]
) -> Running | str | None:
    """The gateway's nginx, started; None when there is no nginx to run (said why); a string
    when it cannot start."""
    nginx = gateway.find_nginx() or gateway.install_nginx(say)
    if nginx is None:
        how = (
            "install it (e.g. `sudo apt-get install nginx`) or run `make up` as root"
            if os.geteuid() != 0
            else "installing it failed (see above)"
        )
        say(f"  nginx is not installed: no gateway this time, {how}.")
        say("  Each service answers on its own port meanwhile.")
        return None
    runtime = _gateway_dir(options)
    config = gateway.write_config(
        runtime,
        settings,
        gateway.local_upstreams(options.port_offset),
        access_log=runtime / "access.log",
    )
    problem = gateway.check_config(nginx, runtime)
    if problem:
        return f"nginx refuses {config}: {problem}"
    process = subprocess.Popen(  # noqa: S603 (the nginx found on PATH)
        gateway.nginx_argv(nginx, runtime),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Running("gateway", settings.port, process)
