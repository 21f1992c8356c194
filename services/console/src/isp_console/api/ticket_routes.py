"""Tickets: the queue by SLA due time, opening a ticket, working it, and the SLA hours.

The queue (the default view) is every open and in-progress ticket, soonest due first, so the
desk reads it top down; any other status choice pages through the API's list as it answers.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import HTMLResponse, Response

from isp_console.adapters.platform_api import ListPage
from isp_console.api.pages import Page, console_page, utc_now
from isp_console.domain.permissions import Action
from isp_console.domain.tickets import (
    ACTIVE_STATUSES,
    CATEGORIES,
    PRIORITIES,
    QUEUE,
    allowed_actions,
    api_filters,
    is_breached,
    may_comment,
    page_number,
    page_slice,
    queue_order,
    ticket_filters,
)
from isp_console.use_cases.ports import ApiError

router = APIRouter()

PageDep = Annotated[Page, Depends(console_page)]
PER_PAGE = 20
# The queue gathers the unresolved tickets whole (the API pages newest first, the queue is by
# due time): this many of each status, far beyond a desk's open work.
QUEUE_FETCH = 100
SLA_FIELDS = ("low_hours", "medium_hours", "high_hours", "urgent_hours")
TEMPLATES = "console/tickets/"


async def _queue(page: Page, filters: dict[str, str], number: int) -> tuple[list[Any], int]:
    wanted = api_filters(filters)
    lists = await asyncio.gather(
        *(
            page.api.list("/tickets", page=1, per_page=QUEUE_FETCH, **{**wanted, "status": status})
            for status in ACTIVE_STATUSES
        )
    )
    tickets = queue_order(item for listing in lists for item in listing.items)
    return page_slice(tickets, number, PER_PAGE), len(tickets)


@router.get("/console/tickets", response_class=HTMLResponse)
async def ticket_queue(page: PageDep) -> HTMLResponse:
    query = dict(page.request.query_params)
    filters = ticket_filters(query)
    number = page_number(query.get("page"))
    if filters["status"] == QUEUE:
        tickets, total = await _queue(page, filters, number)
    else:
        listing: ListPage = await page.api.list(
            "/tickets", page=number, per_page=PER_PAGE, **api_filters(filters)
        )
        tickets, total = queue_order(listing.items), listing.total
    now = utc_now()
    rows = [{**ticket, "breached": is_breached(ticket, now)} for ticket in tickets]
    base_url = "/console/tickets?" + (urlencode(filters) + "&" if filters else "")
    context = {
        "rows": rows,
        "filters": filters,
        "meta": {"page": number, "per_page": PER_PAGE, "total": total},
        "base_url": base_url,
        "priorities": PRIORITIES,
        "categories": CATEGORIES,
    }
    if page.is_htmx:
        return page.render(TEMPLATES + "list.html", block="rows", **context)
    return page.render(TEMPLATES + "list.html", **context)


async def _customer_choices(page: Page, customer_id: str) -> tuple[Any, list[Any]]:
    if customer_id:
        try:
            return await page.api.get(f"/customers/{UUID(customer_id)}"), []
        except (ValueError, ApiError):
            pass
    listing = await page.api.list("/customers", page=1, per_page=100)
    return None, listing.items


async def _new_form(
    page: Page, values: dict[str, str], errors: dict[str, str], status_code: int = 200
) -> HTMLResponse:
    customer, customers = await _customer_choices(page, values.get("customer_id", ""))
    return page.render(
        TEMPLATES + "new.html",
        status_code=status_code,
        values=values,
        errors=errors,
        customer=customer,
        customers=customers,
        priorities=PRIORITIES,
        categories=CATEGORIES,
    )


@router.get("/console/tickets/new", response_class=HTMLResponse)
async def new_ticket(page: PageDep, customer_id: str = "") -> HTMLResponse:
    return await _new_form(page, {"customer_id": customer_id, "priority": "medium"}, {})


@router.post("/console/tickets/new", response_model=None)
async def create_ticket(page: PageDep) -> Response:
    values = await page.text_fields()
    body: dict[str, Any] = {
        name: values.get(name, "") for name in ("title", "description", "category", "priority")
    }
    if values.get("customer_id"):
        body["customer_id"] = values["customer_id"]
    try:
        ticket = await page.api.post("/tickets", json=body)
    except ApiError as error:
        page.flash(error.problem.sentence, "error")
        return await _new_form(page, values, error.problem.field_errors, 422)
    return page.redirect(f"/console/tickets/{ticket['id']}?done=opened")


async def _assignees(page: Page) -> list[Any]:
    """Staff to pick from, when this user may read them (identity lets admins only)."""
    if not page.can(Action.USER_ADMIN):
        return []
    try:
        listing = await page.api.list("/users", page=1, per_page=100)
    except ApiError:
        return []
    return list(listing.items)


async def _ticket_page(
    page: Page,
    ticket_id: UUID,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    ticket, assignees = await asyncio.gather(
        page.api.get(f"/tickets/{ticket_id}"), _assignees(page)
    )
    return page.render(
        TEMPLATES + "detail.html",
        status_code=status_code,
        ticket=ticket,
        breached=is_breached(ticket, utc_now()),
        actions=allowed_actions(ticket["status"]),
        may_comment=may_comment(ticket["status"]),
        assignees=[user for user in assignees if user.get("status") == "active"],
        names={user["id"]: user["full_name"] for user in assignees},
        errors=errors or {},
        values=values or {},
    )


@router.get("/console/tickets/sla", response_class=HTMLResponse)
async def sla_settings(page: PageDep, done: str = "") -> HTMLResponse:
    if done == "saved":
        page.flash("The SLA hours were saved.", "ok")
    policy = await page.api.get("/tickets/sla")
    return page.render(TEMPLATES + "sla.html", values=policy, errors={}, fields=SLA_FIELDS)


@router.post("/console/tickets/sla", response_model=None)
async def save_sla(page: PageDep) -> Response:
    values = await page.text_fields()
    body: dict[str, Any] = {}
    for name in SLA_FIELDS:
        raw = values.get(name, "")
        body[name] = int(raw) if raw.isdigit() else raw
    try:
        await page.api.put("/tickets/sla", json=body)
    except ApiError as error:
        page.flash(error.problem.sentence, "error")
        return page.render(
            TEMPLATES + "sla.html",
            status_code=422,
            values=values,
            errors=error.problem.field_errors,
            fields=SLA_FIELDS,
        )
    return page.redirect("/console/tickets/sla?done=saved")


@router.get("/console/tickets/{ticket_id}", response_class=HTMLResponse)
async def ticket_detail(page: PageDep, ticket_id: UUID, done: str = "") -> HTMLResponse:
    if done in DONE:
        page.flash(DONE[done], "ok")
    return await _ticket_page(page, ticket_id)


# Each workflow step and the form fields it sends.
STEPS: dict[str, tuple[str, ...]] = {
    "assign": ("assigned_to",),
    "start": (),
    "resolve": ("resolution_notes",),
    "close": (),
    "reopen": ("reason",),
    "comments": ("body",),
}
# What the ticket's page says after a redirect from a step (`?done=<step>`).
DONE = {
    "opened": "The ticket was opened.",
    "assign": "The ticket was assigned.",
    "start": "Work on the ticket has started.",
    "resolve": "The ticket was resolved.",
    "close": "The ticket was closed.",
    "reopen": "The ticket was reopened.",
    "comments": "The comment was added.",
}


@router.post("/console/tickets/{ticket_id}/{step}", response_model=None)
async def ticket_step(page: PageDep, ticket_id: UUID, step: str) -> Response:
    if step not in STEPS:
        raise HTTPException(status_code=404)
    fields = STEPS[step]
    values = await page.text_fields()
    body = {name: values.get(name, "") for name in fields if values.get(name) or name != "reason"}
    try:
        await page.api.post(f"/tickets/{ticket_id}/{step}", json=body or None)
    except ApiError as error:
        page.flash(error.problem.sentence, "error")
        return await _ticket_page(page, ticket_id, error.problem.field_errors, values, 422)
    return page.redirect(f"/console/tickets/{ticket_id}?done={step}")
