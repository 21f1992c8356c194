"""Staff users: the list, a new account, roles, disabling and password resets.

A reset token identity answers is shown once (identity keeps only its hash): the page that shows
it is never cached and says so; it cannot be shown again, only replaced by a new one.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from isp_console.api.pages import Page, console_page
from isp_console.domain.staff import STAFF_ROLES, chosen_roles, next_status
from isp_console.domain.tickets import page_number
from isp_console.use_cases.ports import ApiError

router = APIRouter()

PageDep = Annotated[Page, Depends(console_page)]
PER_PAGE = 25
TEMPLATES = "console/users/"
NO_STORE = {"Cache-Control": "no-store"}
DONE = {
    "saved": "The changes were saved.",
    "disabled": "The account was disabled.",
    "active": "The account was enabled.",
}


async def _form(page: Page) -> tuple[dict[str, str], list[str]]:
    form = await page.request.form()
    values = {key: value.strip() for key, value in form.items() if isinstance(value, str)}
    roles = chosen_roles(value for value in form.getlist("roles") if isinstance(value, str))
    return values, roles


@router.get("/console/users", response_class=HTMLResponse)
async def users(page: PageDep) -> HTMLResponse:
    number = page_number(page.request.query_params.get("page"))
    listing = await page.api.list("/users", page=number, per_page=PER_PAGE)
    return page.render(
        TEMPLATES + "list.html",
        rows=listing.items,
        meta={"page": number, "per_page": PER_PAGE, "total": listing.total},
    )


def _new_form(
    page: Page, values: dict[str, str], roles: list[str], errors: dict[str, str], code: int = 200
) -> HTMLResponse:
    return page.render(
        TEMPLATES + "new.html",
        status_code=code,
        values=values,
        roles=roles,
        errors=errors,
        all_roles=STAFF_ROLES,
    )


@router.get("/console/users/new", response_class=HTMLResponse)
async def new_user(page: PageDep) -> HTMLResponse:
    return _new_form(page, {}, ["support"], {})


@router.post("/console/users/new", response_model=None)
async def create_user(page: PageDep) -> Response:
    values, roles = await _form(page)
    body: dict[str, Any] = {
        "email": values.get("email", ""),
        "full_name": values.get("full_name", ""),
        "roles": roles,
    }
    if values.get("password"):
        body["password"] = values["password"]
    try:
        created = await page.api.post("/users", json=body)
    except ApiError as error:
        page.flash(error.problem.sentence, "error")
        values.pop("password", None)  # never sent back to the browser
        errors = error.problem.field_errors
        if "email" in errors and error.problem.code == "VALIDATION_ERROR":
            errors["email"] = "Enter an email address such as name@example.com."
        return _new_form(page, values, roles, errors, 422)
    page.flash("The account was created.", "ok")
    return page.render(
        TEMPLATES + "secret.html",
        headers=NO_STORE,
        user=created,
        reset=created.get("password_reset"),
    )


async def _edit_page(
    page: Page,
    user_id: UUID,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    roles: list[str] | None = None,
    code: int = 200,
) -> HTMLResponse:
    user = await page.api.get(f"/users/{user_id}")
    return page.render(
        TEMPLATES + "edit.html",
        status_code=code,
        user=user,
        values=values or {"full_name": user["full_name"]},
        roles=user["roles"] if roles is None else roles,
        errors=errors or {},
        all_roles=STAFF_ROLES,
        toggle_to=next_status(user["status"]),
    )


@router.get("/console/users/{user_id}", response_class=HTMLResponse)
async def edit_user(page: PageDep, user_id: UUID, done: str = "") -> HTMLResponse:
    if done in DONE:
        page.flash(DONE[done], "ok")
    return await _edit_page(page, user_id)


@router.post("/console/users/{user_id}", response_model=None)
async def save_user(page: PageDep, user_id: UUID) -> Response:
    values, roles = await _form(page)
    body = {"full_name": values.get("full_name", ""), "roles": roles}
    try:
        await page.api.patch(f"/users/{user_id}", json=body)
    except ApiError as error:
        page.flash(error.problem.sentence, "error")
        return await _edit_page(page, user_id, error.problem.field_errors, values, roles, 422)
    return page.redirect(f"/console/users/{user_id}?done=saved")


@router.post("/console/users/{user_id}/status", response_model=None)
async def switch_status(page: PageDep, user_id: UUID) -> Response:
    values, _ = await _form(page)
    status = "active" if values.get("status") == "active" else "disabled"
    try:
        await page.api.patch(f"/users/{user_id}", json={"status": status})
    except ApiError as error:
        page.flash(error.problem.sentence, "error")
        return await _edit_page(page, user_id, code=error.problem.status)
    return page.redirect(f"/console/users/{user_id}?done={status}")


@router.post("/console/users/{user_id}/reset-password", response_model=None)
async def reset_password(page: PageDep, user_id: UUID) -> Response:
    user = await page.api.get(f"/users/{user_id}")
    reset = await page.api.post(f"/users/{user_id}/reset-password")
    page.flash("A new password reset token was issued.", "ok")
    return page.render(TEMPLATES + "secret.html", headers=NO_STORE, user=user, reset=reset)
