"""Speed boosts: the approval queue, the history by status, and the per-hour price."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import HTMLResponse, Response

from isp_console.api.pages import Page, console_page
from isp_console.domain.boosts import (
    allowed_actions,
    approval_queue,
    customer_ids,
    speed_label,
    status_filter,
)
from isp_console.domain.tickets import page_number
from isp_console.use_cases.ports import ApiError

router = APIRouter()

PageDep = Annotated[Page, Depends(console_page)]
PER_PAGE = 20
QUEUE_FETCH = 100
TEMPLATE = "console/boosts/list.html"
DONE = {
    "approve": "The boost was approved.",
    "reject": "The boost was rejected.",
    "activate": "The boost is now active.",
    "pricing": "The boost price was saved.",
}


async def _customer_names(page: Page, requests: list[Any]) -> dict[str, str]:
    """Names for the customers on the screen (the boost service knows their ids only)."""

    async def one(customer_id: str) -> tuple[str, str]:
        try:
            customer = await page.api.get(f"/customers/{customer_id}")
        except ApiError:
            return customer_id, customer_id
        return customer_id, f"{customer['full_name']} ({customer['customer_code']})"

    return dict(await asyncio.gather(*(one(cid) for cid in customer_ids(requests))))


async def _boosts_page(
    page: Page,
    status: str = "",
    number: int = 1,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    pending, approved, history, pricing = await asyncio.gather(
        page.api.list("/speed-boosts", page=1, per_page=QUEUE_FETCH, status="pending"),
        page.api.list("/speed-boosts", page=1, per_page=QUEUE_FETCH, status="approved"),
        page.api.list("/speed-boosts", page=number, per_page=PER_PAGE, status=status or None),
        page.api.get("/speed-boosts/pricing"),
    )
    queue = approval_queue(pending.items, approved.items)
    names = await _customer_names(page, [*queue, *history.items])
    context = {
        "queue": queue,
        "history": history.items,
        "meta": {"page": number, "per_page": PER_PAGE, "total": history.total},
        "status": status,
        "base_url": "/console/boosts?" + (f"status={status}&" if status else ""),
        "pricing": pricing,
        "names": names,
        "actions_of": allowed_actions,
        "speed": speed_label,
        "errors": errors or {},
        "values": values or {},
    }
    if page.is_htmx and page.request.method == "GET":
        return page.render(TEMPLATE, block="history", **context)
    return page.render(TEMPLATE, status_code=status_code, **context)


@router.get("/console/boosts", response_class=HTMLResponse)
async def boosts(page: PageDep, status: str = "", done: str = "") -> HTMLResponse:
    if done in DONE:
        page.flash(DONE[done], "ok")
    number = page_number(page.request.query_params.get("page"))
    return await _boosts_page(page, status_filter(status), number)


@router.post("/console/boosts/pricing", response_model=None)
async def save_pricing(page: PageDep) -> Response:
    values = await page.text_fields()
    try:
        await page.api.put(
            "/speed-boosts/pricing", json={"price_per_hour": values.get("price_per_hour", "")}
        )
    except ApiError as error:
        page.flash(error.problem.sentence, "error")
        return await _boosts_page(
            page, errors=error.problem.field_errors, values=values, status_code=422
        )
    return page.redirect("/console/boosts?done=pricing")


@router.post("/console/boosts/{request_id}/{step}", response_model=None)
async def boost_step(page: PageDep, request_id: UUID, step: str) -> Response:
    if step not in ("approve", "reject", "activate"):
        raise HTTPException(status_code=404)
    values = await page.text_fields()
    body: dict[str, str] | None = None
    if step == "reject":
        body = {"reason": values.get("reason", "")}
    elif step == "approve" and values.get("admin_notes"):
        body = {"admin_notes": values["admin_notes"]}
    try:
        await page.api.post(f"/speed-boosts/{request_id}/{step}", json=body)
    except ApiError as error:
        page.flash(error.problem.sentence, "error")
        errors = {f"{name}-{request_id}": text for name, text in error.problem.field_errors.items()}
        return await _boosts_page(page, errors=errors, values=values, status_code=422)
    return page.redirect(f"/console/boosts?done={step}")
