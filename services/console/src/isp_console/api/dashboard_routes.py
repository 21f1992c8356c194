"""The console's dashboard: today's and this month's income, customers by state, what is owed,
routers, tickets and a year of revenue. Every figure is its own API call, made at once; one the
role may not read (or that fails) shows as "—" and the rest of the page stands."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse

from isp_console.adapters.i18n import translations
from isp_console.api.pages import Page, console_page
from isp_console.domain.dashboard_figures import (
    monthly_revenue,
    periods,
    revenue_chart,
    router_counts,
)
from isp_console.use_cases.ports import ApiError

router = APIRouter()
T = TypeVar("T")
ROUTERS_READ = 100


@router.get("/console")
async def console_root() -> RedirectResponse:
    return RedirectResponse("/console/", status_code=308)


async def _or_none(call: Awaitable[T]) -> T | None:
    """A figure the role may not read, or a service that did not answer, is left out."""
    try:
        return await call
    except ApiError as exc:
        if exc.problem.status == 401:
            raise
        return None


async def _total(page: Page, path: str, **filters: Any) -> int | None:
    listing = await _or_none(page.api.list(path, page=1, per_page=1, **filters))
    return None if listing is None else listing.total


def _sum(*counts: int | None) -> int | None:
    return None if any(c is None for c in counts) else sum(c or 0 for c in counts)


@router.get("/console/", response_class=HTMLResponse)
async def dashboard(page: Annotated[Page, Depends(console_page)]) -> HTMLResponse:
    window = periods(datetime.now(page.formats.zone).date())
    api = page.api

    def revenue(date_from: Any) -> Awaitable[Any]:
        return _or_none(
            api.get(
                "/billing/revenue",
                date_from=date_from.isoformat(),
                date_to=window.today.isoformat(),
                group_by="month",
            )
        )

    (
        today,
        month,
        year,
        active,
        suspended,
        pending,
        summary,
        routers,
        opened,
        in_progress,
        breached_open,
        breached_in_progress,
    ) = await asyncio.gather(
        revenue(window.today),
        revenue(window.month_start),
        revenue(window.chart_start),
        _total(page, "/customers", status="active"),
        _total(page, "/customers", status="suspended"),
        _total(page, "/customers", status="pending_activation"),
        _or_none(api.get("/billing/summary")),
        _or_none(api.list("/routers", page=1, per_page=ROUTERS_READ)),
        _total(page, "/tickets", status="open"),
        _total(page, "/tickets", status="in_progress"),
        _total(page, "/tickets", status="open", sla_breached="true"),
        _total(page, "/tickets", status="in_progress", sla_breached="true"),
    )
    months = monthly_revenue(window.months, year) if year is not None else []
    gettext = translations(page.session.locale).gettext
    return page.render(
        "console/dashboard/index.html",
        window=window,
        income_today=today.get("total") if today else None,
        income_month=month.get("total") if month else None,
        active=active,
        suspended=suspended,
        pending=pending,
        summary=summary if isinstance(summary, dict) else None,
        routers=router_counts(routers.items) if routers is not None else None,
        open_tickets=_sum(opened, in_progress),
        sla_breaches=_sum(breached_open, breached_in_progress),
        months=months,
        chart=revenue_chart(months, gettext("Revenue")) if months else None,
    )
