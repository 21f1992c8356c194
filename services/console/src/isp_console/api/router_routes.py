"""The routers the mikrotik-agent manages: their live connection state, a router's page
(connection test, queues read now, operation log) and the sync, shown first as the dry run's
list of changes, then applied with its progress and outcome; and the tenant's router settings
(how a suspended subscriber is cut off)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from isp_console.api.pages import Page, console_page
from isp_console.domain.permissions import Action
from isp_console.domain.router_changes import dry_run_of, outcome_of, sync_finished
from isp_console.use_cases.ports import ApiError

router = APIRouter()

ConsolePage = Annotated[Page, Depends(console_page)]
TEMPLATE = "console/routers/router.html"
SUSPENSION_MODES = ("isolate", "disable")
OPERATIONS_PER_PAGE = 20
# The agent could not reach the router (502) or refused the call in its state (409): said in
# words on the page rather than as an error page.
ROUTER_TROUBLE = (409, 502, 503)


def _require(page: Page, action: Action) -> None:
    if not page.can(action):
        raise HTTPException(status_code=403)


def _page_number(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get("page", "1")), 1_000_000))
    except ValueError:
        return 1


@router.get("/console/routers", response_class=HTMLResponse)
async def routers(page: ConsolePage, request: Request) -> HTMLResponse:
    listed = await page.api.list("/routers", page=_page_number(request), per_page=50)
    rows = [{**item, "outcome": outcome_of(item)} for item in listed.items]
    return page.render("console/routers/list.html", routers=rows, meta=listed.meta)


@router.get("/console/routers/settings", response_class=HTMLResponse)
async def settings_page(page: ConsolePage) -> HTMLResponse:
    values = await page.api.get("/routers/settings")
    return _settings(page, values)


def _settings(
    page: Page, values: dict[str, Any], errors: dict[str, str] | None = None, status: int = 200
) -> HTMLResponse:
    return page.render(
        "console/routers/settings.html",
        values=values,
        errors=errors or {},
        modes=SUSPENSION_MODES,
        status_code=status,
    )


@router.post("/console/routers/settings", response_class=HTMLResponse)
async def save_settings(page: ConsolePage, request: Request) -> Response:
    _require(page, Action.ROUTER_SETTINGS)
    form = await request.form()
    body = {
        name: str(form.get(name) or "").strip()
        for name in ("suspension_mode", "isolation_profile", "isolation_address_list")
    }
    try:
        await page.api.put("/routers/settings", body)
    except ApiError as error:
        if error.problem.status not in (400, 409, 422):
            raise
        page.flash(error.problem.sentence, "error")
        return _settings(page, body, error.problem.field_errors, status=422)
    return page.redirect("/console/routers/settings?saved=1")


async def _operations(page: Page, router_id: UUID, number: int) -> Any:
    return await page.api.list(
        f"/routers/{router_id}/operations", page=number, per_page=OPERATIONS_PER_PAGE
    )


@router.get("/console/routers/{router_id}", response_class=HTMLResponse)
async def router_page(router_id: UUID, page: ConsolePage, request: Request) -> HTMLResponse:
    number = _page_number(request)
    if page.is_htmx and request.headers.get("hx-target") == "operations":
        operations = await _operations(page, router_id, number)
        return page.render(
            TEMPLATE, block="operations", router={"id": str(router_id)}, operations=operations
        )
    item, operations = await asyncio.gather(
        page.api.get(f"/routers/{router_id}"), _operations(page, router_id, number)
    )
    return page.render(TEMPLATE, router=item, outcome=outcome_of(item), operations=operations)


@router.get("/console/routers/{router_id}/queues", response_class=HTMLResponse)
async def queues(router_id: UUID, page: ConsolePage) -> HTMLResponse:
    try:
        rows, failure = await page.api.get(f"/routers/{router_id}/queues"), None
    except ApiError as error:
        if error.problem.status not in ROUTER_TROUBLE:
            raise
        rows, failure = [], error.problem
    return page.render(
        TEMPLATE, block="queues", router={"id": str(router_id)}, queues=rows, failure=failure
    )


@router.post("/console/routers/{router_id}/test-connection", response_class=HTMLResponse)
async def test_connection(router_id: UUID, page: ConsolePage) -> HTMLResponse:
    _require(page, Action.ROUTER_WRITE)
    try:
        result, failure = await page.api.post(f"/routers/{router_id}/test-connection"), None
    except ApiError as error:
        if error.problem.status not in ROUTER_TROUBLE:
            raise
        result, failure = None, error.problem
    return page.render(
        TEMPLATE,
        block="test_result",
        router={"id": str(router_id)},
        test=result,
        test_failure=failure,
    )


@router.post("/console/routers/{router_id}/dry-run", response_class=HTMLResponse)
async def dry_run(router_id: UUID, page: ConsolePage) -> HTMLResponse:
    _require(page, Action.ROUTER_WRITE)
    try:
        response = await page.api.request(
            "POST", f"/routers/{router_id}/sync", params={"dry_run": "true"}
        )
        plan, failure = dry_run_of(response.json().get("data") or {}), None
    except ApiError as error:
        if error.problem.status not in ROUTER_TROUBLE:
            raise
        plan, failure = None, error.problem
    return page.render(
        TEMPLATE, block="sync", router={"id": str(router_id)}, plan=plan, sync_failure=failure
    )


@router.post("/console/routers/{router_id}/sync", response_class=HTMLResponse)
async def apply_sync(router_id: UUID, page: ConsolePage) -> HTMLResponse:
    _require(page, Action.ROUTER_WRITE)
    before = await page.api.get(f"/routers/{router_id}")
    await page.api.post(f"/routers/{router_id}/sync")
    return page.render(
        TEMPLATE,
        block="sync",
        router=before,
        waiting_after=before.get("last_sync_at") or "",
    )


@router.get("/console/routers/{router_id}/sync-status", response_class=HTMLResponse)
async def sync_status(router_id: UUID, page: ConsolePage, request: Request) -> HTMLResponse:
    after = request.query_params.get("after", "")
    item = await page.api.get(f"/routers/{router_id}")
    if not sync_finished(item, after):
        return page.render(TEMPLATE, block="sync", router=item, waiting_after=after)
    return page.render(TEMPLATE, block="sync", router=item, finished=outcome_of(item))
