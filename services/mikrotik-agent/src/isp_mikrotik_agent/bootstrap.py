"""Builds what the service runs on from settings: database, unit of work, secrets, lanes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any
from uuid import UUID

from isp_common.router_targets import IPNetwork, parse_router_networks
from isp_common.runtime import ServiceRuntime, service_database
from isp_common.secrets import SecretBox, service_secret_box
from isp_common.settings import Settings

from isp_mikrotik_agent.adapters.unit_of_work import AgentUnitOfWork
from isp_mikrotik_agent.controller.lane import LaneConfig

SERVICE = "mikrotik-agent"


class AgentSettings(Settings):
    """The platform's settings plus the controller's pacing (`ISP_AGENT_…`)."""

    agent_poll_seconds: float = 2.0
    agent_full_sync_seconds: float = 60.0
    agent_traffic_seconds: float | None = 30.0
    agent_command_timeout_seconds: float = 3.0
    agent_scan_seconds: float = 2.0
    agent_run_lanes: bool = True

    def lane_config(self) -> LaneConfig:
        return LaneConfig(
            poll_seconds=self.agent_poll_seconds,
            full_sync_seconds=self.agent_full_sync_seconds,
            traffic_seconds=self.agent_traffic_seconds,
            command_timeout=self.agent_command_timeout_seconds,
            router_networks=self.parsed_router_networks,
        )

    @cached_property
    def parsed_router_networks(self) -> tuple[IPNetwork, ...]:
        return parse_router_networks(self.router_networks)


@dataclass(frozen=True)
class Runtime(ServiceRuntime[AgentUnitOfWork]):
    settings: AgentSettings
    secrets: SecretBox

    def unit_of_work(self, tenant_id: UUID) -> AgentUnitOfWork:
        return AgentUnitOfWork(self.db, tenant_id)

    def decrypt(self, token: str) -> str:
        return self.secrets.decrypt(token)


def agent_settings(**overrides: Any) -> AgentSettings:
    return AgentSettings(service_name=SERVICE, **overrides)


def build_runtime(settings: AgentSettings) -> Runtime:
    settings.lane_config()  # a bad ISP_ROUTER_NETWORKS fails at start, not at the first router
    db = service_database(settings)
    return Runtime(settings=settings, db=db, secrets=service_secret_box(settings))
