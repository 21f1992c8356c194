"""The customer page, where an operator lives: the header and lifecycle forms on first paint,
every other section loaded by htmx after it (provisioning and the router timeline, billing,
tickets and boosts, usage, the audit trail), so the page is fast whatever a service answers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from isp_console.adapters.i18n import translations
from isp_console.api import customer_page_payments
from isp_console.api.customer_page_view import render_customer_page
from isp_console.api.pages import Page, console_page
from isp_console.domain.customer_page import (
    DELETE,
    LIFECYCLE_ACTIONS,
    human_bytes,
    is_pending,
    lifecycle_body,
    timeline,
    usage_chart,
    usage_summary,
)
from isp_console.domain.permissions import Action
from isp_console.use_cases.ports import ApiError

router = APIRouter()
router.include_router(customer_page_payments.router)
ConsolePage = Annotated[Page, Depends(console_page)]
BASE = "/console/customers/{customer_id:uuid}"
SECTIONS = "console/customer/"
USAGE_RANGES = {"day": (timedelta(days=1), "1h"), "week": (timedelta(days=7), "1d")}


@router.get(BASE)
async def customer_page(customer_id: UUID, page: ConsolePage) -> Response:
    return await render_customer_page(page, str(customer_id))


@router.post(BASE + "/lifecycle/{action}")
async def lifecycle(customer_id: UUID, action: str, page: ConsolePage) -> Response:
    customer_id = str(customer_id)
    if action not in LIFECYCLE_ACTIONS or not page.can(Action.CUSTOMER_LIFECYCLE):
        page.flash("Your role does not allow this.", "error")
        return await render_customer_page(page, customer_id, status_code=403)
    form = {k: str(v) for k, v in (await page.request.form()).items()}
    try:
        if action == DELETE:
            await page.api.delete(f"/customers/{customer_id}")
        else:
            await page.api.post(
                f"/customers/{customer_id}/{action}", json=lifecycle_body(action, form)
            )
    except ApiError as exc:
        problem = exc.problem
        page.flash(problem.sentence, "error")
        return await render_customer_page(
            page,
            customer_id,
            status_code=problem.status if 400 <= problem.status < 500 else 422,
            open_form=action,
            form_values=form,
            form_errors=problem.field_errors,
            refusal=problem.details if problem.code == "INVALID_STATE" else None,
        )
    if action == DELETE:
        return page.redirect("/console/customers")
    return page.redirect(f"/console/customers/{customer_id}?done={action}")


@router.get(BASE + "/sections/provisioning")
async def provisioning_section(customer_id: UUID, page: ConsolePage) -> Response:
    customer_id = str(customer_id)
    customer = await page.api.get(f"/customers/{customer_id}")
    operations: list[dict[str, Any]] = []
    refused = None
    try:
        routers = await page.api.list("/routers", per_page=100)
        names = {r["id"]: r.get("name") for r in routers.items}
        pages = await asyncio.gather(
            *(
                page.api.list(
                    f"/routers/{r['id']}/operations", customer_id=customer_id, per_page=20
                )
                for r in routers.items
            )
        )
        operations = timeline(p.items for p in pages)
        for op in operations:
            op["router_name"] = names.get(op.get("router_id"))
    except ApiError as exc:
        refused = exc.problem.sentence
    return page.render(
        SECTIONS + "provisioning.html",
        block="section",
        customer=customer,
        customer_id=customer_id,
        operations=operations,
        timeline_refused=refused,
        pending=is_pending(customer.get("provisioning_status")),
    )


async def _listed(page: Page, path: str, **params: Any) -> tuple[Any, str | None]:
    try:
        return await page.api.list(path, **params), None
    except ApiError as exc:
        return None, exc.problem.sentence


async def _active_boost(page: Page, customer_id: str) -> Any:
    try:
        return await page.api.get(f"/customers/{customer_id}/speed-boost")
    except ApiError as exc:
        if exc.problem.status == 404:
            return None
        raise


@router.get(BASE + "/sections/activity")
async def activity_section(customer_id: UUID, page: ConsolePage) -> Response:
    customer_id = str(customer_id)
    (tickets, tickets_refused), (boosts, boosts_refused), active = await asyncio.gather(
        _listed(page, "/tickets", customer_id=customer_id, per_page=10),
        _listed(page, "/speed-boosts", customer_id=customer_id, per_page=10),
        _active_boost(page, customer_id),
    )
    return page.render(
        SECTIONS + "activity.html",
        block="section",
        customer_id=customer_id,
        tickets=tickets,
        tickets_refused=tickets_refused,
        boosts=boosts,
        boosts_refused=boosts_refused,
        active_boost=active,
    )


@router.get(BASE + "/sections/usage")
async def usage_section(customer_id: UUID, page: ConsolePage, range: str = "day") -> Response:
    customer_id = str(customer_id)
    span, bucket = USAGE_RANGES.get(range, USAGE_RANGES["day"])
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    refused = None
    buckets: list[dict[str, Any]] = []
    try:
        series = await page.api.get(
            f"/customers/{customer_id}/monitoring",
            date_from=(now - span).isoformat(),
            date_to=now.isoformat(),
            bucket=bucket,
        )
        buckets = list((series or {}).get("buckets") or [])
    except ApiError as exc:
        refused = exc.problem.sentence
    label = _bucket_label(page, "%d/%m" if bucket == "1d" else "%H:%M")
    chart = usage_chart(buckets, label, page_text(page, "Download"), page_text(page, "Upload"))
    return page.render(
        SECTIONS + "usage.html",
        block="section",
        customer_id=customer_id,
        usage_range=range if range in USAGE_RANGES else "day",
        buckets=buckets,
        chart=chart,
        summary=usage_summary(buckets),
        human_bytes=human_bytes,
        usage_refused=refused,
    )


@router.get(BASE + "/sections/audit")
async def audit_section(customer_id: UUID, page: ConsolePage) -> Response:
    customer_id = str(customer_id)
    entries, refused = await _listed(page, f"/customers/{customer_id}/audit-logs", per_page=20)
    return page.render(
        SECTIONS + "audit.html",
        block="section",
        customer_id=customer_id,
        entries=entries,
        audit_refused=refused,
    )


def _bucket_label(page: Page, pattern: str) -> Any:
    def label(start: str) -> str:
        try:
            when = datetime.fromisoformat(start.replace("Z", "+00:00"))
        except ValueError:
            return start
        return when.astimezone(page.formats.zone).strftime(pattern)

    return label


def page_text(page: Page, msgid: str) -> str:
    """A msgid in the page's language, for text built in the route (the chart's legend)."""
    return translations(page.session.locale).gettext(msgid)
