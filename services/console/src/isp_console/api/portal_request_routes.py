"""What a subscriber asks for in the portal: a speed boost (priced before it is confirmed), help
(their own tickets and comments), and a new password (which ends every session)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import HTMLResponse, Response

from isp_console.api.pages import Page, drop_session_cookie, portal_page
from isp_console.api.portal_common import customer_id_of, not_found, unless_missing
from isp_console.domain.portal import (
    BOOST_HOURS,
    PASSWORDS_DIFFER,
    TICKET_CATEGORIES,
    BoostChoice,
    boost_choices,
    boost_hours,
    boost_total,
    is_uuid,
    password_errors,
)
from isp_console.domain.session import Area
from isp_console.use_cases.ports import ApiError

if TYPE_CHECKING:
    from isp_console.domain.errors import ApiProblem

router = APIRouter()

PortalPage = Annotated[Page, Depends(portal_page)]
Line = Annotated[str, Form(max_length=300)]
LongText = Annotated[str, Form(max_length=6000)]
Secret = Annotated[str, Form(max_length=1024)]

# Why the boost service refused a request (details.reason) → what the subscriber reads.
BOOST_REFUSALS = {
    "customer_not_active": "Your account is not active, so a boost cannot be requested now.",
    "pricing_not_configured": "Speed boosts are not offered at the moment.",
    "active_boost_exists": "A boost is already running on your connection.",
}
TICKET_FIELD_ERRORS = {
    "title": "Write a short subject (up to 200 characters).",
    "description": "Describe what happened (up to 5000 characters).",
    "category": "Choose a topic.",
    "body": "Write a message (up to 5000 characters).",
}


# -- speed boost -------------------------------------------------------------------------------


async def _boost_page(
    page: Page, speed: str | None, hours: str | None, *, status_code: int = 200
) -> HTMLResponse:
    customer_id = customer_id_of(page)
    customer, pricing, requests, active = await asyncio.gather(
        page.api.get(f"/customers/{customer_id}"),
        page.api.get("/speed-boosts/pricing"),
        page.api.list("/speed-boosts", per_page=10),
        unless_missing(page.api.get(f"/customers/{customer_id}/speed-boost")),
    )
    plan = None
    if customer.get("service_plan_id"):
        plan = await unless_missing(page.api.get(f"/service-plans/{customer['service_plan_id']}"))
    choices = boost_choices(
        (plan or {}).get("bandwidth_download"), (plan or {}).get("bandwidth_upload")
    )
    chosen = BoostChoice.parse(speed)
    chosen = chosen if chosen in choices else None
    chosen_hours = boost_hours(hours)
    price_per_hour = pricing.get("price_per_hour") if pricing.get("is_configured") else None
    quote = None
    if chosen and chosen_hours and price_per_hour is not None:
        quote = {
            "choice": chosen,
            "hours": chosen_hours,
            "price_per_hour": price_per_hour,
            "total": boost_total(price_per_hour, chosen_hours),
        }
    context = {
        "customer": customer,
        "plan": plan,
        "choices": choices,
        "hours_options": BOOST_HOURS,
        "chosen": chosen,
        "chosen_hours": chosen_hours,
        "price_per_hour": price_per_hour,
        "quote": quote,
        "requests": requests.items,
        "active": active,
    }
    block = "quote" if page.is_htmx and page.request.method == "GET" else None
    return page.render("portal/boost.html", block=block, status_code=status_code, **context)


@router.get("/portal/boost", response_class=HTMLResponse)
async def boost(
    page: PortalPage,
    speed: Annotated[str | None, Query(max_length=40)] = None,
    hours: Annotated[str | None, Query(max_length=5)] = None,
    sent: Annotated[str | None, Query(max_length=5)] = None,
) -> HTMLResponse:
    if sent:
        page.flash("Your boost request was sent. It starts once it is approved.", "ok")
    return await _boost_page(page, speed, hours)


@router.post("/portal/boost")
async def request_boost(page: PortalPage, speed: Line = "", hours: Line = "") -> Response:
    choice, chosen_hours = BoostChoice.parse(speed), boost_hours(hours)
    if choice is None or chosen_hours is None:
        page.flash("Choose a speed and a duration.", "error")
        return await _boost_page(page, speed, hours, status_code=422)
    body = {
        "customer_id": customer_id_of(page),
        "requested_speed_download": choice.download_kbps,
        "requested_speed_upload": choice.upload_kbps,
        "duration_hours": chosen_hours,
    }
    try:
        await page.api.post("/speed-boosts", json=body)
    except ApiError as exc:
        page.flash(_boost_refusal(exc.problem), "error")
        return await _boost_page(page, speed, hours, status_code=exc.problem.status)
    return page.redirect("/portal/boost?sent=1")


def _boost_refusal(problem: ApiProblem) -> str:
    reason = str(problem.details.get("reason") or "")
    return BOOST_REFUSALS.get(reason, problem.sentence)


# -- help: the subscriber's own tickets --------------------------------------------------------


@router.get("/portal/tickets", response_class=HTMLResponse)
async def tickets(
    page: PortalPage, number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1
) -> HTMLResponse:
    found = await page.api.list("/tickets", page=number, per_page=20)
    return page.render("portal/tickets.html", tickets=found)


def _ticket_form(
    page: Page, values: dict[str, str], errors: dict[str, str], status_code: int = 200
) -> HTMLResponse:
    return page.render(
        "portal/ticket_new.html",
        values=values,
        errors=errors,
        categories=TICKET_CATEGORIES,
        status_code=status_code,
    )


@router.get("/portal/tickets/new", response_class=HTMLResponse)
async def new_ticket(page: PortalPage) -> HTMLResponse:
    return _ticket_form(page, {"category": "technical"}, {})


@router.post("/portal/tickets")
async def open_ticket(
    page: PortalPage, title: Line = "", category: Line = "", description: LongText = ""
) -> Response:
    values = {"title": title.strip(), "category": category, "description": description.strip()}
    try:
        created = await page.api.post("/tickets", json=values)
    except ApiError as exc:
        if exc.problem.status not in (400, 422):
            raise
        errors = {name: TICKET_FIELD_ERRORS.get(name, "") for name in exc.problem.field_errors}
        page.flash(exc.problem.sentence, "error")
        return _ticket_form(page, values, errors, status_code=422)
    return page.redirect(f"/portal/tickets/{created['id']}?opened=1")


async def _ticket_page(
    page: Page,
    ticket_id: str,
    *,
    comment: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    if not is_uuid(ticket_id):
        raise not_found()
    ticket = await page.api.get(f"/tickets/{ticket_id}")
    return page.render(
        "portal/ticket.html",
        ticket=ticket,
        comment=comment,
        errors=errors or {},
        status_code=status_code,
    )


@router.get("/portal/tickets/{ticket_id}", response_class=HTMLResponse)
async def ticket(
    page: PortalPage,
    ticket_id: str,
    opened: Annotated[str | None, Query(max_length=5)] = None,
    commented: Annotated[str | None, Query(max_length=5)] = None,
) -> HTMLResponse:
    if opened:
        page.flash("Your request was sent. We will answer here.", "ok")
    if commented:
        page.flash("Your message was added.", "ok")
    return await _ticket_page(page, ticket_id)


@router.post("/portal/tickets/{ticket_id}/comments")
async def comment_on_ticket(page: PortalPage, ticket_id: str, body: LongText = "") -> Response:
    if not is_uuid(ticket_id):
        return await _ticket_page(page, ticket_id)
    try:
        await page.api.post(f"/tickets/{ticket_id}/comments", json={"body": body.strip()})
    except ApiError as exc:
        if exc.problem.status not in (400, 422):
            raise
        errors = {"body": TICKET_FIELD_ERRORS["body"]}
        return await _ticket_page(page, ticket_id, comment=body, errors=errors, status_code=422)
    return page.redirect(f"/portal/tickets/{ticket_id}?commented=1#activity")


# -- password ----------------------------------------------------------------------------------


@router.get("/portal/password", response_class=HTMLResponse)
async def password_form(page: PortalPage) -> HTMLResponse:
    return page.render("portal/password.html", errors={})


@router.post("/portal/password")
async def change_password(
    page: PortalPage,
    current_password: Secret = "",
    new_password: Secret = "",
    confirm_password: Secret = "",
) -> Response:
    if new_password != confirm_password:
        errors = {"confirm_password": PASSWORDS_DIFFER}
        return page.render("portal/password.html", errors=errors, status_code=422)
    body = {"current_password": current_password, "new_password": new_password}
    try:
        await page.api.post("/auth/password", json=body)
    except ApiError as exc:
        if exc.problem.status not in (400, 422):
            page.flash(exc.problem.sentence, "error")
            return page.render("portal/password.html", errors={}, status_code=exc.problem.status)
        return page.render(
            "portal/password.html",
            errors=password_errors(exc.problem.field_errors),
            status_code=422,
        )
    # identity ended every session of this subscriber, this one too: log in again.
    page.cookie_changed = False
    response = page.render("portal/password_changed.html")
    drop_session_cookie(page.runtime, response, Area.PORTAL)
    return response
