"""The `isp` command. Every subcommand reads the same `ISP_*` settings as the services."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from sqlalchemy.engine import make_url

from isp_common.auth import Role, mint_token
from isp_common.migrations import MissingServicePassword
from isp_common.settings import ConfigurationError, Settings

from isp_cli import broker, demo_logins, dlq, events_doc, gateway, infra, processes, tenants
from isp_cli import services as registry
from isp_cli import up as platform

app = typer.Typer(
    name="isp",
    help="Run and operate the ISP platform: migrate, token, run, up, gateway-config, events-doc, "
    "dlq, tenant.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Mode(StrEnum):
    api = "api"
    worker = "worker"
    all = "all"


def repo_root() -> Path:
    """The workspace root: the nearest parent of the working directory whose pyproject.toml
    declares the uv workspace, else the checkout this package lives in."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.uv.workspace]" in pyproject.read_text():
            return folder
    return Path(__file__).resolve().parents[4]


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _specs(names: list[str] | None) -> list[registry.ServiceSpec]:
    try:
        return registry.select(names)
    except registry.UnknownService as exc:
        raise fail(str(exc), 2) from None


ServiceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--service", "-s", help="A service to act on (repeatable); default: all installed."
    ),
]


@app.command()
def migrate(service: ServiceOption = None) -> None:
    """Create the database if missing, then each service's schema, login role, tables and RLS.

    Runs as the owner from ISP_DATABASE_URL; idempotent."""
    settings = Settings()
    specs = _specs(service)
    named = bool(service)
    if not specs:
        raise fail("no service is installed yet: nothing to migrate")
    problem = infra.check_postgres(settings)
    if problem:
        raise fail(str(problem), 2)
    if infra.ensure_database(settings.database_url):
        typer.echo(f"created database {_db_name(settings)}")
    for spec in specs:
        if not spec.installed:
            raise fail(f"{spec.name}: package {spec.package} is not installed", 2)
        if spec.migrations_dir() is None:
            if named:
                raise fail(f"{spec.name}: {spec.package} has no migrations/env.py", 2)
            typer.echo(f"{spec.name}: no migrations yet, skipped")
            continue
        try:
            infra.migrate(settings, spec)
        except MissingServicePassword as exc:
            raise fail(f"{spec.name}: {exc}", 2) from None
        typer.echo(f"{spec.name}: schema {spec.schema} at head (login role isp_{spec.schema})")


def _db_name(settings: Settings) -> str:
    return str(make_url(settings.database_url).database)


@app.command()
def token(
    tenant: Annotated[
        str | None,
        typer.Option(
            help="Tenant id (UUID); default: the demo tenant of `isp up` (for platform_admin "
            "alone: the platform's own, 00000000-0000-0000-0000-000000000000)."
        ),
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role", "--roles", "-r", help="A role (repeatable): " + ", ".join(r for r in Role)
        ),
    ] = None,
    customer_id: Annotated[
        str | None, typer.Option(help="Customer id (UUID), required with --role customer.")
    ] = None,
    sub: Annotated[str, typer.Option(help="The token's subject.")] = "cli",
    ttl: Annotated[int, typer.Option(help="Lifetime in seconds.", min=1)] = 12 * 3600,
) -> None:
    """Print an HS256 JWT that the services accept (signed with the first ISP_JWT_SECRET)."""
    try:
        settings = Settings()
    except ConfigurationError as exc:
        raise fail(str(exc), 2) from None
    roles = role or [Role.ADMIN.value]
    if tenant:
        tenant_id = _uuid("--tenant", tenant)
    elif set(roles) == {Role.PLATFORM_ADMIN.value}:
        # The operator belongs to no ISP: its token names identity's platform tenant.
        tenant_id = demo_logins.PLATFORM_TENANT_ID
    else:
        tenant_id = _demo_tenant_or_fail()
    unknown = [r for r in roles if r not in {str(x) for x in Role}]
    if unknown:
        raise fail(f"unknown role(s) {', '.join(unknown)}; known: {', '.join(r for r in Role)}", 2)
    customer = _uuid("--customer-id", customer_id) if customer_id else None
    if Role.CUSTOMER in roles and customer is None:
        raise fail("a customer token needs --customer-id", 2)
    if settings.jwks_url and "jwt_secret" not in settings.model_fields_set:
        typer.echo(
            "warning: ISP_JWKS_URL is set and ISP_JWT_SECRET is not: services configured so "
            "accept only their identity provider's RS256 tokens, not this HS256 one.",
            err=True,
        )
    typer.echo(
        mint_token(
            settings,
            tenant_id=tenant_id,
            roles=roles,
            sub=sub,
            customer_id=customer,
            ttl_seconds=ttl,
        )
    )


