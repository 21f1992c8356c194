"""A tenant of the platform as a service's tests see it: tenants are free (a uuid), so each test
(or Hypothesis example) takes a fresh one, with tokens and API clients on the app in process."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Generic, Protocol, TypeVar
from uuid import UUID

import httpx
from fastapi import FastAPI

from isp_common.auth import mint_token
from isp_common.settings import Settings


class HasSettings(Protocol):
    @property
    def settings(self) -> Settings: ...


RuntimeT = TypeVar("RuntimeT", bound=HasSettings)


@dataclass
class ApiTenant(Generic[RuntimeT]):
    """A service's subclass names where its API is (`base_url`, e.g. `http://billing/api/v1`)
    and adds what other services' events would tell it about the tenant."""

    base_url: ClassVar[str]

    runtime: RuntimeT
    app: FastAPI
    id: UUID = field(default_factory=uuid.uuid4)
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    def token(self, *roles: str, customer_id: UUID | None = None, sub: str | None = None) -> str:
        """A token of a user of this tenant with the roles (admin if none)."""
        return mint_token(
            self.runtime.settings,
            tenant_id=self.id,
            roles=roles or ("admin",),
            sub=sub or f"user-{roles[0] if roles else 'admin'}",
            customer_id=customer_id,
        )

    def client(
        self, *roles: str, customer_id: UUID | None = None, sub: str | None = None
    ) -> httpx.AsyncClient:
        """An API client with such a user's token, closed with the tenant."""
        token = self.token(*roles, customer_id=customer_id, sub=sub)
        return self.anonymous_client({"Authorization": f"Bearer {token}"})

    def anonymous_client(self, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        """An API client with these headers only (none: no token at all)."""
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url=self.base_url,
            headers=headers or {},
        )
        self._clients.append(client)
        return client

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()


class _Closable(Protocol):
    async def aclose(self) -> None: ...


TenantT = TypeVar("TenantT", bound=_Closable)


class TenantFactory(Generic[TenantT]):
    """Makes tenants on demand and, on leaving `async with`, closes the clients of all it made:
    what a session-wide `new_tenant` fixture yields, so that property tests and module fixtures
    can make tenants too."""

    def __init__(self, make: Callable[[], TenantT]) -> None:
        self._make = make
        self._made: list[TenantT] = []

    def __call__(self) -> TenantT:
        self._made.append(self._make())
        return self._made[-1]

    async def __aenter__(self) -> TenantFactory[TenantT]:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for tenant in self._made:
            await tenant.aclose()
