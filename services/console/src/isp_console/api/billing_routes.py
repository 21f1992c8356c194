"""Billing: the invoices (list and page), the billing run and the overdue check, the revenue
report and the tenant's billing settings. Billing owns all of it; the console shows and asks."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from babel import dates
from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from isp_console.adapters.i18n import translations
from isp_console.api.pages import Page, console_page
from isp_console.api.plan_routes import problem_errors, refusal, translated_errors
from isp_console.domain.billing_views import (
    GROUPINGS,
    InvoiceFilters,
    default_revenue_range,
    is_uuid,
    parse_date,
    payments_of_invoice,
    revenue_chart,
    revenue_rows,
    settings_body,
)
from isp_console.use_cases.ports import ApiError

router = APIRouter()
PageDep = Annotated[Page, Depends(console_page)]
OVERVIEW = "console/billing/overview.html"
INVOICE = "console/billing/invoice.html"
REVENUE = "console/billing/revenue.html"
SETTINGS = "console/billing/settings.html"

PAYMENT_METHOD_MESSAGES = {
    "cash": "Cash",
    "transfer": "Bank transfer",
    "e-wallet": "E-wallet",
    "credit_card": "Credit card",
}
PAYMENT_FOR_MESSAGES = {
    "monthly_subscription": "Monthly subscription",
    "installation": "Installation",
    "speed_boost": "Speed boost",
    "other": "Other",
}


def tenant_today(page: Page) -> date:
    return datetime.now(page.formats.zone).date()


async def _customer_names(page: Page, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Each customer's code and name from billing's account (one call per customer on the
    page: billing answers no batch of accounts); a customer it cannot show is left out."""

    async def one(customer_id: str) -> tuple[str, dict[str, Any] | None]:
        try:
            return customer_id, await page.api.get(f"/customers/{customer_id}/account")
        except ApiError:
            return customer_id, None

    found = await asyncio.gather(*(one(i) for i in sorted(ids)))
    return {i: account for i, account in found if account}


async def _customer_id(page: Page, text: str) -> tuple[str | None, str | None]:
    """The customer the filter names (an id, or a search by code, name or phone) and, when
    the search was not exact, a sentence saying which one is shown."""
    if not text or is_uuid(text):
        return text or None, None
    found = await page.api.list("/customers", page=1, per_page=2, search=text)
    if not found.items:
        return None, "No customer matches this search."
    if found.total > 1:
        return str(found.items[0]["id"]), "Several customers match; the first one is shown."
    return str(found.items[0]["id"]), None


@router.get("/console/billing", response_class=HTMLResponse)
async def overview(page: PageDep) -> HTMLResponse:
    filters = InvoiceFilters.parse(page.request.query_params)
    number = page.request.query_params.get("page", "1")
    customer_id, note = await _customer_id(page, filters.customer)
    invoices: list[dict[str, Any]] = []
    meta: dict[str, Any] = {}
    if note != "No customer matches this search.":
        found = await page.api.list(
            "/invoices",
            page=int(number) if number.isdigit() and int(number) > 0 else 1,
            per_page=20,
            status=filters.status,
            period=filters.period,
            customer_id=customer_id,
        )
        invoices, meta = found.items, found.meta
    if note:
        page.flash(note, "info")
    customers = await _customer_names(page, {str(i["customer_id"]) for i in invoices})
    context = {
        "invoices": invoices,
        "meta": meta,
        "customers": customers,
        "filters": filters,
        "today": tenant_today(page).isoformat(),
        "outcome": None,
    }
    if page.is_htmx and page.request.headers.get("hx-target") == "invoice-rows":
        return page.render(OVERVIEW, block="rows", **context)
    return page.render(OVERVIEW, **context)


