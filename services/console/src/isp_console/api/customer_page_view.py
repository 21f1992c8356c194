"""What the customer page shows on first paint (the header and the lifecycle forms) and the
billing section, shared by the page's routes and the payment routes that re-render them."""

from __future__ import annotations

import asyncio
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi.responses import Response

from isp_console.api.pages import Page
from isp_console.domain.customer_page import allowed_actions
from isp_console.domain.permissions import Action
from isp_console.use_cases.ports import ApiError

PAGE = "console/customer/page.html"
BILLING = "console/customer/billing.html"
PAYMENT_METHODS = ("cash", "transfer", "e-wallet", "credit_card")
PAYMENT_FOR = ("monthly_subscription", "installation", "speed_boost", "other")

# `?done=` after a redirect: the message the page shows (msgids).
DONE_MESSAGES = {
    "activate": "The customer was activated.",
    "suspend": "The customer was suspended.",
    "terminate": "The customer was terminated.",
    "change-plan": "The plan was changed.",
    "payment_recorded": "Payment recorded.",
    "payment_voided": "Payment voided.",
    "void_failed": "The payment could not be voided.",
}
FAILURES = frozenset({"void_failed"})


async def _optional(page: Page, path: str) -> Any:
    """A detail the header can do without (the plan's or ODP's name): None when refused."""
    try:
        return await page.api.get(path)
    except ApiError:
        return None


async def _active_plans(page: Page) -> list[dict[str, Any]]:
    try:
        plans = await page.api.list("/service-plans", is_active="true", per_page=100)
    except ApiError:
        return []
    return list(plans.items)


async def header_context(page: Page, customer_id: str) -> dict[str, Any]:
    customer = await page.api.get(f"/customers/{customer_id}")
    plan_id, odp_id = customer.get("service_plan_id"), customer.get("odp_id")
    lifecycle = page.can(Action.CUSTOMER_LIFECYCLE)
    plan, odp, plans = await asyncio.gather(
        _optional(page, f"/service-plans/{plan_id}") if plan_id else _none(),
        _optional(page, f"/odps/{odp_id}") if odp_id else _none(),
        _active_plans(page) if lifecycle else _empty(),
    )
    return {
        "customer": customer,
        "owes": _positive(customer.get("outstanding_balance")),
        "customer_id": customer_id,
        "plan": plan,
        "odp": odp,
        "plans": [p for p in plans if p.get("id") != plan_id],
        "actions": allowed_actions(str(customer.get("status")), customer.get("suspension_cause"))
        if lifecycle
        else (),
    }


def _positive(amount: Any) -> bool:
    try:
        return Decimal(str(amount)) > 0
    except (InvalidOperation, ValueError):
        return False


async def _none() -> None:
    return None


async def _empty() -> list[dict[str, Any]]:
    return []


async def render_customer_page(
    page: Page,
    customer_id: str,
    status_code: int = 200,
    billing_errors: dict[str, str] | None = None,
    payment_values: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The whole page; after a refused payment form the billing section is drawn in place
    (not loaded later) so its errors stand at their fields."""
    context = await header_context(page, customer_id)
    done = page.request.query_params.get("done", "")
    if done in DONE_MESSAGES:
        page.flash(DONE_MESSAGES[done], "error" if done in FAILURES else "ok")
    billing: dict[str, Any] = {}
    if billing_errors is not None:
        billing = await billing_context(page, customer_id)
        billing.update(
            payment_errors=billing_errors,
            payment_values=payment_values or {},
            payment_form_open=True,
            billing_eager=True,
        )
    return page.render(PAGE, status_code=status_code, **context, **billing, **extra)


async def billing_context(page: Page, customer_id: str) -> dict[str, Any]:
    """Invoices and payments, or the sentence saying why they cannot be shown."""
    try:
        invoices, payments = await asyncio.gather(
            page.api.list(f"/customers/{customer_id}/invoices", per_page=20),
            page.api.list(f"/customers/{customer_id}/payments", per_page=20),
        )
    except ApiError as exc:
        return {"customer_id": customer_id, "billing_refused": exc.problem.sentence}
    return {
        "customer_id": customer_id,
        "invoices": invoices,
        "payments": payments,
        "payment_methods": PAYMENT_METHODS,
        "payment_for_options": PAYMENT_FOR,
    }


async def render_billing(
    page: Page, customer_id: str, status_code: int = 200, **extra: Any
) -> Response:
    context = await billing_context(page, customer_id)
    return page.render(BILLING, block="section", status_code=status_code, **{**context, **extra})
