"""Builds what the service runs on from settings: database, unit of work, secrets, the agent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx

from isp_common.router_targets import IPNetwork, parse_router_networks
from isp_common.runtime import ServiceRuntime, service_database
from isp_common.secrets import SecretBox, service_secret_box
from isp_common.settings import Settings

from isp_network.adapters.agent_client import AgentClient
from isp_network.adapters.partitions import SamplePartitions
from isp_network.adapters.unit_of_work import NetworkUnitOfWork

SERVICE = "network"


class NetworkSettings(Settings):
    """The platform's settings plus what only the network service reads (`ISP_NETWORK_…`)."""

    # Samples older than this are dropped (whole day partitions) and refused at ingest.
    network_monitoring_retention_days: int = 90
    network_partitions_ahead_days: int = 7
    network_partition_job_seconds: float = 3600.0
    network_retention_job_seconds: float = 3600.0
    # Reaching a router through the agent can take the agent's own timeout and retries.
    network_agent_timeout_seconds: float = 10.0

    @property
    def monitoring_retention(self) -> timedelta:
        return timedelta(days=self.network_monitoring_retention_days)


@dataclass(frozen=True)
class Runtime(ServiceRuntime[NetworkUnitOfWork]):
    settings: NetworkSettings
    secrets: SecretBox
    http: httpx.AsyncClient
    agent: AgentClient
    partitions: SamplePartitions
    router_networks: tuple[IPNetwork, ...]

    def unit_of_work(self, tenant_id: UUID) -> NetworkUnitOfWork:
        return NetworkUnitOfWork(self.db, tenant_id, self.partitions)

    def units(self, tenant_id: UUID) -> Callable[[], NetworkUnitOfWork]:
        return lambda: self.unit_of_work(tenant_id)

    async def aclose(self) -> None:
        await self.http.aclose()
        await super().aclose()


def network_settings(**overrides: Any) -> NetworkSettings:
    return NetworkSettings(service_name=SERVICE, **overrides)


def build_runtime(settings: NetworkSettings) -> Runtime:
    router_networks = parse_router_networks(settings.router_networks)  # a bad list fails here
    db = service_database(settings)
    http = httpx.AsyncClient(timeout=settings.http_timeout_seconds)
    return Runtime(
        settings=settings,
        db=db,
        secrets=service_secret_box(settings),
        http=http,
        agent=AgentClient(
            http, settings.url_of("mikrotik-agent"), settings.network_agent_timeout_seconds
        ),
        partitions=SamplePartitions(db),
        router_networks=router_networks,
    )
