"""Builds what the service runs on from settings: database and unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from isp_common.runtime import ServiceRuntime, service_database
from isp_common.settings import Settings

from isp_billing.adapters.unit_of_work import BillingUnitOfWork

SERVICE = "billing"


@dataclass(frozen=True)
class Runtime(ServiceRuntime[BillingUnitOfWork]):
    # How often the worker looks for tenants whose daily run is due.
    daily_check_seconds: float = 300.0

    def unit_of_work(self, tenant_id: UUID) -> BillingUnitOfWork:
        return BillingUnitOfWork(self.db, tenant_id)


def billing_settings(**overrides: Any) -> Settings:
    return Settings(service_name=SERVICE, **overrides)


def build_runtime(settings: Settings) -> Runtime:
    return Runtime(settings=settings, db=service_database(settings))
