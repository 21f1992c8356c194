"""Service plans: the list, create and edit, toggle, delete, and a plan's page with its advanced
configuration (an editable form) and its changelog. Billing owns the plans and decides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from isp_console.adapters.i18n import translations
from isp_console.api.pages import Page, console_page
from isp_console.domain.errors import ApiProblem
from isp_console.domain.plan_forms import (
    ADVANCED_CHOICES,
    FormResult,
    advanced_body,
    advanced_values,
    changelog_value,
    field_message,
    plan_body,
    plan_values,
    speed,
)
from isp_console.use_cases.ports import ApiError

router = APIRouter()
PageDep = Annotated[Page, Depends(console_page)]
LIST = "console/plans/list.html"
FORM = "console/plans/form.html"
DETAIL = "console/plans/detail.html"


def translated_errors(page: Page, errors: Mapping[str, str]) -> dict[str, str]:
    """Field errors (the console's msgids or a service's words) in the page's language."""
    gettext = translations(page.session.locale).gettext
    shown = {}
    for name, message in errors.items():
        msgid, params = field_message(message)
        shown[name] = gettext(msgid) % params if params else gettext(msgid)
    return shown


def problem_errors(page: Page, problem: ApiProblem) -> dict[str, str]:
    """The API's field errors by form field (`advanced.vlan_id` is the form's `vlan_id`)."""
    fields = {name.removeprefix("advanced."): text for name, text in problem.field_errors.items()}
    return translated_errors(page, fields)


def refusal(page: Page, problem: ApiProblem) -> None:
    """A refusal without field errors, in words at the top of the page."""
    page.flash(
        problem.sentence if not problem.field_errors else "Some fields need correcting.", "error"
    )


async def _form(page: Page) -> dict[str, Any]:
    return dict(await page.request.form())


@router.get("/console/plans", response_class=HTMLResponse)
async def plan_list(page: PageDep, search: str = "", active: str = "") -> HTMLResponse:
    number = _page_number(page)
    is_active = {"yes": "true", "no": "false"}.get(active)
    found = await page.api.list(
        "/service-plans", page=number, per_page=20, search=search.strip(), is_active=is_active
    )
    if page.request.query_params.get("deleted"):
        page.flash("The plan was deleted.", "ok")
    query = urlencode({k: v for k, v in (("search", search), ("active", active)) if v})
    context = {
        "plans": found.items,
        "meta": found.meta,
        "total": found.total,
        "search": search,
        "active": active,
        "base_url": f"/console/plans?{query}&" if query else "/console/plans?",
        "speed": speed,
    }
    block = "rows" if page.is_htmx and page.request.headers.get("hx-target") == "rows" else None
    return page.render(LIST, block=block, **context)


def _page_number(page: Page) -> int:
    text = page.request.query_params.get("page", "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


@router.get("/console/plans/new", response_class=HTMLResponse)
async def new_plan(page: PageDep) -> HTMLResponse:
    return page.render(FORM, plan=None, values={"is_active": "on"}, errors={})


@router.post("/console/plans", response_model=None)
async def create_plan(page: PageDep) -> Response:
    result = plan_body(await _form(page))
    if result.ok:
        try:
            created = await page.api.post("/service-plans", result.body)
        except ApiError as error:
            return _form_again(page, None, result, error.problem)
        return page.redirect(f"/console/plans/{created['id']}?created=1")
    return _form_again(page, None, result, None)


def _form_again(
    page: Page, plan: Any, result: FormResult, problem: ApiProblem | None
) -> HTMLResponse:
    errors = translated_errors(page, result.errors)
    if problem is not None:
        errors.update(problem_errors(page, problem))
        refusal(page, problem)
    else:
        page.flash("Some fields need correcting.", "error")
    return page.render(FORM, plan=plan, values=result.values, errors=errors, status_code=422)


@router.get("/console/plans/{plan_id}", response_class=HTMLResponse)
async def plan_page(page: PageDep, plan_id: UUID) -> HTMLResponse:
    plan = await page.api.get(f"/service-plans/{plan_id}")
    if page.request.query_params.get("created"):
        page.flash("The plan was created.", "ok")
    elif page.request.query_params.get("saved"):
        page.flash("Saved.", "ok")
    return _detail(page, plan, advanced_values(plan.get("advanced")), {})


def _detail(
    page: Page, plan: dict[str, Any], values: dict[str, str], errors: dict[str, str], **extra: Any
) -> HTMLResponse:
    changelog = sorted(plan.get("changelog") or [], key=lambda c: c["changed_at"], reverse=True)
    return page.render(
        DETAIL,
        plan=plan,
        values=values,
        errors=errors,
        changelog=changelog,
        choices=ADVANCED_CHOICES,
        speed=speed,
        changelog_value=changelog_value,
        **extra,
    )


@router.get("/console/plans/{plan_id}/edit", response_class=HTMLResponse)
async def edit_plan(page: PageDep, plan_id: UUID) -> HTMLResponse:
    plan = await page.api.get(f"/service-plans/{plan_id}")
    return page.render(FORM, plan=plan, values=plan_values(plan), errors={})


@router.post("/console/plans/{plan_id}", response_model=None)
async def update_plan(page: PageDep, plan_id: UUID) -> Response:
    result = plan_body(await _form(page))
    if not result.ok:
        plan = await page.api.get(f"/service-plans/{plan_id}")
        return _form_again(page, plan, result, None)
    try:
        await page.api.patch(f"/service-plans/{plan_id}", result.body)
    except ApiError as error:
        if error.problem.status == 404:
            raise
        plan = await page.api.get(f"/service-plans/{plan_id}")
        return _form_again(page, plan, result, error.problem)
    return page.redirect(f"/console/plans/{plan_id}?saved=1")


@router.post("/console/plans/{plan_id}/advanced", response_model=None)
async def save_advanced(page: PageDep, plan_id: UUID) -> Response:
    result = advanced_body(await _form(page))
    problem = None
    if result.ok:
        try:
            await page.api.put(f"/service-plans/{plan_id}/advanced", result.body)
        except ApiError as error:
            if error.problem.status == 404:
                raise
            problem = error.problem
        else:
            return page.redirect(f"/console/plans/{plan_id}?saved=1#advanced")
    plan = await page.api.get(f"/service-plans/{plan_id}")
    errors = translated_errors(page, result.errors)
    if problem is not None:
        errors.update(problem_errors(page, problem))
        refusal(page, problem)
    else:
        page.flash("Some fields need correcting.", "error")
    return _detail(page, plan, result.values, errors, open_advanced=True)


@router.post("/console/plans/{plan_id}/toggle", response_model=None)
async def toggle_plan(page: PageDep, plan_id: UUID) -> Response:
    await page.api.post(f"/service-plans/{plan_id}/toggle")
    return page.redirect(f"/console/plans/{plan_id}?saved=1")


@router.post("/console/plans/{plan_id}/delete", response_model=None)
async def delete_plan(page: PageDep, plan_id: UUID) -> Response:
    try:
        await page.api.delete(f"/service-plans/{plan_id}")
    except ApiError as error:
        if error.problem.status != 409:
            raise
        plan = await page.api.get(f"/service-plans/{plan_id}")
        page.flash(
            "This plan cannot be deleted while customers use it. Move them to another plan "
            "first, or deactivate the plan so no new customer gets it.",
            "error",
        )
        return _detail(page, plan, advanced_values(plan.get("advanced")), {}, status_code=409)
    return page.redirect("/console/plans?deleted=1")