def _uuid(option: str, value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise fail(f"{option}: {value!r} is not a UUID", 2) from None


def _demo_tenant_or_fail() -> UUID:
    path = repo_root() / "var" / "demo-tenant"
    if path.is_file():
        return UUID(path.read_text().strip())
    raise fail("--tenant is required (no demo tenant yet: `make up` makes one)", 2)


@app.command()
def run(
    service: Annotated[str, typer.Argument(help="customers, billing, network, …")],
    mode: Annotated[Mode, typer.Argument(help="api, worker (consumers + jobs), or all")] = Mode.all,
    port: Annotated[int | None, typer.Option(help="HTTP port; default: the service's own.")] = None,
) -> None:
    """Run one service in the foreground (replaces this process with `python -m isp_<service>`)."""
    try:
        spec = registry.service(service)
    except registry.UnknownService as exc:
        raise fail(str(exc), 2) from None
    if not spec.runnable():
        raise fail(f"{spec.name}: package {spec.package} is not installed or has no __main__", 2)
    argv = processes.service_command(spec, mode.value, port or spec.port)
    sys.stdout.flush()
    os.execvpe(argv[0], argv, processes.service_env(spec))  # noqa: S606 (our own interpreter)


@app.command()
def up(
    service: ServiceOption = None,
    no_migrate: Annotated[bool, typer.Option("--no-migrate", help="Skip migrations.")] = False,
    port_offset: Annotated[
        int, typer.Option(help="Added to every service's port (to run two platforms).")
    ] = 0,
    state_dir: Annotated[
        Path | None, typer.Option(help="Where the demo tenant and admin token are kept (./var).")
    ] = None,
    no_gateway: Annotated[
        bool, typer.Option("--no-gateway", help="Do not start the gateway (nginx).")
    ] = False,
    no_simulator: Annotated[
        bool,
        typer.Option("--no-simulator", help="Do not start the RouterOS simulator (port 8728)."),
    ] = False,
    no_demo_data: Annotated[
        bool,
        typer.Option(
            "--no-demo-data", help="Do not give the demo tenant plans, a tree, customers."
        ),
    ] = False,
) -> None:
    """Bring the platform up locally (what `make up` runs); Ctrl-C stops it.

    The gateway listens on ISP_GATEWAY_LISTEN (127.0.0.1:8080, plus --port-offset)."""
    settings = Settings()
    options = platform.UpOptions(
        services=_specs(service),
        state_dir=state_dir or repo_root() / "var",
        migrate=not no_migrate,
        port_offset=port_offset,
        with_gateway=not no_gateway,
        with_simulator=not no_simulator,
        seed_demo=not no_demo_data,
    )
    raise typer.Exit(platform.up(settings, options, lambda line: typer.echo(line)))


@app.command("gateway-config")
def gateway_config(
    upstream_host: Annotated[
        str,
        typer.Option(
            help="Host of every service; {service} stands for its name "
            "(e.g. '{service}' for compose DNS names)."
        ),
    ] = "127.0.0.1",
    port_offset: Annotated[int, typer.Option(help="Added to every service's port.")] = 0,
    runtime_dir: Annotated[
        Path | None,
        typer.Option(help="nginx's pid and temporary files (default ./var/gateway)."),
    ] = None,
    access_log: Annotated[str, typer.Option(help="A file, 'stdout', or 'off'.")] = "stdout",
) -> None:
    """Print the gateway's nginx.conf (routes and limits from ISP_GATEWAY_*), as `isp up` runs
    it; with --upstream-host '{service}', as containers run it."""
    try:
        settings = gateway.GatewaySettings()
        text = gateway.render(
            settings,
            gateway.templated_upstreams(upstream_host, port_offset),
            runtime_dir or (repo_root() / "var" / "gateway").resolve(),
            access_log=None if access_log == "off" else access_log,
        )
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    typer.echo(text, nl=False)


@app.command("broker-definitions")
def broker_definitions() -> None:
    """Print the RabbitMQ definitions of deploy/compose.yml: an admin user and each service's
    own user, limited to its events and queues (passwords from ISP_BROKER_*_PASSWORD)."""
    try:
        document = broker.definitions()
    except broker.MissingBrokerPassword as exc:
        raise fail(str(exc), 2) from None
    typer.echo(json.dumps(document, indent=2))


@app.command("events-doc")
def events_doc_command(
    check: Annotated[
        bool, typer.Option("--check", help="Only compare; exit 1 when the files are out of date.")
    ] = False,
    root: Annotated[Path | None, typer.Option(help="Repository root (default: found).")] = None,
) -> None:
    """Write docs/events.md and docs/asyncapi.json from the contracts registry."""
    base = root or repo_root()
    if check:
        stale = events_doc.stale_files(base)
        for path in stale:
            typer.echo(f"out of date: {path.relative_to(base)}", err=True)
        if stale:
            raise fail("run `make events-doc` (uv run isp events-doc) and commit the result")
        typer.echo("events docs are up to date")
        return
    written = events_doc.write_files(base)
    for path in written:
        typer.echo(f"wrote {path.relative_to(base)}")
    if not written:
        typer.echo("events docs were already up to date")


@app.command("services")
def list_services() -> None:
    """List the platform's services: port, installed, migrations."""
    for spec in registry.KNOWN_SERVICES:
        state = "installed" if spec.installed else "not installed"
        if spec.installed:
            state += ", migrations" if spec.migrations_dir() else ", no migrations yet"
            state += "" if spec.runnable() else ", no __main__ yet"
        typer.echo(f"{spec.name:<15} :{spec.port}  {state}")


dlq_app = typer.Typer(help="Dead-letter queues: list what waits, replay it.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")


@dlq_app.command("list")
def dlq_list() -> None:
    """How many events wait in each dead-letter queue (ISP_AMQP_URL, ISP_QUEUE_PREFIX)."""
    for name, depth in asyncio.run(dlq.depths(Settings())).items():
        typer.echo(f"{name + '.dead':<32} {'not declared yet' if depth is None else depth}")


@dlq_app.command("replay")
def dlq_replay(
    queue: Annotated[str, typer.Argument(help="The queue, e.g. billing.replicas")],
    limit: Annotated[int | None, typer.Option(help="Replay at most this many.")] = None,
) -> None:
    """Move the events waiting in <queue>.dead back to the exchange (fix their cause first:
    each carries its `x-error`)."""
    try:
        moved = asyncio.run(dlq.replay(Settings(), queue, limit))
    except KeyError as exc:
        raise fail(str(exc.args[0]), 2) from None
    typer.echo(f"replayed {moved} event(s) from {queue.removesuffix('.dead')}.dead")


tenant_app = typer.Typer(help="Tenants, as the platform operator (through identity).")
app.add_typer(tenant_app, name="tenant")


@tenant_app.command("create")
def tenant_create(
    slug: Annotated[str, typer.Option(help="What logins name the tenant by (3-63: a-z 0-9 -).")],
    name: Annotated[str, typer.Option(help="The ISP's name (on its documents too).")],
    admin_email: Annotated[str, typer.Option(help="The first admin's email (their login).")],
    admin_full_name: Annotated[str | None, typer.Option(help="Default: the email.")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="IANA name; default: identity's (UTC).")
    ] = None,
    currency: Annotated[
        str | None, typer.Option(help="ISO 4217; default: identity's (IDR).")
    ] = None,
    admin_password: Annotated[
        str | None,
        typer.Option(
            help="Without it the admin gets a one-time reset token (printed once). A password "
            "on a command line stays in the shell's history: prefer the token."
        ),
    ] = None,
    id: Annotated[
        str | None,
        typer.Option("--id", help="Adopt this tenant id (one so far known only by its tokens)."),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="The identity service; default: ISP_SERVICE_URLS' identity.")
    ] = None,
) -> None:
    """Create a tenant and its first admin (POST /api/v1/tenants with a short-lived
    platform_admin token), and print them."""
    try:
        settings = Settings()
    except ConfigurationError as exc:
        raise fail(str(exc), 2) from None
    body: dict[str, object] = {
        "slug": slug,
        "name": name,
        "admin_email": admin_email,
        "admin_full_name": admin_full_name or admin_email,
    }
    optional = {"timezone": timezone, "currency": currency, "admin_password": admin_password}
    body |= {key: value for key, value in optional.items() if value is not None}
    if id is not None:
        body["id"] = str(_uuid("--id", id))
    try:
        created = tenants.create_tenant(settings, url or settings.url_of("identity"), body)
    except tenants.TenantRefused as exc:
        raise fail(f"tenant not created: {exc}") from None
    for line in tenants.describe(created):
        typer.echo(line)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
