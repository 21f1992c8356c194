"""The network screens: the OLT → ODC → ODP tree with how full each node is, the forms that
create, edit and delete the nodes, and the map of ODPs and customers (devices: see
device_page_routes, included here)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from isp_console.adapters.platform_api import PlatformApi
from isp_console.api import device_page_routes
from isp_console.api.pages import Page, console_page
from isp_console.domain.fiber_tree import build_tree, map_points
from isp_console.domain.network_forms import FIBER_FIELDS, body_of, form_values
from isp_console.domain.permissions import Action
from isp_console.use_cases.ports import ApiError

router = APIRouter()
router.include_router(device_page_routes.router)

ConsolePage = Annotated[Page, Depends(console_page)]
PATHS = {"olt": "/olts", "odc": "/odcs", "odp": "/odps"}
PARENTS = {"odc": ("olt_id", "olt"), "odp": ("odc_id", "odc")}
# The whole tree is read at once; beyond this many pages of 100 a level is cut short.
MAX_PAGES = 10
# The customers the map reads (pages of 100), those with coordinates shown.
MAP_CUSTOMER_PAGES = 5


async def every_item(api: PlatformApi, path: str, max_pages: int = MAX_PAGES) -> list[Any]:
    first = await api.list(path, page=1, per_page=100)
    items = list(first.items)
    pages = min(max_pages, (first.total + 99) // 100)
    if pages > 1:
        rest = await asyncio.gather(
            *(api.list(path, page=n, per_page=100) for n in range(2, pages + 1))
        )
        for more in rest:
            items.extend(more.items)
    return items


def _kind(kind: str) -> str:
    if kind not in PATHS:
        raise HTTPException(status_code=404)
    return kind


def _require_write(page: Page) -> None:
    if not page.can(Action.NETWORK_WRITE):
        raise HTTPException(status_code=403)


async def _render_tree(
    page: Page, status_code: int = 200, refusal: dict[str, Any] | None = None
) -> HTMLResponse:
    olts, odcs, odps = await asyncio.gather(
        every_item(page.api, "/olts"), every_item(page.api, "/odcs"), every_item(page.api, "/odps")
    )
    tree = build_tree(olts, odcs, odps)
    return page.render(
        "console/network/tree.html",
        tree=tree,
        refusal=refusal,
        done=page.request.query_params.get("done"),
        status_code=status_code,
    )


@router.get("/console/network", response_class=HTMLResponse)
async def tree_page(page: ConsolePage) -> HTMLResponse:
    return await _render_tree(page)


@router.get("/console/network/map", response_class=HTMLResponse)
async def map_page(page: ConsolePage) -> HTMLResponse:
    points = await _points(page.api)
    return page.render(
        "console/network/map.html",
        points=points,
        tiles=page.runtime.settings.console_map_tile_url,
    )


@router.get("/console/network/map.json")
async def map_data(page: ConsolePage) -> JSONResponse:
    response = JSONResponse(await _points(page.api))
    page.keep_session(response)
    return response


async def _points(api: PlatformApi) -> list[dict[str, Any]]:
    odps, customers = await asyncio.gather(
        every_item(api, "/odps"), every_item(api, "/customers", MAP_CUSTOMER_PAGES)
    )
    return map_points(odps, customers)


async def _parent_options(page: Page, kind: str) -> list[tuple[str, str]]:
    if kind not in PARENTS:
        return []
    _, parent_kind = PARENTS[kind]
    parents = await every_item(page.api, PATHS[parent_kind])
    return [(str(p["id"]), str(p["name"])) for p in sorted(parents, key=lambda p: p["name"])]


async def _render_form(
    page: Page,
    kind: str,
    values: dict[str, Any],
    item: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page.render(
        "console/network/node_form.html",
        kind=kind,
        item=item,
        values=values,
        errors=errors or {},
        parents=await _parent_options(page, kind),
        status_code=status_code,
    )


@router.get("/console/network/{kind}/new", response_class=HTMLResponse)
async def new_node(kind: str, page: ConsolePage, request: Request) -> HTMLResponse:
    kind = _kind(kind)
    _require_write(page)
    values: dict[str, Any] = {"is_active": True}
    if kind in PARENTS:
        parent_field, _ = PARENTS[kind]
        values[parent_field] = request.query_params.get(parent_field, "")
    return await _render_form(page, kind, values)


@router.post("/console/network/{kind}", response_class=HTMLResponse)
async def create_node(kind: str, page: ConsolePage, request: Request) -> Response:
    kind = _kind(kind)
    _require_write(page)
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        await page.api.post(PATHS[kind], body_of(FIBER_FIELDS[kind], form, creating=True))
    except ApiError as error:
        return await _form_error(page, kind, form, None, error)
    return page.redirect("/console/network?done=created")


@router.get("/console/network/{kind}/{node_id}/edit", response_class=HTMLResponse)
async def edit_node(kind: str, node_id: UUID, page: ConsolePage) -> HTMLResponse:
    kind = _kind(kind)
    _require_write(page)
    item = await page.api.get(f"{PATHS[kind]}/{node_id}")
    return await _render_form(page, kind, form_values(item, FIBER_FIELDS[kind]), item)


@router.post("/console/network/{kind}/{node_id}", response_class=HTMLResponse)
async def update_node(kind: str, node_id: UUID, page: ConsolePage, request: Request) -> Response:
    kind = _kind(kind)
    _require_write(page)
    form = {k: str(v) for k, v in (await request.form()).items()}
    path = f"{PATHS[kind]}/{node_id}"
    try:
        await page.api.patch(path, body_of(FIBER_FIELDS[kind], form, creating=False))
    except ApiError as error:
        item = await page.api.get(path)
        return await _form_error(page, kind, form, item, error)
    return page.redirect("/console/network?done=saved")


async def _form_error(
    page: Page, kind: str, form: dict[str, str], item: dict[str, Any] | None, error: ApiError
) -> HTMLResponse:
    problem = error.problem
    if problem.status in (401, 403) or problem.status >= 500:
        raise error
    values: dict[str, Any] = {**form, "is_active": form.get("is_active") == "on"}
    page.flash(_conflict_sentence(kind, problem.details) or problem.sentence, "error")
    return await _render_form(page, kind, values, item, problem.field_errors, status_code=422)


def _conflict_sentence(kind: str, details: dict[str, Any]) -> str | None:
    """The msgid naming why a capacity or a parent was refused (409), None for others."""
    if "used" in details or "capacity" in details:
        return "The capacity cannot be lower than what is already used."
    return None


@router.post("/console/network/{kind}/{node_id}/delete", response_class=HTMLResponse)
async def delete_node(kind: str, node_id: UUID, page: ConsolePage) -> Response:
    kind = _kind(kind)
    _require_write(page)
    try:
        await page.api.delete(f"{PATHS[kind]}/{node_id}")
    except ApiError as error:
        if error.problem.status != 409:
            raise
        refusal = {"kind": kind, **error.problem.details}
        return await _render_tree(page, status_code=409, refusal=refusal)
    return page.redirect("/console/network?done=deleted")
