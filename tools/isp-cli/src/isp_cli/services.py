"""The services `isp` knows: name, schema, package, port, and where their migrations live.

A service is *installed* when its package `isp_<schema>` is importable in this environment (it
is a workspace member listed in the root `pyproject.toml`). Nothing here imports a service:
packages are located with `importlib.util.find_spec`, so `isp token` stays fast and a broken
service cannot break the command for the others.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from isp_common.settings import FRONTEND_PORTS, SERVICE_PORTS


@dataclass(frozen=True)
class ServiceSpec:
    name: str  # as in docs/architecture.md and ISP_SERVICE_NAME: "customers", "mikrotik-agent"
    port: int

    @property
    def schema(self) -> str:
        return self.name.replace("-", "_")

    @property
    def package(self) -> str:
        return f"isp_{self.schema}"

    def package_dir(self) -> Path | None:
        try:
            spec = importlib.util.find_spec(self.package)
        except (ImportError, ValueError):
            return None
        if spec is None or not spec.submodule_search_locations:
            return None
        return Path(next(iter(spec.submodule_search_locations)))

    @property
    def collection(self) -> str:
        return MAIN_COLLECTION.get(self.name, self.name)

    @property
    def installed(self) -> bool:
        return self.package_dir() is not None

    def migrations_dir(self) -> Path | None:
        """`<package dir>/migrations` when it holds an alembic `env.py`."""
        package_dir = self.package_dir()
        if package_dir is None:
            return None
        location = package_dir / "migrations"
        return location if (location / "env.py").is_file() else None

    def runnable(self) -> bool:
        package_dir = self.package_dir()
        return package_dir is not None and (package_dir / "__main__.py").is_file()


# The first collection each service serves under /api/v1 (docs/architecture.md, "The map"), for
# the URLs `isp up` prints.
MAIN_COLLECTION = {
    "customers": "customers",
    "billing": "service-plans",
    "network": "olts",
    "tickets": "tickets",
    "boost": "speed-boosts",
    "audit": "audit-logs",
    "mikrotik-agent": "routers",
    "identity": "users",
}

# The order is the start order of `isp up` (and that of the ports in docs/architecture.md).
KNOWN_SERVICES: tuple[ServiceSpec, ...] = tuple(
    ServiceSpec(name, port) for name, port in SERVICE_PORTS.items()
)

# The web front ends (the console's pages, /console/ and /portal/): `isp up` starts them after
# the services and the gateway routes to them, but no migration, role or broker user is theirs.
FRONTENDS: tuple[ServiceSpec, ...] = tuple(
    ServiceSpec(name, port) for name, port in FRONTEND_PORTS.items()
)


def installed_frontends() -> list[ServiceSpec]:
    return [spec for spec in FRONTENDS if spec.installed and spec.runnable()]


class UnknownService(ValueError):
    pass


def service(name: str) -> ServiceSpec:
    wanted = name.strip().lower().replace("_", "-")
    for spec in KNOWN_SERVICES:
        if spec.name == wanted:
            return spec
    known = ", ".join(s.name for s in KNOWN_SERVICES)
    raise UnknownService(f"unknown service {name!r} (known: {known})")


def installed_services() -> list[ServiceSpec]:
    return [spec for spec in KNOWN_SERVICES if spec.installed]


def select(names: list[str] | None) -> list[ServiceSpec]:
    """The named services (in platform order), or every installed one when none is named."""
    if not names:
        return installed_services()
    wanted = {service(n).name for n in names}
    return [spec for spec in KNOWN_SERVICES if spec.name in wanted]
