"""Request bodies. Every field is the seed's name in snake_case; unknown fields are refused.

In a PATCH, a field left out is unchanged; `null` clears an optional field. A field that cannot
be empty (a name, a capacity) is not nullable in the document, and null is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from isp_common.secrets import WriteOnlySecret
from isp_common.web import RequestModel

from isp_network.api.types import (
    ApiPort,
    Capacity,
    Counter,
    Flag,
    Host,
    IpAddress,
    Latitude,
    Longitude,
    MacAddress,
    Name,
    OnuStatus,
    Price,
    Serial,
    Short,
    SignalStrength,
    Speed,
    Temperature,
    Text,
    Username,
    UtcDateTime,
)
from isp_network.domain.devices import DeviceStatus, DeviceType
from isp_network.domain.monitoring import MAX_BATCH

_NOT_NULL = SkipJsonSchema[None]


class _Body(RequestModel):
    # Secret fields: sent in clear, leave the API layer only as `clear_secrets()`.
    SECRETS: ClassVar[tuple[str, ...]] = ()
    # Fields a PATCH may leave out but not set to null.
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Any:
        for name in self.REQUIRED:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self

    def fields(self, *, only_set: bool) -> dict[str, Any]:
        """Every field (create), or only those the client sent (PATCH); never a secret."""
        return self.model_dump(exclude_unset=only_set, exclude=set(self.SECRETS))

    def clear_secrets(self, *, only_set: bool) -> dict[str, str | None]:
        secrets: dict[str, str | None] = {}
        for name in self.SECRETS:
            if only_set and name not in self.model_fields_set:
                continue
            value = getattr(self, name)
            secrets[name] = value.get_secret_value() if value is not None else None
        return secrets


class OltFields(_Body):
    SECRETS = ("snmp_community", "telnet_password")
    REQUIRED = ("name", "is_active")

    name: Name | _NOT_NULL = None
    ip_address: IpAddress | None = None
    snmp_community: WriteOnlySecret | None = None
    telnet_username: Username | None = None
    telnet_password: WriteOnlySecret | None = None
    location: Text | None = None
    vendor: Short | None = None
    is_active: Flag | _NOT_NULL = None


class OltCreate(OltFields):
    name: Name
    is_active: Flag = True


class OdcFields(_Body):
    REQUIRED = ("name", "olt_id", "capacity", "is_active")

    name: Name | _NOT_NULL = None
    olt_id: UUID | _NOT_NULL = None
    capacity: Capacity | _NOT_NULL = Field(default=None, description="how many ODPs it holds")
    location: Text | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    is_active: Flag | _NOT_NULL = None


class OdcCreate(OdcFields):
    name: Name
    olt_id: UUID
    capacity: Capacity = Field(description="how many ODPs it holds")
    is_active: Flag = True


class OdpFields(_Body):
    REQUIRED = ("name", "odc_id", "capacity", "is_active")

    name: Name | _NOT_NULL = None
    odc_id: UUID | _NOT_NULL = None
    capacity: Capacity | _NOT_NULL = Field(default=None, description="how many customers it holds")
    location: Text | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    is_active: Flag | _NOT_NULL = None


class OdpCreate(OdpFields):
    name: Name
    odc_id: UUID
    capacity: Capacity = Field(description="how many customers it holds")
    is_active: Flag = True


class DeviceFields(_Body):
    SECRETS = ("mikrotik_password",)
    REQUIRED = (
        "device_name",
        "device_type",
        "status",
        "mikrotik_api_enabled",
        "is_default_mikrotik",
    )

    device_name: Name | _NOT_NULL = None
    device_type: DeviceType | _NOT_NULL = None
    serial_number: Serial | None = Field(default=None, description="unique within the tenant")
    mac_address: MacAddress | None = None
    brand: Short | None = None
    model: Short | None = None
    firmware_version: Short | None = None
    ip_address: Host | None = Field(default=None, description="IP address or host name")
    subnet_mask: IpAddress | None = None
    gateway: IpAddress | None = None
    location: Text | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    status: DeviceStatus | _NOT_NULL = None
    last_seen: UtcDateTime | None = None
    customer_id: UUID | None = None
    parent_device_id: UUID | None = None
    installation_date: date | None = None
    warranty_until: date | None = None
    purchase_price: Price | None = None
    notes: Text | None = None
    mikrotik_username: Username | None = None
    mikrotik_password: WriteOnlySecret | None = None
    mikrotik_port: ApiPort | None = Field(default=None, description="RouterOS API port (8728)")
    mikrotik_api_enabled: Flag | _NOT_NULL = None
    is_default_mikrotik: Flag | _NOT_NULL = Field(
        default=None,
        description="the tenant's default router (only a router); the previous one stops being it",
    )


class DeviceCreate(DeviceFields):
    device_name: Name
    device_type: DeviceType
    status: DeviceStatus = DeviceStatus.OFFLINE
    mikrotik_api_enabled: Flag = False
    is_default_mikrotik: Flag = Field(
        default=False,
        description="the tenant's default router (only a router); the previous one stops being it",
    )


class SampleIn(RequestModel):
    """One monitoring sample (the seed's MonitoringData). Speeds in kbps, usage in bytes over
    the sampling interval, uptime in seconds."""

    customer_id: UUID
    timestamp: UtcDateTime
    download_speed: Speed = 0
    upload_speed: Speed = 0
    download_usage: Counter = 0
    upload_usage: Counter = 0
    onu_status: OnuStatus | None = None
    signal_strength: SignalStrength | None = None
    temperature: Temperature | None = None
    uptime: Counter | None = None
    is_online: Flag = True
    last_seen: UtcDateTime | None = None


class SampleBatch(RequestModel):
    samples: list[SampleIn] = Field(min_length=1, max_length=MAX_BATCH)
