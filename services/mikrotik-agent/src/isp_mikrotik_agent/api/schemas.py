from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from isp_common.web import RequestModel

from isp_mikrotik_agent.domain.desired import SuspensionMode, SuspensionSettings
from isp_mikrotik_agent.domain.stored_state import RouterRecord

ROUTEROS_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class SettingsIn(RequestModel):
    suspension_mode: SuspensionMode = SuspensionMode.ISOLATE
    isolation_profile: str = Field("isolir", min_length=1, max_length=64, pattern=ROUTEROS_NAME)
    isolation_address_list: str = Field(
        "isolir", min_length=1, max_length=64, pattern=ROUTEROS_NAME
    )

    def to_settings(self) -> SuspensionSettings:
        return SuspensionSettings(
            self.suspension_mode, self.isolation_profile, self.isolation_address_list
        )


class SettingsOut(BaseModel):
    suspension_mode: SuspensionMode
    isolation_profile: str
    isolation_address_list: str

    @classmethod
    def of(cls, value: SuspensionSettings) -> SettingsOut:
        return cls(
            suspension_mode=value.mode,
            isolation_profile=value.isolation_profile,
            isolation_address_list=value.isolation_address_list,
        )


class RouterOut(BaseModel):
    id: UUID
    name: str
    host: str | None
    port: int
    is_default_mikrotik: bool
    connection_status: str
    last_connected_at: datetime | None
    last_error: str | None
    last_sync_at: datetime | None
    last_sync_result: dict[str, Any] | None
    subscriber_count: int

    @classmethod
    def of(cls, router: RouterRecord) -> RouterOut:
        return cls(
            id=router.id,
            name=router.name,
            host=router.host,
            port=router.port,
            is_default_mikrotik=router.is_default,
            connection_status=router.connection_status,
            last_connected_at=router.last_connected_at,
            last_error=router.last_error,
            last_sync_at=router.last_sync_at,
            last_sync_result=router.last_sync_result,
            subscriber_count=router.subscriber_count,
        )


class OperationOut(BaseModel):
    id: int
    router_id: UUID
    customer_id: UUID | None
    action: str
    menu: str
    object_name: str
    request: dict[str, Any]
    outcome: str
    error: str | None
    at: datetime


class ConnectionTestOut(BaseModel):
    ok: bool
    identity: str | None
    version: str | None
    uptime: str | None
    latency_ms: float | None
    error: str | None


class QueueOut(BaseModel):
    id: str | None
    name: str | None
    target: str | None
    max_limit: str | None
    burst_limit: str | None
    bytes: str | None
    rate: str | None
    disabled: bool
    comment: str | None
    managed: bool
    customer_id: UUID | None


class SyncAccepted(BaseModel):
    router_id: UUID
    status: str


class DryRunOut(BaseModel):
    dry_run: bool
    ok: bool
    full: bool
    subscribers: int
    added: int
    updated: int
    removed: int
    disconnected: int
    failed: int
    error: str | None
    changes: list[dict[str, Any]]
