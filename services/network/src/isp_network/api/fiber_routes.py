"""/olts, /odcs, /odps: the fiber tree. ODCs and ODPs answer `capacity`, `used`, `available`."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from isp_common.auth import Principal
from isp_common.pagination import PageRequest
from isp_common.web import Envelope, ListEnvelope, created, ok, ok_page, require

from isp_network.api.dependencies import READERS, STRICT_QUERY, WRITERS, RuntimeDep
from isp_network.api.presenters import (
    OdcOut,
    OdpOut,
    OltOut,
    present_odc,
    present_odp,
    present_olt,
)
from isp_network.api.schemas import OdcCreate, OdcFields, OdpCreate, OdpFields, OltCreate, OltFields
from isp_network.domain.fiber import NodeKind
from isp_network.use_cases.list_fiber import list_nodes
from isp_network.use_cases.odcs import create_odc, delete_odc, get_odc, update_odc
from isp_network.use_cases.odps import create_odp, delete_odp, get_odp, update_odp
from isp_network.use_cases.olts import create_olt, delete_olt, get_olt, update_olt

olts = APIRouter(prefix="/olts", tags=["olts"], dependencies=STRICT_QUERY)
odcs = APIRouter(prefix="/odcs", tags=["odcs"], dependencies=STRICT_QUERY)
odps = APIRouter(prefix="/odps", tags=["odps"], dependencies=STRICT_QUERY)
routers = [olts, odcs, odps]

Page = Annotated[int, Query(ge=1, le=1_000_000)]
PerPage = Annotated[int, Query(ge=1, le=100)]
DELETED = Envelope[dict[str, Any]]


def _deleted(node_id: UUID) -> Response:
    return ok({"id": str(node_id), "deleted": True})


# -- OLT -----------------------------------------------------------------------------------------


@olts.post("", status_code=201, response_model=Envelope[OltOut])
async def create_olt_route(
    body: OltCreate, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    olt = await runtime.run(
        principal.tenant_id,
        create_olt,
        body.fields(only_set=False),
        body.clear_secrets(only_set=False),
        runtime.secrets,
    )
    return created(present_olt(olt))


@olts.get("", response_model=ListEnvelope[OltOut])
async def list_olts(
    runtime: RuntimeDep,
    principal: Principal = require(*READERS),
    is_active: bool | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> Response:
    result = await runtime.run(
        principal.tenant_id, list_nodes, NodeKind.OLT, None, is_active, PageRequest(page, per_page)
    )
    return ok_page([present_olt(item.node) for item in result.items], result)


@olts.get("/{olt_id}", response_model=Envelope[OltOut])
async def get_olt_route(
    olt_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    return ok(present_olt(await runtime.run(principal.tenant_id, get_olt, olt_id)))


@olts.patch("/{olt_id}", response_model=Envelope[OltOut])
async def patch_olt(
    olt_id: UUID, body: OltFields, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    olt = await runtime.run(
        principal.tenant_id,
        update_olt,
        olt_id,
        body.fields(only_set=True),
        body.clear_secrets(only_set=True),
        runtime.secrets,
    )
    return ok(present_olt(olt))


@olts.delete("/{olt_id}", response_model=DELETED)
async def delete_olt_route(
    olt_id: UUID, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    await runtime.run(principal.tenant_id, delete_olt, olt_id)
    return _deleted(olt_id)


# -- ODC -----------------------------------------------------------------------------------------


@odcs.post("", status_code=201, response_model=Envelope[OdcOut])
async def create_odc_route(
    body: OdcCreate, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    odc = await runtime.run(principal.tenant_id, create_odc, body.fields(only_set=False))
    return created(present_odc(odc))


@odcs.get("", response_model=ListEnvelope[OdcOut])
async def list_odcs(
    runtime: RuntimeDep,
    principal: Principal = require(*READERS),
    olt_id: UUID | None = None,
    is_active: bool | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> Response:
    result = await runtime.run(
        principal.tenant_id,
        list_nodes,
        NodeKind.ODC,
        olt_id,
        is_active,
        PageRequest(page, per_page),
    )
    return ok_page([present_odc(item) for item in result.items], result)


@odcs.get("/{odc_id}", response_model=Envelope[OdcOut])
async def get_odc_route(
    odc_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    return ok(present_odc(await runtime.run(principal.tenant_id, get_odc, odc_id)))


@odcs.patch("/{odc_id}", response_model=Envelope[OdcOut])
async def patch_odc(
    odc_id: UUID, body: OdcFields, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    odc = await runtime.run(principal.tenant_id, update_odc, odc_id, body.fields(only_set=True))
    return ok(present_odc(odc))


@odcs.delete("/{odc_id}", response_model=DELETED)
async def delete_odc_route(
    odc_id: UUID, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    await runtime.run(principal.tenant_id, delete_odc, odc_id)
    return _deleted(odc_id)


# -- ODP -----------------------------------------------------------------------------------------


@odps.post("", status_code=201, response_model=Envelope[OdpOut])
async def create_odp_route(
    body: OdpCreate, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    odp = await runtime.run(principal.tenant_id, create_odp, body.fields(only_set=False))
    return created(present_odp(odp))


@odps.get("", response_model=ListEnvelope[OdpOut])
async def list_odps(
    runtime: RuntimeDep,
    principal: Principal = require(*READERS),
    odc_id: UUID | None = None,
    is_active: bool | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> Response:
    result = await runtime.run(
        principal.tenant_id,
        list_nodes,
        NodeKind.ODP,
        odc_id,
        is_active,
        PageRequest(page, per_page),
    )
    return ok_page([present_odp(item) for item in result.items], result)


@odps.get("/{odp_id}", response_model=Envelope[OdpOut])
async def get_odp_route(
    odp_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    return ok(present_odp(await runtime.run(principal.tenant_id, get_odp, odp_id)))


@odps.patch("/{odp_id}", response_model=Envelope[OdpOut])
async def patch_odp(
    odp_id: UUID, body: OdpFields, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    odp = await runtime.run(principal.tenant_id, update_odp, odp_id, body.fields(only_set=True))
    return ok(present_odp(odp))


@odps.delete("/{odp_id}", response_model=DELETED)
async def delete_odp_route(
    odp_id: UUID, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    await runtime.run(principal.tenant_id, delete_odp, odp_id)
    return _deleted(odp_id)
