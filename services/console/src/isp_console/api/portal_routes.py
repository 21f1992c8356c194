"""The subscriber portal: the account, invoices and receipts, usage (and, in
portal_request_routes, what a subscriber asks for). Every call goes out with the subscriber's own
token, so the services show them their own data only: another customer's invoice is not found."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from isp_console.api import portal_request_routes
from isp_console.api.pages import Page, portal_page, utc_now
from isp_console.api.portal_common import customer_id_of, not_found, unless_missing
from isp_console.domain.portal import USAGE_RANGES, is_uuid, mbps, usage_days, usage_summary

router = APIRouter()
router.include_router(portal_request_routes.router)

PortalPage = Annotated[Page, Depends(portal_page)]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=10_000)]


@router.get("/portal")
async def portal_root() -> RedirectResponse:
    return RedirectResponse("/portal/", status_code=308)


@router.get("/portal/", response_class=HTMLResponse)
async def account(page: PortalPage) -> HTMLResponse:
    customer_id = customer_id_of(page)
    customer, billing, payments, boost = await asyncio.gather(
        page.api.get(f"/customers/{customer_id}"),
        unless_missing(page.api.get(f"/customers/{customer_id}/account")),
        page.api.list("/payments", per_page=1, status="completed"),
        unless_missing(page.api.get(f"/customers/{customer_id}/speed-boost")),
    )
    plan = None
    if customer.get("service_plan_id"):
        plan = await unless_missing(page.api.get(f"/service-plans/{customer['service_plan_id']}"))
    return page.render(
        "portal/home.html",
        customer=customer,
        billing=billing or {},
        plan=plan,
        speeds=_speeds(plan),
        last_payment=payments.items[0] if payments.items else None,
        boost=boost,
        boost_speed=mbps(boost.get("boosted_speed_download")) if boost else None,
    )


def _speeds(plan: dict[str, Any] | None) -> tuple[Any, Any] | None:
    if not plan:
        return None
    return mbps(plan.get("bandwidth_download")), mbps(plan.get("bandwidth_upload"))


@router.get("/portal/invoices", response_class=HTMLResponse)
async def invoices(page: PortalPage, number: PageNumber = 1) -> HTMLResponse:
    invoices_page, payments_page = await asyncio.gather(
        page.api.list("/invoices", page=number, per_page=12),
        page.api.list("/payments", per_page=12),
    )
    return page.render("portal/invoices.html", invoices=invoices_page, payments=payments_page.items)


@router.get("/portal/invoices/{invoice_id}", response_class=HTMLResponse)
async def invoice(page: PortalPage, invoice_id: str) -> HTMLResponse:
    if not is_uuid(invoice_id):
        raise not_found()
    found = await page.api.get(f"/invoices/{invoice_id}")
    return page.render("portal/invoice.html", invoice=found)


@router.get("/portal/payments/{payment_id}/receipt")
async def receipt(page: PortalPage, payment_id: str) -> Response:
    """The receipt PDF as billing renders it, passed through (never stored here)."""
    if not is_uuid(payment_id):
        raise not_found()
    document = await page.api.raw(f"/payments/{payment_id}/receipt")
    headers = {"Cache-Control": "private, no-store"}
    disposition = document.headers.get("content-disposition")
    if disposition:
        headers["Content-Disposition"] = disposition
    response = Response(
        document.content,
        media_type=document.headers.get("content-type", "application/pdf"),
        headers=headers,
    )
    page.keep_session(response)
    return response


@router.get("/portal/usage", response_class=HTMLResponse)
async def usage(page: PortalPage, days: str | None = None) -> HTMLResponse:
    customer_id = customer_id_of(page)
    shown_days = usage_days(days)
    bucket = USAGE_RANGES[shown_days]
    since = utc_now() - timedelta(days=shown_days)
    series = await page.api.get(
        f"/customers/{customer_id}/monitoring", date_from=since.isoformat(), bucket=bucket
    )
    summary = usage_summary((series or {}).get("buckets") or [])
    labels = [_bucket_label(page, row.starts, hourly=bucket == "1h") for row in summary.rows]
    return page.render(
        "portal/usage.html",
        summary=summary,
        labels=labels,
        days=shown_days,
        ranges=list(USAGE_RANGES),
    )


def _bucket_label(page: Page, starts: str, *, hourly: bool) -> str:
    """A bucket's start in the tenant's time zone: its hour, or its day."""
    try:
        when = datetime.fromisoformat(starts.replace("Z", "+00:00"))
    except ValueError:
        return starts
    if hourly:
        return when.astimezone(page.formats.zone).strftime("%H:%M")
    return page.formats.date(when)
