"""The audit trail: filters, pages, one entry's old and new values, and the chain's check."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from isp_console.api.pages import Page, console_page
from isp_console.domain.audit import (
    CATEGORIES,
    audit_filters,
    value_changes,
    verification_verdict,
)
from isp_console.domain.tickets import page_number

router = APIRouter()

PageDep = Annotated[Page, Depends(console_page)]
PER_PAGE = 25
TEMPLATES = "console/audit/"


@router.get("/console/audit", response_class=HTMLResponse)
async def audit_trail(page: PageDep) -> HTMLResponse:
    query = dict(page.request.query_params)
    filters = audit_filters(query)
    number = page_number(query.get("page"))
    listing = await page.api.list("/audit-logs", page=number, per_page=PER_PAGE, **filters)
    context = {
        "rows": listing.items,
        "filters": filters,
        "meta": {"page": number, "per_page": PER_PAGE, "total": listing.total},
        "base_url": "/console/audit?" + (urlencode(filters) + "&" if filters else ""),
        "categories": CATEGORIES,
    }
    if page.is_htmx:
        return page.render(TEMPLATES + "list.html", block="rows", **context)
    return page.render(TEMPLATES + "list.html", **context)


@router.get("/console/audit/verify", response_class=HTMLResponse)
async def verify_chain(page: PageDep) -> HTMLResponse:
    report = await page.api.get("/audit-logs/verify")
    verdict = verification_verdict(report)
    if page.is_htmx:
        return page.render(TEMPLATES + "verify.html", block="verdict", verdict=verdict)
    return page.render(TEMPLATES + "verify.html", verdict=verdict, report=report)


@router.get("/console/audit/{entry_id}", response_class=HTMLResponse)
async def audit_entry(page: PageDep, entry_id: UUID) -> HTMLResponse:
    entry = await page.api.get(f"/audit-logs/{entry_id}")
    return page.render(
        TEMPLATES + "detail.html",
        entry=entry,
        changes=value_changes(entry.get("old_value"), entry.get("new_value")),
    )
