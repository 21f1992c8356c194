"""Customers: the list (search as you type, filters, pages), the create and edit forms, and the
CSV import. The customer's own page lives in customer_page_routes."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from isp_console.api.pages import Page, console_page
from isp_console.domain.customer_form import (
    CREATE_FIELDS,
    EDITABLE_FIELDS,
    create_body,
    customer_values,
    field_errors,
    form_values,
    patch_body,
)
from isp_console.domain.customer_import import row_errors, template_csv
from isp_console.domain.errors import ApiProblem
from isp_console.domain.permissions import Action
from isp_console.use_cases.ports import ApiError

router = APIRouter()

STATUSES = ("pending_activation", "active", "suspended", "terminated")
PER_PAGE = 20
CHOICES = 100  # plans, ODPs and routers offered in a select
MAX_UPLOAD = 5 * 1024 * 1024
Text = Annotated[str | None, Query(max_length=100)]


def _forbidden() -> ApiError:
    return ApiError(ApiProblem(403, "FORBIDDEN", "customer.write"))


def options(items: list[dict[str, Any]], label: str) -> list[tuple[str, str]]:
    return [(str(item["id"]), str(item.get(label) or item["id"])) for item in items]


async def _choices(page: Page) -> dict[str, Any]:
    """Plans, ODPs and routers for the selects; a list the role may not read stays empty."""

    async def items(path: str, **params: Any) -> list[dict[str, Any]]:
        try:
            return (await page.api.list(path, per_page=CHOICES, **params)).items
        except ApiError as exc:
            if exc.problem.status in (401,):
                raise
            return []

    plans, odps, routers = await asyncio.gather(
        items("/service-plans"), items("/odps"), items("/devices", device_type="router")
    )
    return {
        "plans": plans,
        "odps": odps,
        "plan_options": options(plans, "name"),
        "odp_options": options(odps, "name"),
        "router_options": options(routers, "device_name"),
    }


@router.get("/console/customers", response_class=HTMLResponse)
async def customer_list(
    request: Request,
    page: Annotated[Page, Depends(console_page)],
    search: Text = None,
    status: Annotated[str | None, Query(max_length=32)] = None,
    service_plan_id: Annotated[str | None, Query(max_length=64)] = None,
    odp_id: Annotated[str | None, Query(max_length=64)] = None,
    kelurahan: Text = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1,
) -> HTMLResponse:
    filters = {
        "search": (search or "").strip(),
        "status": status if status in STATUSES else "",
        "service_plan_id": service_plan_id or "",
        "odp_id": odp_id or "",
        "kelurahan": (kelurahan or "").strip(),
    }
    listing, choices = await asyncio.gather(
        page.api.list("/customers", page=page_number, per_page=PER_PAGE, **filters),
        _choices(page),
    )
    plan_names = {p["id"]: p.get("name") for p in choices["plans"]}
    odp_names = {o["id"]: o.get("name") for o in choices["odps"]}
    query = urlencode({k: v for k, v in filters.items() if v})
    rows_only = page.is_htmx and request.headers.get("hx-target") == "customer-rows"
    return page.render(
        "console/customers/list.html",
        block="rows" if rows_only else None,
        customers=listing.items,
        meta=listing.meta,
        total=listing.total,
        filters=filters,
        statuses=STATUSES,
        plan_names=plan_names,
        odp_names=odp_names,
        base_url="/console/customers?" + (query + "&" if query else ""),
        **choices,
    )


@router.get("/console/customers/new", response_class=HTMLResponse)
async def new_customer(page: Annotated[Page, Depends(console_page)]) -> HTMLResponse:
    if not page.can(Action.CUSTOMER_WRITE):
        raise _forbidden()
    return page.render(
        "console/customers/form.html", customer=None, values={}, errors={}, **await _choices(page)
    )


@router.post("/console/customers/new", response_model=None)
async def create_customer(
    request: Request, page: Annotated[Page, Depends(console_page)]
) -> Response:
    form = await request.form()
    try:
        created = await page.api.post("/customers", json=create_body(form))
    except ApiError as exc:
        return await _form_again(page, None, form_values(form, CREATE_FIELDS), exc)
    return page.redirect(f"/console/customers/{created['id']}")


@router.get("/console/customers/{customer_id}/edit", response_class=HTMLResponse)
async def edit_customer(
    customer_id: str, page: Annotated[Page, Depends(console_page)]
) -> HTMLResponse:
    if not page.can(Action.CUSTOMER_WRITE):
        raise _forbidden()
    customer, choices = await asyncio.gather(
        page.api.get(f"/customers/{customer_id}"), _choices(page)
    )
    return page.render(
        "console/customers/form.html",
        customer=customer,
        values=customer_values(customer),
        errors={},
        **choices,
    )


@router.post("/console/customers/{customer_id}/edit", response_model=None)
async def update_customer(
    customer_id: str, request: Request, page: Annotated[Page, Depends(console_page)]
) -> Response:
    form = await request.form()
    current = await page.api.get(f"/customers/{customer_id}")
    changes = patch_body(form, current)
    if changes:
        try:
            await page.api.patch(f"/customers/{customer_id}", json=changes)
        except ApiError as exc:
            return await _form_again(page, current, form_values(form, EDITABLE_FIELDS), exc)
    return page.redirect(f"/console/customers/{customer_id}")


async def _form_again(
    page: Page, customer: dict[str, Any] | None, values: dict[str, str], error: ApiError
) -> HTMLResponse:
    """The form as it was typed, each error at its field, the API's sentence on top."""
    if error.problem.status == 401:
        raise error
    errors = field_errors(error.problem.details)
    page.flash(error.problem.sentence, "error")
    return page.render(
        "console/customers/form.html",
        status_code=422 if errors else 400,
        customer=customer,
        values=values,
        errors=errors,
        **await _choices(page),
    )


