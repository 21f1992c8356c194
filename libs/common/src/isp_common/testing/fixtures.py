"""The fixtures every service's tests build the same way: a migrated database, the settings, the
runtime, the app, tenants, the outbox, the worker and the broker's clean-up.

A service's `tests/conftest.py` imports them all and declares what is its own in one session
fixture, `service`, a `ServiceUnderTest`:

    from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
    from isp_common.testing.fixtures import ServiceUnderTest

    @pytest.fixture(scope="session")
    def service() -> ServiceUnderTest[Runtime]:
        return ServiceUnderTest("billing", MIGRATIONS, build_runtime, create_billing_app, Tenant)

Imported rather than registered as a global plugin: a session fixture defined once would be
built for the first service a `make test` session reaches and then handed, cached, to all the
others; imported into each conftest, each service has its own (and its directory sees only its
own). A conftest that needs a fixture made otherwise defines it after the import, and its own wins.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_common.messaging.worker import Worker
from isp_common.settings import Settings
from isp_common.testing import (
    OutboxEvents,
    broker,
    engine_for,
    migrated_database,
    outbox_events_of,
    settings_for_test,
)
from isp_common.testing.bus import running
from isp_common.testing.tenants import TenantFactory


class _Runtime(Protocol):
    @property
    def settings(self) -> Settings: ...

    async def aclose(self) -> None: ...


class _Tenant(Protocol):
    async def aclose(self) -> None: ...


RuntimeT = TypeVar("RuntimeT", bound=_Runtime)

# What `import *` brings into a conftest: the fixtures, not the declaration (imported by name).
__all__ = [
    "app",
    "forget_broker_names",
    "make_settings",
    "new_tenant",
    "outbox_events",
    "owner_engine",
    "owner_url",
    "runtime",
    "settings",
    "tenant",
    "worker",
]


@dataclass(frozen=True)
class ServiceUnderTest(Generic[RuntimeT]):
    """What makes one service's test harness its own."""

    # As the platform names it (`mikrotik-agent`); its schema: the same with `_`.
    name: str
    migrations: Path
    build_runtime: Callable[[Any], RuntimeT]
    create_app: Callable[[RuntimeT], FastAPI]
    # The service's ApiTenant subclass (or anything that makes one of the runtime and the app).
    tenant: Callable[[RuntimeT, FastAPI], _Tenant]
    # How `outbox_events` finds a test's events: by the aggregate's id or by the tenant's.
    outbox_by: Literal["aggregate_id", "tenant_id"] = "aggregate_id"
    # Settings on the test database with the given overrides; settings_for_test by default. A
    # service whose tests need more (where its neighbours are) passes its own.
    test_settings: Callable[..., Settings] | None = None
    # What `worker` runs: the service's worker (its relay, consumers and jobs).
    build_worker: Callable[[RuntimeT], Worker] | None = None

    @property
    def schema(self) -> str:
        return self.name.replace("-", "_")

    def settings_on(self, owner_url: str, **overrides: object) -> Settings:
        if self.test_settings is not None:
            return self.test_settings(owner_url, **overrides)
        return settings_for_test(self.name, owner_url, **overrides)


@pytest.fixture(scope="session")
def owner_url(service: ServiceUnderTest[Any]) -> Iterator[str]:
    """The owner URL of the session's freshly migrated database."""
    yield from migrated_database(service.schema, {service.schema: service.migrations})


@pytest.fixture(scope="session")
def make_settings(service: ServiceUnderTest[Any], owner_url: str) -> Callable[..., Settings]:
    """Settings on the test database with some overridden (e.g. where a neighbour is)."""
    return lambda **overrides: service.settings_on(owner_url, **overrides)


@pytest.fixture(scope="session")
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture(scope="session")
async def runtime(service: ServiceUnderTest[Any], settings: Settings) -> AsyncIterator[Any]:
    async with contextlib.aclosing(service.build_runtime(settings)) as built:
        yield built


@pytest.fixture(scope="session")
async def owner_engine(owner_url: str) -> AsyncIterator[AsyncEngine]:
    """The migrations' owner: for looking at (or tampering with) what the service stored, never
    for what the service does."""
    async with engine_for(owner_url) as engine:
        yield engine


@pytest.fixture(scope="session")
def app(service: ServiceUnderTest[Any], runtime: Any) -> FastAPI:
    return service.create_app(runtime)


@pytest.fixture(scope="session")
async def new_tenant(
    service: ServiceUnderTest[Any], runtime: Any, app: FastAPI
) -> AsyncIterator[Callable[[], Any]]:
    """Session-wide, so that property tests and module fixtures can make tenants too."""
    async with TenantFactory(lambda: service.tenant(runtime, app)) as factory:
        yield factory


@pytest.fixture
async def tenant(new_tenant: Callable[[], Any]) -> Any:
    return new_tenant()


@pytest.fixture
async def worker(service: ServiceUnderTest[Any], runtime: Any) -> AsyncIterator[Worker]:
    """The service's own worker, running for the test: relay, consumers, jobs."""
    if service.build_worker is None:
        raise pytest.UsageError(f"{service.name}'s ServiceUnderTest names no build_worker")
    async with running(service.build_worker(runtime)) as started:
        yield started


@pytest.fixture(scope="session")
def outbox_events(service: ServiceUnderTest[Any], owner_engine: AsyncEngine) -> OutboxEvents:
    """The events an aggregate's (or the tenant's) changes wrote to the outbox, oldest first."""
    return outbox_events_of(owner_engine, service.schema, by=service.outbox_by)


@pytest.fixture(scope="session")
def forget_broker_names() -> Callable[[Settings], Awaitable[None]]:
    return broker.forget_broker_names
