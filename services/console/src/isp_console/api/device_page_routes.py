"""Devices: the list (type, status, search), a device's page with its live status, the create
and edit form, and for a router the connection test and a queue sync."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from isp_console.api.pages import Page, console_page
from isp_console.domain.network_forms import DEVICE_FIELDS, body_of, form_values
from isp_console.domain.permissions import Action
from isp_console.use_cases.ports import ApiError

router = APIRouter()

ConsolePage = Annotated[Page, Depends(console_page)]
DEVICE_TYPES = ("router", "onu", "switch", "access_point")
DEVICE_STATUSES = ("online", "offline", "maintenance")
PER_PAGE = 20


def _require(page: Page, action: Action) -> None:
    if not page.can(action):
        raise HTTPException(status_code=403)


def _filters(request: Request) -> dict[str, str]:
    query = request.query_params
    return {
        "device_type": query.get("device_type", "")
        if query.get("device_type") in DEVICE_TYPES
        else "",
        "status": query.get("status", "") if query.get("status") in DEVICE_STATUSES else "",
        "search": query.get("search", "").strip()[:100],
    }


def _page_number(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get("page", "1")), 1_000_000))
    except ValueError:
        return 1


@router.get("/console/devices", response_class=HTMLResponse)
async def devices(page: ConsolePage, request: Request) -> HTMLResponse:
    filters = _filters(request)
    listed = await page.api.list(
        "/devices", page=_page_number(request), per_page=PER_PAGE, **filters
    )
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return page.render(
        "console/network/devices.html",
        block="rows" if page.is_htmx and request.headers.get("hx-target") == "rows" else None,
        devices=listed.items,
        meta=listed.meta,
        filters=filters,
        base_url="/console/devices?" + (query + "&" if query else ""),
        types=DEVICE_TYPES,
        statuses=DEVICE_STATUSES,
    )


async def _render_form(
    page: Page,
    values: dict[str, Any],
    item: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page.render(
        "console/network/device_form.html",
        values=values,
        item=item,
        errors=errors or {},
        types=DEVICE_TYPES,
        statuses=DEVICE_STATUSES,
        status_code=status_code,
    )


@router.get("/console/devices/new", response_class=HTMLResponse)
async def new_device(page: ConsolePage) -> HTMLResponse:
    _require(page, Action.NETWORK_WRITE)
    return await _render_form(page, {"device_type": "onu", "status": "offline"})


@router.post("/console/devices", response_class=HTMLResponse)
async def create_device(page: ConsolePage, request: Request) -> Response:
    _require(page, Action.NETWORK_WRITE)
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        created = await page.api.post("/devices", body_of(DEVICE_FIELDS, form, creating=True))
    except ApiError as error:
        return await _form_error(page, form, None, error)
    return page.redirect(f"/console/devices/{created['id']}")


async def _form_error(
    page: Page, form: dict[str, str], item: dict[str, Any] | None, error: ApiError
) -> HTMLResponse:
    problem = error.problem
    if problem.status in (401, 403) or problem.status >= 500:
        raise error
    values: dict[str, Any] = dict(form)
    for flag in ("mikrotik_api_enabled", "is_default_mikrotik"):
        values[flag] = form.get(flag) == "on"
    page.flash(problem.sentence, "error")
    return await _render_form(page, values, item, problem.field_errors, status_code=422)


@router.get("/console/devices/{device_id}", response_class=HTMLResponse)
async def device_page(device_id: UUID, page: ConsolePage) -> HTMLResponse:
    device = await page.api.get(f"/devices/{device_id}")
    return page.render(
        "console/network/device.html",
        block="status" if page.is_htmx else None,
        device=device,
    )


@router.get("/console/devices/{device_id}/edit", response_class=HTMLResponse)
async def edit_device(device_id: UUID, page: ConsolePage) -> HTMLResponse:
    _require(page, Action.NETWORK_WRITE)
    device = await page.api.get(f"/devices/{device_id}")
    return await _render_form(page, form_values(device, DEVICE_FIELDS), device)


@router.post("/console/devices/{device_id}", response_class=HTMLResponse)
async def update_device(device_id: UUID, page: ConsolePage, request: Request) -> Response:
    _require(page, Action.NETWORK_WRITE)
    form = {k: str(v) for k, v in (await request.form()).items()}
    path = f"/devices/{device_id}"
    try:
        await page.api.patch(path, body_of(DEVICE_FIELDS, form, creating=False))
    except ApiError as error:
        return await _form_error(page, form, await page.api.get(path), error)
    return page.redirect(path.replace("/devices", "/console/devices", 1))


@router.post("/console/devices/{device_id}/delete", response_class=HTMLResponse)
async def delete_device(device_id: UUID, page: ConsolePage) -> Response:
    _require(page, Action.NETWORK_WRITE)
    try:
        await page.api.delete(f"/devices/{device_id}")
    except ApiError as error:
        if error.problem.status != 409:
            raise
        device = await page.api.get(f"/devices/{device_id}")
        page.flash("This device cannot be deleted while other devices hang on it.", "error")
        return page.render("console/network/device.html", device=device, status_code=409)
    return page.redirect("/console/devices")


@router.post("/console/devices/{device_id}/test-connection", response_class=HTMLResponse)
async def test_device(device_id: UUID, page: ConsolePage) -> HTMLResponse:
    _require(page, Action.ROUTER_WRITE)
    try:
        result = await page.api.post(f"/devices/{device_id}/test-connection")
        failure = None
    except ApiError as error:
        if error.problem.status not in (409, 502):
            raise
        result, failure = None, error.problem
    return page.render("console/network/device_test.html", result=result, failure=failure)


@router.post("/console/devices/{device_id}/sync-queues", response_class=HTMLResponse)
async def sync_device(device_id: UUID, page: ConsolePage) -> Response:
    _require(page, Action.NETWORK_WRITE)
    await page.api.post(f"/devices/{device_id}/sync-queues")
    return page.redirect(f"/console/devices/{device_id}?sync=requested")
