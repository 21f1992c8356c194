from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import Envelope, ListEnvelope, PageParams, accepted, ok, ok_page, require

from isp_mikrotik_agent.api.dependencies import ADMINS, OPERATORS, READERS, RuntimeDep
from isp_mikrotik_agent.api.schemas import (
    ConnectionTestOut,
    DryRunOut,
    OperationOut,
    QueueOut,
    RouterOut,
    SettingsIn,
    SettingsOut,
    SyncAccepted,
)
from isp_mikrotik_agent.bootstrap import Runtime
from isp_mikrotik_agent.controller.lane import ConnectionHolder, one_off_connection
from isp_mikrotik_agent.use_cases import read_router_now
from isp_mikrotik_agent.use_cases.routers import (
    get_router,
    list_operations,
    list_routers,
    request_sync,
)
from isp_mikrotik_agent.use_cases.settings import get_settings, put_settings

router = APIRouter(prefix="/routers", tags=["routers"])


@router.get("", response_model=ListEnvelope[RouterOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*READERS),
) -> Response:
    result = await runtime.run(principal.tenant_id, list_routers, page)
    return ok_page([RouterOut.of(r) for r in result.items], result)


@router.get("/settings", response_model=Envelope[SettingsOut])
async def read_settings(runtime: RuntimeDep, principal: Principal = require(*READERS)) -> Response:
    return ok(SettingsOut.of(await runtime.run(principal.tenant_id, get_settings)))


@router.put("/settings", response_model=Envelope[SettingsOut])
async def write_settings(
    body: SettingsIn, runtime: RuntimeDep, principal: Principal = require(*ADMINS)
) -> Response:
    saved = await runtime.run(principal.tenant_id, put_settings, body.to_settings())
    return ok(SettingsOut.of(saved))


@router.get("/{router_id}", response_model=Envelope[RouterOut])
async def detail(
    router_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    return ok(RouterOut.of(await runtime.run(principal.tenant_id, get_router, router_id)))


@router.get("/{router_id}/operations", response_model=ListEnvelope[OperationOut])
async def operations(
    router_id: UUID,
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*READERS),
    customer_id: UUID | None = None,
) -> Response:
    result = await runtime.run(principal.tenant_id, list_operations, router_id, customer_id, page)
    return ok_page([OperationOut(**item) for item in result.items], result)


@router.get("/{router_id}/queues", response_model=Envelope[list[QueueOut]])
async def queues(
    router_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    rows = await read_router_now.read_queues(
        runtime.unit_of_work, _one_off(runtime), principal.tenant_id, router_id
    )
    return ok(rows)


@router.post("/{router_id}/test-connection", response_model=Envelope[ConnectionTestOut])
async def test_connection(
    router_id: UUID, runtime: RuntimeDep, principal: Principal = require(*OPERATORS)
) -> Response:
    result = await read_router_now.test_connection(
        runtime.unit_of_work, _one_off(runtime), principal.tenant_id, router_id
    )
    return ok(result)


@router.post(
    "/{router_id}/sync",
    status_code=202,
    response_model=Envelope[SyncAccepted],
    responses={
        200: {"model": Envelope[DryRunOut], "description": "dry run: the changes it would make"}
    },
)
async def sync(
    router_id: UUID,
    runtime: RuntimeDep,
    principal: Principal = require(*OPERATORS),
    dry_run: bool = False,
) -> Response:
    if dry_run:
        result = await read_router_now.dry_run(
            runtime.unit_of_work,
            _one_off(runtime),
            runtime.decrypt,
            principal.tenant_id,
            router_id,
        )
        return ok(result)
    await runtime.run(principal.tenant_id, request_sync, router_id)
    return accepted({"router_id": str(router_id), "status": "sync_requested"})


def _one_off(runtime: Runtime) -> ConnectionHolder:
    return one_off_connection(runtime.decrypt, runtime.settings.lane_config())
