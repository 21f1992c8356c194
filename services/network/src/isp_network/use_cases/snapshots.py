"""The tree and the devices as the published language carries them (no secret in clear)."""

from __future__ import annotations

from uuid import UUID

from isp_common.contracts.network import DeviceSnapshot, OdcSnapshot, OdpSnapshot, OltSnapshot

from isp_network.domain.devices import Device, DeviceStatus
from isp_network.domain.fiber import Odc, Odp, Olt


def olt_snapshot(olt: Olt, *, deleted: bool = False) -> OltSnapshot:
    return OltSnapshot(
        id=olt.id,
        name=olt.name,
        ip_address=olt.ip_address,
        vendor=olt.vendor,
        location=olt.location,
        is_active=olt.is_active,
        is_deleted=deleted,
        version=olt.version,
    )


def odc_snapshot(odc: Odc, *, deleted: bool = False) -> OdcSnapshot:
    return OdcSnapshot(
        id=odc.id,
        olt_id=odc.olt_id,
        name=odc.name,
        capacity=odc.capacity,
        is_active=odc.is_active,
        is_deleted=deleted,
        version=odc.version,
    )


def odp_snapshot(odp: Odp, olt_id: UUID | None, *, deleted: bool = False) -> OdpSnapshot:
    return OdpSnapshot(
        id=odp.id,
        odc_id=odp.odc_id,
        olt_id=olt_id,
        name=odp.name,
        capacity=odp.capacity,
        is_active=odp.is_active,
        is_deleted=deleted,
        version=odp.version,
    )


def device_snapshot(device: Device, *, deleted: bool = False) -> DeviceSnapshot:
    """The agent reaches the router with this: address, API port, user, Fernet-encrypted
    password (only holders of ISP_SECRET_KEY read it)."""
    return DeviceSnapshot(
        id=device.id,
        name=device.device_name,
        device_type=device.device_type.value,
        status=device.status.value,
        serial_number=device.serial_number,
        ip_address=device.ip_address,
        api_port=device.api_port,
        username=device.mikrotik_username,
        password_encrypted=device.mikrotik_password_encrypted,
        is_default_mikrotik=device.is_default_mikrotik and not deleted,
        customer_id=device.customer_id,
        is_deleted=deleted,
        version=device.version,
        updated_at=device.updated_at,
        api_enabled=device.mikrotik_api_enabled,
        is_active=(
            not deleted
            and device.mikrotik_api_enabled
            and device.status is not DeviceStatus.MAINTENANCE
        ),
    )
