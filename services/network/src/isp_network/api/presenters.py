"""Resources as the API shows them: never a secret, only whether one is set."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, PlainSerializer

from isp_network.domain.devices import (
    ConnectionStatus,
    ConnectionTest,
    Device,
    DeviceStatus,
    DeviceType,
)
from isp_network.domain.fiber import Occupied, Olt
from isp_network.domain.monitoring import Sample, SeriesPoint

Coordinate = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
Amount = Annotated[
    Decimal, PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json")
]


class OltOut(BaseModel):
    id: UUID
    name: str
    ip_address: str | None
    has_snmp_community: bool
    telnet_username: str | None
    has_telnet_password: bool
    location: str | None
    vendor: str | None
    is_active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class _CapacityOut(BaseModel):
    id: UUID
    name: str
    location: str | None
    latitude: Coordinate | None
    longitude: Coordinate | None
    capacity: int
    used: int
    available: int
    is_active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class OdcOut(_CapacityOut):
    olt_id: UUID


class OdpOut(_CapacityOut):
    """What customers reads as an OdpSnapshot (GET /odps/{id})."""

    odc_id: UUID
    olt_id: UUID | None


def present_olt(olt: Olt) -> OltOut:
    return OltOut.model_validate(
        {
            **vars(olt),
            "has_snmp_community": olt.snmp_community_encrypted is not None,
            "has_telnet_password": olt.telnet_password_encrypted is not None,
        }
    )


def _occupancy(item: Occupied) -> dict[str, Any]:
    capacity = item.node.capacity
    return {**vars(item.node), "used": item.used, "available": max(capacity - item.used, 0)}


def present_odc(item: Occupied) -> OdcOut:
    return OdcOut.model_validate(_occupancy(item))


def present_odp(item: Occupied) -> OdpOut:
    return OdpOut.model_validate({**_occupancy(item), "olt_id": item.olt_id})


class SyncResultOut(BaseModel):
    ok: bool
    added: int = 0
    updated: int = 0
    removed: int = 0
    error: str | None = None


class DeviceOut(BaseModel):
    id: UUID
    device_name: str
    device_type: DeviceType
    serial_number: str | None
    mac_address: str | None
    brand: str | None
    model: str | None
    firmware_version: str | None
    ip_address: str | None
    subnet_mask: str | None
    gateway: str | None
    location: str | None
    latitude: Coordinate | None
    longitude: Coordinate | None
    status: DeviceStatus
    last_seen: datetime | None
    customer_id: UUID | None
    parent_device_id: UUID | None
    installation_date: date | None
    warranty_until: date | None
    purchase_price: Amount | None
    notes: str | None
    mikrotik_username: str | None
    has_mikrotik_password: bool
    mikrotik_port: int | None
    mikrotik_api_enabled: bool
    is_default_mikrotik: bool
    connection_status: ConnectionStatus
    last_connected_at: datetime | None
    last_sync_at: datetime | None
    last_sync_result: SyncResultOut | None
    version: int
    created_at: datetime
    updated_at: datetime


def present_device(device: Device) -> DeviceOut:
    values = {k: v for k, v in vars(device).items() if k != "mikrotik_password_encrypted"}
    values["has_mikrotik_password"] = device.mikrotik_password_encrypted is not None
    return DeviceOut.model_validate(values)


class ConnectionTestOut(BaseModel):
    ok: bool
    identity: str | None
    version: str | None
    uptime: str | None
    latency_ms: float | None


def present_connection_test(result: ConnectionTest) -> ConnectionTestOut:
    return ConnectionTestOut.model_validate(vars(result))


class SyncRequestedOut(BaseModel):
    device_id: UUID
    status: str
    requested_at: datetime


class SampleOut(BaseModel):
    customer_id: UUID
    timestamp: datetime
    download_speed: int
    upload_speed: int
    download_usage: int
    upload_usage: int
    onu_status: str | None
    signal_strength: float | None
    temperature: float | None
    uptime: int | None
    is_online: bool
    last_seen: datetime | None


def present_sample(sample: Sample) -> SampleOut:
    return SampleOut.model_validate(vars(sample))


AvgSpeed = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class SeriesPointOut(BaseModel):
    bucket_start: datetime
    samples: int
    avg_download_speed: AvgSpeed
    max_download_speed: int
    avg_upload_speed: AvgSpeed
    max_upload_speed: int
    download_usage: int
    upload_usage: int
    online_samples: int


def present_point(point: SeriesPoint) -> SeriesPointOut:
    return SeriesPointOut.model_validate(vars(point))


class IngestOut(BaseModel):
    received: int
    stored: int
    dropped: int
