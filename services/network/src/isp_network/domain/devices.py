"""Network devices: routers (MikroTik, with API credentials), ONUs, switches, access points."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Self
from uuid import UUID

from isp_common.errors import Conflict
from isp_common.router_targets import IPNetwork, router_target_problem

from isp_network.domain.errors import field_conflict, invalid_field


class DeviceType(StrEnum):
    ROUTER = "router"
    ONU = "onu"
    SWITCH = "switch"
    ACCESS_POINT = "access_point"


class DeviceStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    MAINTENANCE = "maintenance"


class ConnectionStatus(StrEnum):
    """What the agent last found when it talked to the router's API."""

    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"


DEFAULT_API_PORT = 8728


@dataclass(frozen=True)
class Device:
    id: UUID
    device_name: str
    device_type: DeviceType
    status: DeviceStatus
    version: int
    created_at: datetime
    updated_at: datetime
    serial_number: str | None = None
    mac_address: str | None = None
    brand: str | None = None
    model: str | None = None
    firmware_version: str | None = None
    ip_address: str | None = None
    subnet_mask: str | None = None
    gateway: str | None = None
    location: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    last_seen: datetime | None = None
    customer_id: UUID | None = None
    parent_device_id: UUID | None = None
    installation_date: date | None = None
    warranty_until: date | None = None
    purchase_price: Decimal | None = None
    notes: str | None = None
    mikrotik_username: str | None = None
    mikrotik_password_encrypted: str | None = None
    mikrotik_port: int | None = None
    mikrotik_api_enabled: bool = False
    is_default_mikrotik: bool = False
    connection_status: ConnectionStatus = ConnectionStatus.UNKNOWN
    last_connected_at: datetime | None = None
    last_sync_at: datetime | None = None
    last_sync_result: dict[str, Any] | None = None

    def changed(self, changes: dict[str, Any], now: datetime) -> Self:
        updated = dataclasses.replace(
            self, **changes, version=self.version + 1, updated_at=max(now, self.updated_at)
        )
        updated.check()
        return updated

    def check(self) -> None:
        """Rules that hold for any device, whatever was changed."""
        if self.is_default_mikrotik and self.device_type is not DeviceType.ROUTER:
            raise field_conflict("is_default_mikrotik", "only a router can be the default router")
        if self.parent_device_id == self.id:
            raise field_conflict("parent_device_id", "a device cannot be its own parent")

    def check_router_target(self, allowed: Sequence[IPNetwork]) -> None:
        """A router's address is where the agent sends its credentials: only an IP address in
        the operator's router networks (isp_common.router_targets)."""
        if self.device_type is not DeviceType.ROUTER:
            return
        problem = router_target_problem(self.ip_address, allowed)
        if problem is not None:
            raise invalid_field("ip_address", problem)

    def points_elsewhere_than(self, before: Device) -> bool:
        """Another host, port or user: the stored password was given for another login."""
        return (self.ip_address, self.api_port, self.mikrotik_username) != (
            before.ip_address,
            before.api_port,
            before.mikrotik_username,
        )

    @property
    def is_manageable_router(self) -> bool:
        """The agent can reach it: a router with the MikroTik API on and an address."""
        return (
            self.device_type is DeviceType.ROUTER
            and self.mikrotik_api_enabled
            and self.ip_address is not None
        )

    @property
    def api_port(self) -> int:
        return self.mikrotik_port or DEFAULT_API_PORT

    def ensure_manageable(self) -> None:
        if not self.is_manageable_router:
            raise Conflict(
                "only a router with the MikroTik API enabled and an IP address can be reached",
                {
                    "device_type": self.device_type.value,
                    "mikrotik_api_enabled": self.mikrotik_api_enabled,
                    "has_ip_address": self.ip_address is not None,
                },
            )


@dataclass(frozen=True)
class DeviceFilter:
    device_type: DeviceType | None = None
    status: DeviceStatus | None = None
    customer_id: UUID | None = None
    parent_device_id: UUID | None = None
    is_default_mikrotik: bool | None = None
    search: str | None = None


@dataclass(frozen=True)
class RouterReport:
    """What the agent said of a router: a finished sync, or its connection going up or down."""

    router_id: UUID
    at: datetime
    connection_status: ConnectionStatus | None = None
    sync_result: dict[str, Any] | None = None


@dataclass(frozen=True)
class ConnectionTest:
    """The agent's answer when asked to reach a router now."""

    ok: bool
    identity: str | None = None
    version: str | None = None
    uptime: str | None = None
    latency_ms: float | None = None
