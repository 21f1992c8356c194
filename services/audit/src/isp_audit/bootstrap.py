"""Builds what the service runs on from settings: the database and the unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from isp_common.runtime import ServiceRuntime, service_database
from isp_common.settings import Settings

from isp_audit.adapters.unit_of_work import AuditUnitOfWork

SERVICE = "audit"


@dataclass(frozen=True)
class Runtime(ServiceRuntime[AuditUnitOfWork]):
    def unit_of_work(self, tenant_id: UUID) -> AuditUnitOfWork:
        return AuditUnitOfWork(self.db, tenant_id)


def audit_settings(**overrides: Any) -> Settings:
    return Settings(service_name=SERVICE, **overrides)


def build_runtime(settings: Settings) -> Runtime:
    return Runtime(settings=settings, db=service_database(settings))
