"""Devices: create, change, delete; at most one default router per tenant."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from isp_common.contracts.network import DEVICE_EVENTS
from isp_common.errors import Conflict, NotFound
from isp_common.pagination import Page, PageRequest
from isp_common.router_targets import IPNetwork
from isp_common.secrets import SecretBox

from isp_network.domain.devices import Device, DeviceFilter
from isp_network.domain.errors import field_conflict, unknown_reference
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.ports import UnitOfWork
from isp_network.use_cases.secrets import encrypt_secrets
from isp_network.use_cases.snapshots import device_snapshot

SERIAL_TAKEN = "this serial number is already used by another device"


async def create_device(
    uow: UnitOfWork,
    fields: dict[str, Any],
    clear_secrets: dict[str, str | None],
    box: SecretBox,
    router_networks: Sequence[IPNetwork],
) -> Device:
    now = utc_now()
    device = Device(
        id=uuid.uuid4(),
        version=1,
        created_at=now,
        updated_at=now,
        **fields,
        **encrypt_secrets(box, clear_secrets),
    )
    device.check()
    device.check_router_target(router_networks)
    await _check_references(uow, device)
    if device.is_default_mikrotik:
        await _clear_other_defaults(uow, device.id)
    await uow.devices.add(device)
    uow.raise_event(DEVICE_EVENTS.created, device.id, device.version, device_snapshot(device))
    return device


async def update_device(
    uow: UnitOfWork,
    device_id: UUID,
    changes: dict[str, Any],
    clear_secrets: dict[str, str | None],
    box: SecretBox,
    router_networks: Sequence[IPNetwork],
) -> Device:
    """A new host, port or username without a new password in the same request drops the
    stored password: it must not follow the router's login to wherever it now points."""
    device = await _locked(uow, device_id)
    updated = device.changed({**changes, **encrypt_secrets(box, clear_secrets)}, utc_now())
    if updated.points_elsewhere_than(device) and "mikrotik_password" not in clear_secrets:
        updated = dataclasses.replace(updated, mikrotik_password_encrypted=None)
    updated.check_router_target(router_networks)
    await _check_references(uow, updated, previous=device)
    if updated.is_default_mikrotik and not device.is_default_mikrotik:
        await _clear_other_defaults(uow, updated.id)
    await uow.devices.save(updated)
    uow.raise_event(DEVICE_EVENTS.updated, updated.id, updated.version, device_snapshot(updated))
    return updated


async def delete_device(uow: UnitOfWork, device_id: UUID) -> None:
    device = await _locked(uow, device_id)
    children = await uow.devices.count_children(device_id)
    if children:
        raise Conflict(
            f"{children} device(s) name this one as their parent",
            {"id": str(device_id), "children": children},
        )
    await uow.devices.delete(device_id)
    gone = device.changed({}, utc_now())
    uow.raise_event(
        DEVICE_EVENTS.deleted, device_id, gone.version, device_snapshot(gone, deleted=True)
    )


async def get_device(uow: UnitOfWork, device_id: UUID) -> Device:
    device = await uow.devices.get(device_id)
    if device is None:
        raise NotFound("device")
    return device


async def get_device_by_serial(uow: UnitOfWork, serial: str) -> Device:
    device = await uow.devices.by_serial(serial)
    if device is None:
        raise NotFound("device")
    return device


async def list_devices(uow: UnitOfWork, where: DeviceFilter, request: PageRequest) -> Page[Device]:
    return await uow.devices.page(where, request)


async def _clear_other_defaults(uow: UnitOfWork, new_default: UUID) -> None:
    """In the transaction that makes `new_default` the default: the lock makes concurrent
    changes of default take turns, so each finds (and clears) the one before it."""
    await uow.devices.lock_default_router()
    for previous in await uow.devices.default_routers(other_than=new_default):
        cleared = previous.changed({"is_default_mikrotik": False}, utc_now())
        await uow.devices.save(cleared)
        uow.raise_event(
            DEVICE_EVENTS.updated, cleared.id, cleared.version, device_snapshot(cleared)
        )


async def _check_references(
    uow: UnitOfWork, device: Device, previous: Device | None = None
) -> None:
    serial_changed = previous is None or device.serial_number != previous.serial_number
    serial = device.serial_number
    if (
        serial is not None
        and serial_changed
        and await uow.devices.serial_taken(serial, other_than=device.id)
    ):
        raise field_conflict("serial_number", SERIAL_TAKEN)
    parent_changed = previous is None or device.parent_device_id != previous.parent_device_id
    if device.parent_device_id is not None and parent_changed:
        if await uow.devices.get(device.parent_device_id) is None:
            raise unknown_reference("parent_device_id", "parent device")
        if device.id in await uow.devices.ancestors(device.parent_device_id):
            raise field_conflict("parent_device_id", "a device cannot be below itself")


async def _locked(uow: UnitOfWork, device_id: UUID) -> Device:
    device = await uow.devices.get(device_id, for_update=True)
    if device is None:
        raise NotFound("device")
    return device