@router.get("/console/billing/invoices/{invoice_id}", response_class=HTMLResponse)
async def invoice_page(page: PageDep, invoice_id: UUID) -> HTMLResponse:
    invoice = await page.api.get(f"/invoices/{invoice_id}")
    customer = f"/customers/{invoice['customer_id']}"
    account, payments = await asyncio.gather(
        page.api.get(f"{customer}/account"),
        page.api.list("/payments", page=1, per_page=100, customer_id=invoice["customer_id"]),
        return_exceptions=True,
    )
    paid_by = [] if isinstance(payments, BaseException) else payments.items
    return page.render(
        INVOICE,
        invoice=invoice,
        account=None if isinstance(account, BaseException) else account,
        payments=payments_of_invoice(paid_by, str(invoice["id"])),
        methods=PAYMENT_METHOD_MESSAGES,
    )


async def _run(page: Page, path: str, kind: str) -> HTMLResponse:
    form = await page.request.form()
    as_of = str(form.get("as_of") or "").strip()
    outcome: dict[str, Any] = {"kind": kind, "as_of": as_of}
    try:
        outcome["result"] = await page.api.post(path, {"as_of": as_of} if as_of else {})
    except ApiError as error:
        if error.problem.status in (401, 403):
            raise
        errors = problem_errors(page, error.problem)
        outcome["error"] = errors.get("as_of") or error.problem.sentence
    context = {"outcome": outcome, "today": tenant_today(page).isoformat()}
    if page.is_htmx:
        return page.render(OVERVIEW, block="outcome", **context)
    return page.render(
        OVERVIEW,
        invoices=[],
        meta={},
        customers={},
        filters=InvoiceFilters(),
        **context,
    )


@router.post("/console/billing/runs", response_class=HTMLResponse)
async def billing_run(page: PageDep) -> HTMLResponse:
    return await _run(page, "/billing/runs", "run")


@router.post("/console/billing/overdue-check", response_class=HTMLResponse)
async def overdue_check(page: PageDep) -> HTMLResponse:
    return await _run(page, "/billing/overdue-check", "overdue")


def _group_label(page: Page, group_by: str, key: str) -> str:
    gettext = translations(page.session.locale).gettext
    if group_by == "month":
        try:
            first = date.fromisoformat(f"{key}-01")
        except ValueError:
            return key
        return dates.format_date(first, "MMM yyyy", locale=page.formats.locale)
    names = PAYMENT_METHOD_MESSAGES if group_by == "payment_method" else PAYMENT_FOR_MESSAGES
    return gettext(names[key]) if key in names else key


@router.get("/console/billing/revenue", response_class=HTMLResponse)
async def revenue(page: PageDep) -> HTMLResponse:
    query = page.request.query_params
    first, last = default_revenue_range(tenant_today(page))
    date_from = parse_date(query.get("date_from")) or first
    date_to = parse_date(query.get("date_to")) or last
    group_by = query.get("group_by") if query.get("group_by") in GROUPINGS else "month"
    report = await page.api.get(
        "/billing/revenue",
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        group_by=group_by,
    )
    rows = revenue_rows(report)
    labels = [_group_label(page, group_by, row.key) for row in rows]
    gettext = translations(page.session.locale).gettext
    return page.render(
        REVENUE,
        report=report,
        rows=list(zip(labels, rows, strict=True)),
        chart=revenue_chart(rows, labels, gettext("Revenue")),
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        group_by=group_by,
    )


@router.get("/console/billing/settings", response_class=HTMLResponse)
async def settings_page(page: PageDep) -> HTMLResponse:
    current = await page.api.get("/billing/settings")
    values = {k: "" if v is None else str(v) for k, v in current.items()}
    if page.request.query_params.get("saved"):
        page.flash("Saved.", "ok")
    return page.render(SETTINGS, values=values, errors={})


@router.post("/console/billing/settings", response_model=None)
async def save_settings(page: PageDep) -> Response:
    body, values, errors = settings_body(dict(await page.request.form()))
    if not errors:
        try:
            await page.api.put("/billing/settings", body)
        except ApiError as error:
            if error.problem.status in (401, 403):
                raise
            errors = problem_errors(page, error.problem)
            refusal(page, error.problem)
        else:
            return page.redirect("/console/billing/settings?saved=1")
    else:
        errors = translated_errors(page, errors)
        page.flash("Some fields need correcting.", "error")
    return page.render(SETTINGS, values=values, errors=errors, status_code=422)