@router.get("/console/customers/import", response_class=HTMLResponse)
async def import_form(page: Annotated[Page, Depends(console_page)]) -> HTMLResponse:
    if not page.can(Action.CUSTOMER_WRITE):
        raise _forbidden()
    return page.render("console/customers/import.html", outcome=None, **await _choices(page))


@router.get("/console/customers/import/template.csv")
async def import_template(page: Annotated[Page, Depends(console_page)]) -> Response:
    return Response(
        template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="customers-template.csv"'},
    )


@router.post("/console/customers/import", response_class=HTMLResponse)
async def import_csv(
    request: Request, page: Annotated[Page, Depends(console_page)]
) -> HTMLResponse:
    form = await request.form()
    upload = form.get("file")
    outcome: dict[str, Any]
    if not isinstance(upload, UploadFile) or not upload.filename:
        outcome = {"ok": False, "message": "Choose a CSV file to import.", "rows": []}
    else:
        content = await upload.read(MAX_UPLOAD + 1)
        outcome = await _import(page, upload.filename, content)
    if page.is_htmx:
        return page.render("console/customers/import.html", block="outcome", outcome=outcome)
    return page.render("console/customers/import.html", outcome=outcome, **await _choices(page))


async def _import(page: Page, filename: str, content: bytes) -> dict[str, Any]:
    if len(content) > MAX_UPLOAD:
        return {"ok": False, "message": "The file is larger than 5 MB.", "rows": []}
    try:
        answer = await page.api.post(
            "/customers/import", files={"file": (filename, content, "text/csv")}
        )
    except ApiError as exc:
        if exc.problem.status in (401,):
            raise
        rows = row_errors(exc.problem.details)
        return {
            "ok": False,
            "message": "Nothing was imported: correct these rows and upload the file again."
            if rows
            else exc.problem.sentence,
            "detail": "" if rows else exc.problem.message,
            "rows": rows,
        }
    customers = answer.get("customers") or []
    return {"ok": True, "imported": int(answer.get("imported") or 0), "customers": customers[:50]}
