"""The customer page's billing section: invoices and payments, recording and voiding a
payment, and the receipt PDF (streamed as the API answers it: the API decides who reads it)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from isp_console.adapters.i18n import translations
from isp_console.api.customer_page_view import render_billing, render_customer_page
from isp_console.api.pages import Page, console_page
from isp_console.domain.customer_page import PERIOD_FORMAT, payment_body, payment_field_errors
from isp_console.use_cases.ports import ApiError

router = APIRouter()
ConsolePage = Annotated[Page, Depends(console_page)]
# What the page says about a field it checked itself (the API's own words come as they are).
FORM_ERRORS = {PERIOD_FORMAT: "Use the form YYYY-MM, e.g. 2026-12."}


@router.get("/console/customers/{customer_id:uuid}/sections/billing")
async def billing_section(customer_id: UUID, page: ConsolePage) -> Response:
    return await render_billing(page, str(customer_id))


@router.post("/console/customers/{customer_id:uuid}/payments")
async def record_payment(customer_id: UUID, page: ConsolePage) -> Response:
    customer_id = str(customer_id)
    form = {k: str(v) for k, v in (await page.request.form()).items()}
    body, found = payment_body(customer_id, form)
    gettext = translations(page.session.locale).gettext
    errors = {name: gettext(FORM_ERRORS.get(key, key)) for name, key in found.items()}
    if not errors:
        try:
            await page.api.post("/payments", json=body)
        except ApiError as exc:
            errors = payment_field_errors(exc.problem.field_errors)
            if not errors:
                page.flash(exc.problem.sentence, "error")
        else:
            return await _after_write(page, customer_id, "Payment recorded.")
    if not page.is_htmx:
        return await render_customer_page(
            page, customer_id, status_code=422, billing_errors=errors, payment_values=form
        )
    return await render_billing(
        page,
        customer_id,
        status_code=422,
        payment_errors=errors,
        payment_values=form,
        payment_form_open=True,
    )


@router.post("/console/customers/{customer_id:uuid}/payments/{payment_id:uuid}/void")
async def void_payment(customer_id: UUID, payment_id: UUID, page: ConsolePage) -> Response:
    customer_id = str(customer_id)
    form = await page.request.form()
    reason = str(form.get("reason") or "").strip()
    try:
        await page.api.request("DELETE", f"/payments/{payment_id}", json={"reason": reason})
    except ApiError as exc:
        page.flash(exc.problem.sentence, "error")
        void_errors = {str(payment_id): exc.problem.field_errors.get("reason", "")}
        if not page.is_htmx:
            return page.redirect(f"/console/customers/{customer_id}?done=void_failed#billing")
        return await render_billing(page, customer_id, status_code=422, void_errors=void_errors)
    return await _after_write(page, customer_id, "Payment voided.")


async def _after_write(page: Page, customer_id: str, message: str) -> Response:
    if not page.is_htmx:
        done = "payment_recorded" if message == "Payment recorded." else "payment_voided"
        return page.redirect(f"/console/customers/{customer_id}?done={done}#billing")
    page.flash(message, "ok")
    return await render_billing(page, customer_id)


@router.get("/console/payments/{payment_id:uuid}/receipt")
async def receipt(payment_id: UUID, page: ConsolePage) -> Response:
    answer = await page.api.raw(f"/payments/{payment_id}/receipt")
    disposition = answer.headers.get(
        "content-disposition", f'inline; filename="receipt-{payment_id}.pdf"'
    )
    response = Response(
        answer.content,
        media_type=answer.headers.get("content-type", "application/pdf"),
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )
    page.keep_session(response)
    return response
