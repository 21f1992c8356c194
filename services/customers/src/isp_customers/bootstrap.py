"""Builds what the service runs on from settings: database, unit of work, secrets, HTTP clients."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx

from isp_common.runtime import ServiceRuntime, service_database
from isp_common.secrets import SecretBox, service_secret_box
from isp_common.settings import Settings

from isp_customers.adapters.billing_client import BillingClient
from isp_customers.adapters.http_reference_lookup import HttpReferenceLookup
from isp_customers.adapters.network_client import NetworkClient
from isp_customers.adapters.unit_of_work import CustomersUnitOfWork

SERVICE = "customers"


@dataclass(frozen=True)
class Runtime(ServiceRuntime[CustomersUnitOfWork]):
    secrets: SecretBox
    http: httpx.AsyncClient
    billing: BillingClient
    network: NetworkClient

    def unit_of_work(self, tenant_id: UUID) -> CustomersUnitOfWork:
        return CustomersUnitOfWork(self.db, tenant_id)

    def references_for(self, bearer_token: str | None) -> HttpReferenceLookup:
        return HttpReferenceLookup(self.billing, self.network, bearer_token)

    async def aclose(self) -> None:
        await self.http.aclose()
        await super().aclose()


def customers_settings(**overrides: Any) -> Settings:
    return Settings(service_name=SERVICE, **overrides)


def build_runtime(settings: Settings) -> Runtime:
    db = service_database(settings)
    http = httpx.AsyncClient(timeout=settings.http_timeout_seconds)
    return Runtime(
        settings=settings,
        db=db,
        secrets=service_secret_box(settings),
        http=http,
        billing=BillingClient(http, settings.url_of("billing")),
        network=NetworkClient(http, settings.url_of("network")),
    )
