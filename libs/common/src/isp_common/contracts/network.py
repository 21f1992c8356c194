"""network.odp.* (placement capacity) and network.device.* (routers and their credentials)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from isp_common.contracts import register


class OdpSnapshot(BaseModel):
    id: UUID
    odc_id: UUID | None = None
    olt_id: UUID | None = None
    name: str
    code: str | None = None
    capacity: int
    is_active: bool = True
    is_deleted: bool = False
    version: int


class DeviceSnapshot(BaseModel):
    id: UUID
    name: str
    device_type: str  # router | onu | switch | access_point
    status: str  # online | offline | maintenance
    serial_number: str | None = None
    ip_address: str | None = None
    api_port: int | None = None
    username: str | None = None
    password_encrypted: str | None = None  # Fernet token
    is_default_mikrotik: bool = False
    customer_id: UUID | None = None
    is_deleted: bool = False
    version: int
    updated_at: datetime


for verb in ("created", "updated", "deleted"):
    register(
        f"network.odp.{verb}", OdpSnapshot, f"An ODP was {verb}; customers keeps its capacity."
    )
    register(
        f"network.device.{verb}",
        DeviceSnapshot,
        f"A device was {verb}; the agent keeps its routers (address, credentials, default).",
    )
