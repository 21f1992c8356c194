"""/olts, /odcs, /odps: the fiber tree. ODCs and ODPs answer `capacity`, `used`, `available`.

The three levels answer the same five routes; `fiber_level_routes` builds them from what differs.
The endpoints' annotations name the level's body and parameters, so they are evaluated here when
each endpoint is defined (this module leaves out `from __future__ import annotations`)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel

from isp_common.auth import Principal
from isp_common.pagination import PageRequest
from isp_common.web import Envelope, ListEnvelope, PageParams, created, ok, ok_page, require

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
from isp_network.bootstrap import Runtime
from isp_network.domain.fiber import NodeKind, Occupied
from isp_network.use_cases.list_fiber import list_nodes
from isp_network.use_cases.odcs import create_odc, delete_odc, get_odc, update_odc
from isp_network.use_cases.odps import create_odp, delete_odp, get_odp, update_odp
from isp_network.use_cases.olts import create_olt, delete_olt, get_olt, update_olt

DELETED = Envelope[dict[str, Any]]
UseCase = Callable[..., Awaitable[Any]]


class FiberBody(Protocol):
    def fields(self, *, only_set: bool) -> dict[str, Any]: ...


class SecretsBody(FiberBody, Protocol):
    def clear_secrets(self, *, only_set: bool) -> dict[str, str | None]: ...


def _fields(body: FiberBody, runtime: Runtime, only_set: bool) -> tuple[Any, ...]:
    return (body.fields(only_set=only_set),)


def _fields_and_secrets(body: SecretsBody, runtime: Runtime, only_set: bool) -> tuple[Any, ...]:
    """An OLT's secrets travel apart from its fields, to be encrypted with the service's box."""
    return (body.fields(only_set=only_set), body.clear_secrets(only_set=only_set), runtime.secrets)


@dataclass(frozen=True)
class FiberLevel:
    kind: NodeKind
    plural: str  # the path and the tag: /olts
    create_body: type[BaseModel]
    patch_body: type[BaseModel]
    out: type[BaseModel]
    present: Callable[[Any], BaseModel]  # what get/create/update answer
    present_listed: Callable[[Occupied], BaseModel]
    create: UseCase
    update: UseCase
    get: UseCase
    delete: UseCase
    # The body's part of a create or update use case's arguments.
    arguments: Callable[[Any, Runtime, bool], tuple[Any, ...]] = _fields
    parent: str | None = None  # the query parameter that lists only one parent's nodes

    @property
    def id_name(self) -> str:
        return f"{self.kind.value}_id"


def fiber_level_routes(level: FiberLevel) -> APIRouter:
    """POST, GET (a page), GET/PATCH/DELETE one: the routes, their names (the operation ids)
    and their parameters as each level always had them."""
    router = APIRouter(prefix=f"/{level.plural}", tags=[level.plural], dependencies=STRICT_QUERY)
    one, node_id = f"/{{{level.id_name}}}", Annotated[UUID, Path(alias=level.id_name)]
    kind = level.kind.value
    answer: Any = Envelope[level.out]  # type: ignore[name-defined]

    @router.post("", status_code=201, response_model=answer, name=f"create_{kind}_route")
    async def create_route(
        body: level.create_body,  # type: ignore[name-defined]
        runtime: RuntimeDep,
        principal: Principal = require(*WRITERS),
    ) -> Response:
        arguments = level.arguments(body, runtime, False)
        node = await runtime.run(principal.tenant_id, level.create, *arguments)
        return created(level.present(node))

    async def page_of(
        runtime: Runtime,
        principal: Principal,
        parent_id: UUID | None,
        is_active: bool | None,
        request: PageRequest,
    ) -> Response:
        result = await runtime.run(
            principal.tenant_id, list_nodes, level.kind, parent_id, is_active, request
        )
        return ok_page([level.present_listed(item) for item in result.items], result)

    listing: dict[str, Any] = {
        "response_model": ListEnvelope[level.out],  # type: ignore[name-defined]
        "name": f"list_{level.plural}",
    }
    if level.parent is None:

        @router.get("", **listing)
        async def list_route(
            runtime: RuntimeDep,
            page: PageParams,
            principal: Principal = require(*READERS),
            is_active: bool | None = None,
        ) -> Response:
            return await page_of(runtime, principal, None, is_active, page)

    else:

        @router.get("", **listing)
        async def list_under_route(
            runtime: RuntimeDep,
            page: PageParams,
            principal: Principal = require(*READERS),
            parent_id: Annotated[UUID | None, Query(alias=level.parent)] = None,
            is_active: bool | None = None,
        ) -> Response:
            return await page_of(runtime, principal, parent_id, is_active, page)

    @router.get(one, response_model=answer, name=f"get_{kind}_route")
    async def get_route(
        node: node_id,  # type: ignore[valid-type]
        runtime: RuntimeDep,
        principal: Principal = require(*READERS),
    ) -> Response:
        return ok(level.present(await runtime.run(principal.tenant_id, level.get, node)))

    @router.patch(one, response_model=answer, name=f"patch_{kind}")
    async def patch_route(
        node: node_id,  # type: ignore[valid-type]
        body: level.patch_body,  # type: ignore[name-defined]
        runtime: RuntimeDep,
        principal: Principal = require(*WRITERS),
    ) -> Response:
        arguments = level.arguments(body, runtime, True)
        updated = await runtime.run(principal.tenant_id, level.update, node, *arguments)
        return ok(level.present(updated))

    @router.delete(one, response_model=DELETED, name=f"delete_{kind}_route")
    async def delete_route(
        node: node_id,  # type: ignore[valid-type]
        runtime: RuntimeDep,
        principal: Principal = require(*WRITERS),
    ) -> Response:
        await runtime.run(principal.tenant_id, level.delete, node)
        return ok({"id": str(node), "deleted": True})

    return router


olts = fiber_level_routes(
    FiberLevel(
        NodeKind.OLT,
        "olts",
        OltCreate,
        OltFields,
        OltOut,
        present_olt,
        lambda item: present_olt(item.node),
        create_olt,
        update_olt,
        get_olt,
        delete_olt,
        arguments=_fields_and_secrets,
    )
)
odcs = fiber_level_routes(
    FiberLevel(
        NodeKind.ODC,
        "odcs",
        OdcCreate,
        OdcFields,
        OdcOut,
        present_odc,
        present_odc,
        create_odc,
        update_odc,
        get_odc,
        delete_odc,
        parent="olt_id",
    )
)
odps = fiber_level_routes(
    FiberLevel(
        NodeKind.ODP,
        "odps",
        OdpCreate,
        OdpFields,
        OdpOut,
        present_odp,
        present_odp,
        create_odp,
        update_odp,
        get_odp,
        delete_odp,
        parent="odc_id",
    )
)
routers = [olts, odcs, odps]
