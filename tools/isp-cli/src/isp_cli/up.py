"""`isp up` (what `make up` runs): the whole platform on this machine, stopped with Ctrl-C.

Steps, one progress line each: Postgres and RabbitMQ reachable (else the exact command that
starts them), the database and every installed service's migrations, the demo tenant, every
service in `all` mode (API + consumers + jobs in one process) on its port, each waited for on
`/healthz`, then the gateway (nginx, `isp_cli.gateway`) on 127.0.0.1:8080 routing to every
service of the platform (one not running yet answers 503 in the envelope), and the console (the
web front end: `/console/` for staff, `/portal/` for subscribers) calling the API through that
gateway, which believes the browser's address the console forwards from 127.0.0.1. nginx is
installed with apt-get when missing and running as root; otherwise the platform runs without a
gateway (and without the console). Every service verifies identity's RS256 tokens (ISP_JWKS_URL
at this run's identity) and the development HS256 ones beside them (ISP_JWT_SECRET, given
explicitly). Once they answer: the demo data (`isp_cli.demo`), the demo tenant and its logins in
identity (`isp_cli.demo_logins`). Then it prints the URLs, the logins and an admin token, and
supervises: if a process dies, or on Ctrl-C / SIGTERM, it stops every one (SIGTERM, then SIGKILL
after a grace period).

The checks before the first process are `isp_cli.preflight`'s; starting, watching and stopping
the processes is `isp_cli.processes`'.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from isp_common.settings import Settings

from isp_cli import demo, demo_logins, gateway
from isp_cli.preflight import Plan, Steps, UpOptions, prepare
from isp_cli.processes import (
    Running,
    Supervisor,
    port_is_free,
    start_service,
    start_simulator,
    wait_listening,
    wait_ready,
)
from isp_cli.services import KNOWN_SERVICES, ServiceSpec, installed_frontends

__all__ = ["Stop", "UpOptions", "up"]

GATEWAY_READY_TIMEOUT_SECONDS = 15.0


class Stop(Exception):
    """Raised in the main thread by SIGINT / SIGTERM."""


class _StartFailed(Exception):
    """A process did not come up; the message says which and why."""


def up(settings: Settings, options: UpOptions, say: Callable[[str], None]) -> int:
    """Returns the exit code: 0 after a clean stop, 1 when a process failed, 2 when a
    prerequisite is missing."""
    step = Steps(options, say)
    plan = prepare(settings, options, step, say)
    if plan is None:
        return 2
    return _run(settings, plan, options, step, say)


def _run(
    settings: Settings, plan: Plan, options: UpOptions, step: Steps, say: Callable[[str], None]
) -> int:
    """Starts every process, then supervises them until one exits (1) or a signal (0)."""
    supervisor = Supervisor(say)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise Stop(signal.Signals(signum).name)

    for sig in previous:
        signal.signal(sig, on_signal)
    try:
        try:
            gateway_url = _start_everything(settings, plan, options, supervisor, step, say)
        except _StartFailed as failed:
            say(f"  {failed}")
            supervisor.stop_all()
            return 1
        if options.seed_demo:
            _seed_demo(plan, options, supervisor, step, say)
        logins = _demo_logins(settings, plan, options, supervisor, step, say)
        _print_summary(plan, options, supervisor, gateway_url, logins, step, say)
        supervisor.until_one_exits()
        return 1
    except Stop as stop:
        say(f"{stop.args[0] if stop.args else 'signal'}: stopping")
        # A second Ctrl-C must not abandon the children half-stopped.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        supervisor.stop_all()
        say("stopped")
        return 0
    finally:
        if supervisor.any_alive():
            supervisor.stop_all()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _start_everything(
    settings: Settings,
    plan: Plan,
    options: UpOptions,
    supervisor: Supervisor,
    step: Steps,
    say: Callable[[str], None],
) -> str | None:
    """The simulator, the services, the gateway, each answering; returns the gateway's URL
    (None without a gateway)."""
    if options.with_simulator:
        step(f"starting the RouterOS simulator on 127.0.0.1:{options.simulator_port} (admin/admin)")
        simulator = start_simulator(options.simulator_port)
        supervisor.watch(simulator)
        _raise_unless_started("routeros-sim", wait_listening(simulator, options.ready_timeout))
        say("  routeros-sim is up")

    # The console needs the gateway: every page is built from the API through it.
    frontends = installed_frontends() if plan.gateway_settings is not None else []
    started_text = [f"{s.name} on :{plan.ports[s.name]}" for s in plan.specs]
    started_text += [f"{s.name} on :{s.port + options.port_offset}" for s in frontends]
    step("starting " + ", ".join(started_text))
    extra = _services_env(settings, options)
    if plan.gateway_settings is not None and "ISP_IDENTITY_PUBLIC_URL" not in os.environ:
        # identity's discovery document names the URL clients use: the gateway's.
        extra["ISP_IDENTITY_PUBLIC_URL"] = plan.gateway_settings.url
    for spec in plan.specs:
        supervisor.watch(start_service(spec, plan.ports[spec.name], extra))
    for run in supervisor.services():
        _raise_unless_started(run.name, wait_ready(run, options.ready_timeout))
        say(f"  {run.name} is up")
    gateway_settings = plan.gateway_settings
    if gateway_settings is None:
        return None
    if frontends:
        _start_frontends(frontends, gateway_settings.url, extra, options, supervisor, say)
        if not gateway_settings.console_addresses:
            # The console runs on the loopback: its X-Forwarded-For (the browser) is believed
            # from 127.0.0.1, so on this machine any local process could claim an address.
            gateway_settings = gateway_settings.model_copy(
                update={"console_addresses": "127.0.0.1,::1"}
            )
    step(f"starting the gateway on {gateway_settings.listen}")
    started = _start_gateway(gateway_settings, options, say)
    if isinstance(started, str):
        raise _StartFailed(started)
    if started is None:
        return None
    supervisor.watch(started)
    why = gateway.wait_ready(gateway_settings.url, started.process, GATEWAY_READY_TIMEOUT_SECONDS)
    _raise_unless_started("gateway", why)
    say(f"  gateway is up (nginx; access log {_gateway_dir(options) / 'access.log'})")
    return gateway_settings.url


def _start_frontends(
    frontends: list[ServiceSpec],
    gateway_url: str,
    extra: dict[str, str],
    options: UpOptions,
    supervisor: Supervisor,
    say: Callable[[str], None],
) -> None:
    env = {
        **extra,
        "ISP_CONSOLE_API_URL": gateway_url,
        # Plain http on this machine (a browser elsewhere on the network would drop a Secure
        # cookie sent over http); production refuses to start without Secure cookies.
        "ISP_CONSOLE_COOKIE_SECURE": os.environ.get("ISP_CONSOLE_COOKIE_SECURE", "false"),
    }
    for spec in frontends:
        port = spec.port + options.port_offset
        if not port_is_free(port):
            raise _StartFailed(f"{spec.name}: port {port} is already in use")
        run = start_service(spec, port, env)
        run.collection = None  # a web front end: no API of its own to list or seed
        supervisor.watch(run)
        _raise_unless_started(spec.name, wait_ready(run, options.ready_timeout))
        say(f"  {spec.name} is up")


def _raise_unless_started(name: str, why: str | None) -> None:
    if why:
        raise _StartFailed(f"{name} {why}")


def _services_env(settings: Settings, options: UpOptions) -> dict[str, str]:
    extra = {} if "ISP_LOG_JSON" in os.environ else {"ISP_LOG_JSON": "false"}
    identity_port = next(s.port for s in KNOWN_SERVICES if s.name == "identity")
    # Logins' tokens are identity's (RS256, its keys at this URL); the admin token printed
    # below and the demo's calls are HS256, which a service beside ISP_JWKS_URL accepts only
    # when ISP_JWT_SECRET is given explicitly.
    extra.setdefault(
        "ISP_JWKS_URL",
        os.environ.get(
            "ISP_JWKS_URL",
            f"http://127.0.0.1:{identity_port + options.port_offset}/.well-known/jwks.json",
        ),
    )
    extra.setdefault("ISP_JWT_SECRET", settings.jwt_secret)
    if "ISP_SERVICE_URLS" not in os.environ:
        # Services call each other (customers asks billing for a plan, network asks the agent
        # to test a router) on the ports this run gives them.
        extra["ISP_SERVICE_URLS"] = json.dumps(
            {
                spec.name: f"http://127.0.0.1:{spec.port + options.port_offset}"
                for spec in KNOWN_SERVICES
            }
        )
    return extra


def _seed_demo(
    plan: Plan,
    options: UpOptions,
    supervisor: Supervisor,
    step: Steps,
    say: Callable[[str], None],
) -> None:
    step("the demo tenant's data")
    try:
        demo.seed(
            {run.name: f"http://127.0.0.1:{run.port}" for run in supervisor.services()},
            plan.token,
            options.simulator_port if options.with_simulator else None,
            say,
        )
    except demo.DemoFailed as exc:  # the platform runs on without it
        say(f"  could not make the demo data: {exc}")


def _demo_logins(
    settings: Settings,
    plan: Plan,
    options: UpOptions,
    supervisor: Supervisor,
    step: Steps,
    say: Callable[[str], None],
) -> list[demo_logins.Login]:
    if not _runs_identity(options):
        return []
    step("the demo tenant's logins in identity")
    try:
        return demo_logins.ensure(
            {run.name: f"http://127.0.0.1:{run.port}" for run in supervisor.services()},
            settings,
            plan.tenant,
            plan.token,
            options.state_dir,
            say,
            with_subscriber=options.seed_demo,
        )
    except demo_logins.LoginsFailed as exc:  # the platform runs on without them
        say(f"  could not make the demo logins: {exc}")
        return []


def _runs_identity(options: UpOptions) -> bool:
    return any(spec.name == "identity" for spec in options.services)


def _print_summary(
    plan: Plan,
    options: UpOptions,
    supervisor: Supervisor,
    gateway_url: str | None,
    logins: list[demo_logins.Login],
    step: Steps,
    say: Callable[[str], None],
) -> None:
    step("the ISP platform is up:")
    if gateway_url is not None:
        say(
            f"  {'gateway':<14} {gateway_url}/api/v1  (every service's API; OpenAPI at "
            f"{gateway_url}/api/v1/<service>/openapi.json)"
        )
    if gateway_url is not None and any(r.name == "console" for r in supervisor.running):
        say(f"  {'console':<14} {gateway_url}/console/  (staff: the staff admin login below)")
        say(f"  {'portal':<14} {gateway_url}/portal/  (subscribers: the subscriber login below)")
    for run in supervisor.services():
        base = f"http://127.0.0.1:{run.port}"
        say(
            f"  {run.name:<14} {base}/api/v1/{run.collection}"
            f"  ({'direct; ' if gateway_url else ''}OpenAPI {base}/docs, "
            f"readiness {base}/readyz)"
        )
    token_file = options.state_dir / "admin-token"
    say(f"  {'demo tenant':<14} {plan.tenant}")
    identity = next((r for r in supervisor.services() if r.name == "identity"), None)
    direct = f"http://127.0.0.1:{identity.port}" if identity else ""
    api = f"{gateway_url or direct}/api/v1"
    for login in logins:
        say(
            f"  {'login':<14} {login.who}: tenant {login.tenant}, username {login.username}, "
            f"password {login.password}{'' if login.works else '  (does NOT log in, see above)'}"
        )
    if logins:
        shown = logins[0]
        say(
            f"  {'':<14} (kept in {options.state_dir / demo_logins.LOGINS_FILE}); a token: "
            f"curl -d grant_type=password -d tenant={shown.tenant} "
            f"-d username={shown.username} -d password=... {api}/auth/token"
        )
    say(f"  {'admin token':<14} {plan.token}")
    say(f"  {'':<14} (in {token_file}, valid 7 days)")
    first = supervisor.services()[0]
    base = gateway_url or f"http://127.0.0.1:{first.port}"
    say(
        f'  try: curl -H "Authorization: Bearer $(cat {token_file})" '
        f"{base}/api/v1/{first.collection}"
    )
    say("Press Ctrl-C to stop.")


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
