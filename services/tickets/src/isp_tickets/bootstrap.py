"""Builds what the service runs on from settings: the database and the unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from isp_common.runtime import ServiceRuntime, service_database
from isp_common.settings import Settings

from isp_tickets.adapters.unit_of_work import TicketsUnitOfWork

SERVICE = "tickets"


@dataclass(frozen=True)
class Runtime(ServiceRuntime[TicketsUnitOfWork]):
    def unit_of_work(self, tenant_id: UUID) -> TicketsUnitOfWork:
        return TicketsUnitOfWork(self.db, tenant_id)


def tickets_settings(**overrides: Any) -> Settings:
    return Settings(service_name=SERVICE, **overrides)


def build_runtime(settings: Settings) -> Runtime:
    return Runtime(settings=settings, db=service_database(settings))
