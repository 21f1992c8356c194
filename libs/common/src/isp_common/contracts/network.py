"""network.odp.* (placement capacity), network.device.* (routers and their credentials), and
network.olt.* / network.odc.* (the upper fiber tree, for the audit trail and placement)."""

from __future__ import annotations

from dataclasses import dataclass
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
    # Added (defaults keep older events readable): the seed's `mikrotik_api_enabled`, and
    # whether the agent should manage the router now (API enabled, not in maintenance, not
    # deleted).
    api_enabled: bool = True
    is_active: bool = True


class OltSnapshot(BaseModel):
    """No secret travels: the SNMP community and telnet password stay in network."""

    id: UUID
    name: str
    ip_address: str | None = None
    vendor: str | None = None
    location: str | None = None
    is_active: bool = True
    is_deleted: bool = False
    version: int


class OdcSnapshot(BaseModel):
    id: UUID
    olt_id: UUID
    name: str
    capacity: int
    is_active: bool = True
    is_deleted: bool = False
    version: int


@dataclass(frozen=True)
class LifecycleEvents:
    """The three event types of one aggregate network publishes: the names producers and
    consumers use instead of spelling the strings."""

    created: str
    updated: str
    deleted: str

    @classmethod
    def of(cls, aggregate: str) -> LifecycleEvents:
        return cls(*(f"network.{aggregate}.{verb}" for verb in ("created", "updated", "deleted")))


ODP_EVENTS = LifecycleEvents.of("odp")
DEVICE_EVENTS = LifecycleEvents.of("device")
OLT_EVENTS = LifecycleEvents.of("olt")
ODC_EVENTS = LifecycleEvents.of("odc")

for verb in ("created", "updated", "deleted"):
    register(
        getattr(ODP_EVENTS, verb), OdpSnapshot, f"An ODP was {verb}; customers keeps its capacity."
    )
    register(
        getattr(DEVICE_EVENTS, verb),
        DeviceSnapshot,
        f"A device was {verb}; the agent keeps its routers (address, credentials, default).",
    )
    register(getattr(OLT_EVENTS, verb), OltSnapshot, f"An OLT was {verb}.")
    register(getattr(ODC_EVENTS, verb), OdcSnapshot, f"An ODC was {verb}.")
