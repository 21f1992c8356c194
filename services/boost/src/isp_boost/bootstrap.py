"""Builds what the service runs on from settings: the database and the unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from isp_common.runtime import ServiceRuntime, service_database
from isp_common.settings import Settings

from isp_boost.adapters.unit_of_work import BoostUnitOfWork

SERVICE = "boost"


@dataclass(frozen=True)
class Runtime(ServiceRuntime[BoostUnitOfWork]):
    def unit_of_work(self, tenant_id: UUID) -> BoostUnitOfWork:
        return BoostUnitOfWork(self.db, tenant_id)


def boost_settings(**overrides: Any) -> Settings:
    return Settings(service_name=SERVICE, **overrides)


def build_runtime(settings: Settings) -> Runtime:
    return Runtime(settings=settings, db=service_database(settings))
