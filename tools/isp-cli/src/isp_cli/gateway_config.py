"""The API gateway: nginx, configured from the platform's service table.

`render()` fills `deploy/gateway/nginx.conf.template` with one upstream per service and one
location per path prefix the services serve, so `isp up` (upstreams on 127.0.0.1) and containers
(upstreams named by DNS, `isp gateway-config --upstream-host '{service}'`) run the same
configuration. The limits (listen address, rate, burst, body size, timeouts, workers) come from
`ISP_GATEWAY_*` (`GatewaySettings`); docs/operations.md describes them.

Routing (docs/architecture.md, "The map" and "The gateway"): `/api/v1/<collection>` and
everything below it goes to the service that owns the collection (`COLLECTIONS`);
`/api/v1/customers/{uuid}/<sub>` goes to the service that serves that sub-resource
(`CUSTOMER_SUBRESOURCES`: payments → billing, portal-account → identity, …), matched by a
regular expression, which nginx prefers to the `/api/v1/customers/` prefix;
`/api/v1/<service>/openapi.json` is the service's `/openapi.json`; the prefixes of
`ROOT_PREFIXES` (identity's `/.well-known/`: the JWKS and the OpenID discovery document) go to
their service as they are. `FRONTEND_PREFIXES` (`/console/`, `/portal/`: the console's pages,
for staff and subscribers) go to the web front end as they are, the bare `/console` and `/portal`
redirected to them.
Every other path is a 404 in the JSON envelope.

The console calls the API through this same gateway, for the browser, with the browser's
address in X-Forwarded-For. The per-client limits must count browsers, not the console, so
the gateway believes X-Forwarded-For from the console's addresses (`ISP_GATEWAY_CONSOLE_ADDRESSES`)
as from the trusted proxies in front of it (`ISP_GATEWAY_TRUSTED_PROXIES`), and from no one
else: a client elsewhere that claims an address is counted under its own.

The token endpoint (`TOKEN_PATH`) has a rate limit of its own, far below the API's
(`ISP_GATEWAY_TOKEN_RATE_PER_MINUTE`, `ISP_GATEWAY_TOKEN_BURST`): a client guessing passwords
is slowed at the edge, before identity's per-name and per-address lockout counts its failures.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from isp_cli.services import FRONTENDS, KNOWN_SERVICES

GATEWAY_PORT = 8080
API_PREFIX = "/api/v1"
TEMPLATE = Path(__file__).resolve().parents[4] / "deploy" / "gateway" / "nginx.conf.template"

# The collections each service serves under /api/v1 (docs/architecture.md, "The map").
COLLECTIONS: dict[str, tuple[str, ...]] = {
    "customers": ("customers",),
    "billing": ("service-plans", "invoices", "payments", "billing"),
    "network": ("olts", "odcs", "odps", "devices", "monitoring"),
    "tickets": ("tickets",),
    "boost": ("speed-boosts",),
    "audit": ("audit-logs",),
    "mikrotik-agent": ("routers",),
    "identity": ("auth", "tenants", "users"),
}

# /customers/{id}/<sub-resource> (and below it) served by another service than customers.
CUSTOMER_SUBRESOURCES: dict[str, str] = {
    "payments": "billing",
    "invoices": "billing",  # a customer's invoices and account, in one place (docs/billing.md)
    "account": "billing",
    "monitoring": "network",  # also /monitoring/current
    "speed-boost": "boost",  # also /speed-boost/deactivate
    "audit-logs": "audit",
    "portal-account": "identity",  # a subscriber's portal login (docs/identity.md)
}

# Paths outside /api/v1 served as they are: the keys other services verify tokens with, and
# the discovery document OIDC clients read, at the root where OIDC clients look for them.
ROOT_PREFIXES: dict[str, str] = {"/.well-known/": "identity"}

# The web front ends' pages, outside /api/v1 (their static files are below /console/ too).
FRONTEND_PREFIXES: dict[str, str] = {"/console/": "console", "/portal/": "console"}

TOKEN_PATH = f"{API_PREFIX}/auth/token"

UUID_PATTERN = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"

# What may reach the nginx configuration from outside: nothing that could end a directive.
_SIZE = re.compile(r"^[0-9]+[kKmMgG]?$")
_LISTEN = re.compile(r"^(?:(?:[A-Za-z0-9.-]+|\*|\[[0-9A-Fa-f:.]+\]):)?[0-9]{1,5}$")
_HOST_PORT = re.compile(r"^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$")
_WORKERS = re.compile(r"^(?:auto|[1-9][0-9]?)$")
_UNSAFE_PATH = re.compile(r"[\s\"';{}$\\]")
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")


class GatewaySettings(BaseSettings):
    """`ISP_GATEWAY_*`: where the gateway listens and its limits."""

    model_config = SettingsConfigDict(env_prefix="ISP_GATEWAY_", extra="ignore")

    listen: str = f"127.0.0.1:{GATEWAY_PORT}"
    rate: int = Field(200, ge=1, description="requests per second per client address")
    burst: int = Field(1000, ge=0, description="requests above the rate answered at once")
    max_body_size: str = "10m"
    connect_timeout_seconds: int = Field(5, ge=1)
    read_timeout_seconds: int = Field(60, ge=1)
    worker_processes: str = "auto"
    worker_connections: int = Field(1024, ge=16)
    upstream_keepalive: int = Field(32, ge=0, description="idle connections kept per service")
    # Comma-separated addresses or CIDRs of load balancers in front of the gateway whose
    # X-Forwarded-For is believed (nginx realip); empty: the peer is the client.
    trusted_proxies: str = ""
    # Comma-separated addresses or CIDRs of the console's replicas: it calls the API for the
    # browser and says the browser's address in X-Forwarded-For, believed from these only.
    console_addresses: str = ""
    # POST /api/v1/auth/token per client address: logins and refreshes, not API calls.
    token_rate_per_minute: int = Field(60, ge=1, description="token requests per minute")
    token_burst: int = Field(20, ge=0, description="token requests above the rate at once")

    @field_validator("listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        if not _LISTEN.match(value):
            raise ValueError("expected PORT or HOST:PORT, e.g. 127.0.0.1:8080")
        return value

    @field_validator("max_body_size")
    @classmethod
    def _size(cls, value: str) -> str:
        if not _SIZE.match(value):
            raise ValueError("expected a size like 10m, 512k or 1048576")
        return value

    @field_validator("worker_processes")
    @classmethod
    def _workers(cls, value: str) -> str:
        if not _WORKERS.match(value):
            raise ValueError("expected auto or a number of processes")
        return value

    @field_validator("trusted_proxies", "console_addresses")
    @classmethod
    def _proxies(cls, value: str) -> str:
        for item in _split(value):
            ipaddress.ip_network(item, strict=False)  # raises ValueError
        return value

    @property
    def port(self) -> int:
        return int(self.listen.rsplit(":", 1)[-1])

    @property
    def host(self) -> str:
        """Where this machine reaches the gateway (a wildcard listen is reached on loopback)."""
        if ":" not in self.listen:
            return "127.0.0.1"
        host = self.listen.rsplit(":", 1)[0].strip("[]")
        return "127.0.0.1" if host in ("*", "0.0.0.0", "::", "") else host  # noqa: S104

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def with_port_offset(self, offset: int) -> GatewaySettings:
        if not offset:
            return self
        head, _, port = self.listen.rpartition(":")
        listen = f"{head}:{int(port) + offset}" if head else str(int(port) + offset)
        return self.model_copy(update={"listen": listen})


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def upstream_name(service: str) -> str:
    return "isp_" + service.replace("-", "_")


def local_upstreams(port_offset: int = 0, host: str = "127.0.0.1") -> dict[str, str]:
    """Every service at `host` on its port (docs/architecture.md, "The map"; plus the offset)."""
    return {
        spec.name: f"{host}:{spec.port + port_offset}" for spec in (*KNOWN_SERVICES, *FRONTENDS)
    }


def templated_upstreams(host_template: str, port_offset: int = 0) -> dict[str, str]:
    """`{service}` in the template is the service's name: `{service}` → `billing:8002` (the
    DNS names of compose or Kubernetes Services), `127.0.0.1` → every service on loopback."""
    return {
        spec.name: f"{host_template.replace('{service}', spec.name)}:{spec.port + port_offset}"
        for spec in (*KNOWN_SERVICES, *FRONTENDS)
    }


def limit_req(burst: int, zone: str = "isp_per_client") -> str:
    """The rate limit of a location; nginx refuses an explicit `burst=0` (no burst: the default)."""
    return f"limit_req zone={zone}" + (f" burst={burst} nodelay;" if burst else ";")


def _location(match: str, service: str, burst: int, upstream_uri: str = "", extra: str = "") -> str:
    return (
        f"        location {match} {{\n"
        f"            set $isp_service {service};\n"
        f"            {limit_req(burst)}\n"
        f"{extra}"
        f"            proxy_pass http://{upstream_name(service)}{upstream_uri};\n"
        f"        }}\n"
    )


def token_location(burst: int, token_burst: int) -> str:
    """The token endpoint: both limits apply (nginx checks every limit_req of a location); its
    429 names the token limit. Not an `error_page` of its own: one in a location drops every
    error_page of the server there (nginx inherits them only into a level that has none)."""
    extra = (
        f"            {limit_req(token_burst, 'isp_token_per_client')}\n"
        "            set $isp_rate_limit token;\n"
    )
    return _location(f"= {TOKEN_PATH}", "identity", burst, extra=extra)


def root_locations(burst: int) -> str:
    return "".join(_location(prefix, service, burst) for prefix, service in ROOT_PREFIXES.items())


def api_locations(burst: int, token_burst: int = 0) -> str:
    blocks: list[str] = [token_location(burst, token_burst)]
    for service, collections in COLLECTIONS.items():
        for collection in collections:
            blocks.append(_location(f"= {API_PREFIX}/{collection}", service, burst))
            blocks.append(_location(f"{API_PREFIX}/{collection}/", service, burst))
    for sub, service in CUSTOMER_SUBRESOURCES.items():
        pattern = f"^{API_PREFIX}/customers/{UUID_PATTERN}/{sub}(?:/|$)"
        blocks.append(_location(f'~ "{pattern}"', service, burst))
    return "".join(blocks)


def frontend_locations(burst: int) -> str:
    blocks = []
    for prefix, frontend in FRONTEND_PREFIXES.items():
        blocks.append(
            f"        location = {prefix.rstrip('/')} {{\n"
            "            absolute_redirect off;\n"
            f"            return 308 {prefix}$is_args$args;\n"
            "        }\n"
        )
        # The console's own error pages (HTML) pass through; nginx's are the envelope's.
        blocks.append(_location(prefix, frontend, burst))
    return "".join(blocks)


def _upstream_services() -> list[str]:
    return [*COLLECTIONS, *dict.fromkeys(FRONTEND_PREFIXES.values())]


def openapi_locations(burst: int) -> str:
    return "".join(
        _location(f"= {API_PREFIX}/{service}/openapi.json", service, burst, "/openapi.json")
        for service in COLLECTIONS
    )


def upstream_blocks(upstreams: Mapping[str, str], keepalive: int) -> str:
    missing = set(_upstream_services()) - set(upstreams)
    if missing:
        raise ValueError(f"no upstream address for {', '.join(sorted(missing))}")
    blocks = []
    for service in _upstream_services():
        address = upstreams[service]
        if not _HOST_PORT.match(address):
            raise ValueError(f"{service}: upstream {address!r} is not HOST:PORT")
        lines = [f"    upstream {upstream_name(service)} {{", f"        server {address};"]
        if keepalive:
            lines += [f"        keepalive {keepalive};", "        keepalive_timeout 4s;"]
        blocks.append("\n".join([*lines, "    }", ""]))
    return "\n".join(blocks)


def _safe_path(path: Path | str) -> str:
    text = str(path)
    if _UNSAFE_PATH.search(text):
        raise ValueError(f"{text!r}: a gateway path may not hold spaces, quotes, ; {{}} $ or \\")
    return text


def render(
    settings: GatewaySettings,
    upstreams: Mapping[str, str],
    runtime_dir: Path | str,
    *,
    access_log: Path | str | None = None,
    user: str | None = None,
    template: Path = TEMPLATE,
) -> str:
    """The nginx configuration. `runtime_dir` holds the pid file and temporary files;
    `access_log` is a file, `"stdout"`, or None (off); `user` the workers' user when the master
    runs as root (None: nginx's default)."""
    if access_log is None:
        access = "off"
    elif str(access_log) == "stdout":
        access = "/dev/stdout isp_json"
    else:
        access = f'"{_safe_path(access_log)}" isp_json buffer=64k flush=1s'
    proxies = list(
        dict.fromkeys(_split(settings.trusted_proxies) + _split(settings.console_addresses))
    )
    real_ip = "".join(f"    set_real_ip_from {p};\n" for p in proxies)
    if proxies:
        real_ip += "    real_ip_header X-Forwarded-For;\n    real_ip_recursive on;\n"
    if user is not None and not re.fullmatch(r"[A-Za-z0-9_.-]+", user):
        raise ValueError(f"{user!r} is not a user name")
    values = {
        "main_directives": f"user {user};\n" if user else "",
        "worker_processes": settings.worker_processes,
        "worker_connections": str(settings.worker_connections),
        "runtime_dir": _safe_path(Path(runtime_dir)),
        "error_log": "stderr",
        "access_log": access,
        "real_ip": real_ip,
        "rate": str(settings.rate),
        "burst": str(settings.burst),
        "token_rate": str(settings.token_rate_per_minute),
        "token_burst": str(settings.token_burst),
        "limit_req": limit_req(settings.burst),
        "max_body_size": settings.max_body_size,
        "connect_timeout": str(settings.connect_timeout_seconds),
        "read_timeout": str(settings.read_timeout_seconds),
        "listen": settings.listen,
        "upstreams": upstream_blocks(upstreams, settings.upstream_keepalive),
        "openapi_locations": openapi_locations(settings.burst),
        "api_locations": api_locations(settings.burst, settings.token_burst),
        "root_locations": root_locations(settings.burst),
        "frontend_locations": frontend_locations(settings.burst),
    }
    text = template.read_text()
    unknown = set(_PLACEHOLDER.findall(text)) - set(values)
    if unknown:
        raise ValueError(f"{template}: unknown placeholder(s) {', '.join(sorted(unknown))}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
