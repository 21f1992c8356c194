"""What `isp up` does before it starts a process: the gateway's settings valid, PostgreSQL and
RabbitMQ answering, every service migrated, the demo tenant and its admin token, the ports free.
Each check that fails says what is missing; `isp up` then exits with 2."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from isp_common.auth import Role, mint_token
from isp_common.settings import Settings

from isp_cli import gateway, infra
from isp_cli.processes import port_is_free
from isp_cli.services import ServiceSpec

READY_TIMEOUT_SECONDS = 60.0
ADMIN_TOKEN_TTL_SECONDS = 7 * 24 * 3600
SIMULATOR_PORT = 8728  # the RouterOS API's own port, so the demo router looks like a real one


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

    @property
    def simulator_port(self) -> int:
        return SIMULATOR_PORT + self.port_offset


@dataclass(frozen=True)
class Plan:
    """What the checks before the first process decided."""

    specs: list[ServiceSpec]
    ports: dict[str, int]
    gateway_settings: gateway.GatewaySettings | None
    tenant: UUID
    token: str


class Steps:
    """`[n/total] text` progress lines."""

    def __init__(self, options: UpOptions, say: Callable[[str], None]) -> None:
        logins = any(spec.name == "identity" for spec in options.services)
        self._total = 5 + options.with_gateway + options.with_simulator + options.seed_demo + logins
        self._numbers = iter(range(1, self._total + 1))
        self._say = say

    def __call__(self, text: str) -> None:
        self._say(f"[{next(self._numbers)}/{self._total}] {text}")


def prepare(
    settings: Settings, options: UpOptions, step: Steps, say: Callable[[str], None]
) -> Plan | None:
    """The checks and the work before the first process starts; None when a prerequisite is
    missing (said why)."""
    gateway_settings: gateway.GatewaySettings | None = None
    if options.with_gateway:
        try:
            gateway_settings = (
                options.gateway_settings or gateway.GatewaySettings()
            ).with_port_offset(options.port_offset)
        except ValueError as exc:  # pydantic's ValidationError is one
            say(f"ISP_GATEWAY_* settings are not valid: {exc}")
            return None

    step("checking PostgreSQL and RabbitMQ")
    problems = [p for p in (infra.check_postgres(settings), infra.check_rabbitmq(settings)) if p]
    if problems:
        for problem in problems:
            say(f"  missing: {problem}")
        return None
    say("  PostgreSQL and RabbitMQ answer")

    specs = [s for s in options.services if s.runnable()]
    if not specs:
        say("  no service is installed yet (nothing has an isp_<service>/__main__.py)")
        return None

    _migrate(settings, options, specs, step, say)
    tenant, token = _demo_admin(settings, options)
    step(f"demo tenant {tenant} (kept in {options.state_dir / 'demo-tenant'})")

    ports = {spec.name: spec.port + options.port_offset for spec in specs}
    taken = _ports_taken(ports, gateway_settings, options)
    if taken:
        say("  ports already in use: " + ", ".join(taken) + " (is another `isp up` running?)")
        return None
    return Plan(specs, ports, gateway_settings, tenant, token)


def _migrate(
    settings: Settings,
    options: UpOptions,
    specs: list[ServiceSpec],
    step: Steps,
    say: Callable[[str], None],
) -> None:
    if not options.migrate:
        step("migrations skipped (--no-migrate)")
        return
    step("migrating " + ", ".join(s.name for s in specs))
    if infra.ensure_database(settings.database_url):
        say("  created the database")
    for spec in specs:
        if spec.migrations_dir() is None:
            say(f"  {spec.name}: no migrations yet, skipped")
            continue
        infra.migrate(settings, spec)
        say(f"  {spec.name}: schema {spec.schema} at head, role isp_{spec.schema}")


def _demo_admin(settings: Settings, options: UpOptions) -> tuple[UUID, str]:
    """The demo tenant and an admin token for it, kept in `<state_dir>/admin-token`."""
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
    return tenant, token


def _ports_taken(
    ports: dict[str, int], gateway_settings: gateway.GatewaySettings | None, options: UpOptions
) -> list[str]:
    taken = [f"{name} :{port}" for name, port in ports.items() if not port_is_free(port)]
    if gateway_settings is not None:
        host = gateway_settings.host if ":" not in gateway_settings.host else "127.0.0.1"
        if not port_is_free(gateway_settings.port, host):
            taken.append(f"gateway :{gateway_settings.port}")
    if options.with_simulator and not port_is_free(options.simulator_port):
        taken.append(f"routeros-sim :{options.simulator_port}")
    return taken


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
