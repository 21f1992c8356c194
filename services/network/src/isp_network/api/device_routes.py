"""/devices: routers, ONUs, switches, access points; a router's test-connection and sync."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from isp_common.auth import Principal
from isp_common.text import SINGLE_LINE
from isp_common.web import (
    Envelope,
    ListEnvelope,
    PageParams,
    accepted,
    created,
    ok,
    ok_page,
    require,
)

from isp_network.api.dependencies import READERS, STRICT_QUERY, WRITERS, BearerDep, RuntimeDep
from isp_network.api.presenters import (
    ConnectionTestOut,
    DeviceOut,
    SyncRequestedOut,
    present_connection_test,
    present_device,
)
from isp_network.api.schemas import DeviceCreate, DeviceFields
from isp_network.domain.devices import DeviceFilter, DeviceStatus, DeviceType
from isp_network.use_cases.ask_agent import request_sync, test_connection
from isp_network.use_cases.devices import (
    create_device,
    delete_device,
    get_device,
    get_device_by_serial,
    list_devices,
    update_device,
)

router = APIRouter(prefix="/devices", tags=["devices"], dependencies=STRICT_QUERY)


@router.post("", status_code=201, response_model=Envelope[DeviceOut])
async def create(
    body: DeviceCreate, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    device = await runtime.run(
        principal.tenant_id,
        create_device,
        body.fields(only_set=False),
        body.clear_secrets(only_set=False),
        runtime.secrets,
        runtime.router_networks,
    )
    return created(present_device(device))


@router.get("", response_model=ListEnvelope[DeviceOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*READERS),
    device_type: DeviceType | None = None,
    status: DeviceStatus | None = None,
    customer_id: UUID | None = None,
    parent_device_id: UUID | None = None,
    is_default_mikrotik: bool | None = None,
    search: Annotated[
        str | None,
        Query(max_length=100, description="name, serial, MAC, IP, brand, model or location"),
        SINGLE_LINE,
    ] = None,
) -> Response:
    where = DeviceFilter(
        device_type=device_type,
        status=status,
        customer_id=customer_id,
        parent_device_id=parent_device_id,
        is_default_mikrotik=is_default_mikrotik,
        search=search or None,
    )
    result = await runtime.run(principal.tenant_id, list_devices, where, page)
    return ok_page([present_device(d) for d in result.items], result)


@router.get("/by-serial/{serial_number}", response_model=Envelope[DeviceOut])
async def by_serial(
    serial_number: Annotated[str, Path(max_length=64), SINGLE_LINE],
    runtime: RuntimeDep,
    principal: Principal = require(*READERS),
) -> Response:
    device = await runtime.run(principal.tenant_id, get_device_by_serial, serial_number)
    return ok(present_device(device))


@router.get("/{device_id}", response_model=Envelope[DeviceOut])
async def get(
    device_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    return ok(present_device(await runtime.run(principal.tenant_id, get_device, device_id)))


@router.patch("/{device_id}", response_model=Envelope[DeviceOut])
async def patch(
    device_id: UUID,
    body: DeviceFields,
    runtime: RuntimeDep,
    principal: Principal = require(*WRITERS),
) -> Response:
    device = await runtime.run(
        principal.tenant_id,
        update_device,
        device_id,
        body.fields(only_set=True),
        body.clear_secrets(only_set=True),
        runtime.secrets,
        runtime.router_networks,
    )
    return ok(present_device(device))


@router.delete("/{device_id}", response_model=Envelope[dict[str, Any]])
async def delete(
    device_id: UUID, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    await runtime.run(principal.tenant_id, delete_device, device_id)
    return ok({"id": str(device_id), "deleted": True})


@router.post("/{device_id}/test-connection", response_model=Envelope[ConnectionTestOut])
async def test_connection_route(
    device_id: UUID,
    runtime: RuntimeDep,
    bearer: BearerDep,
    principal: Principal = require(*WRITERS, "support"),
) -> Response:
    """Asks the mikrotik-agent to reach the router now; 502 when the agent or router is mute."""
    result = await test_connection(
        runtime.units(principal.tenant_id), runtime.agent, device_id, bearer
    )
    return ok(present_connection_test(result))


@router.post("/{device_id}/sync-queues", status_code=202, response_model=Envelope[SyncRequestedOut])
async def sync_queues(
    device_id: UUID,
    runtime: RuntimeDep,
    bearer: BearerDep,
    principal: Principal = require(*WRITERS),
) -> Response:
    """The agent reconciles the router; the result lands on the device (`last_sync_at`,
    `last_sync_result`, `connection_status`) when its mikrotik.router.synced arrives."""
    requested = await request_sync(
        runtime.units(principal.tenant_id), runtime.agent, device_id, bearer
    )
    return accepted(
        SyncRequestedOut(
            device_id=requested.device_id,
            status="sync_requested",
            requested_at=requested.requested_at,
        )
    )
