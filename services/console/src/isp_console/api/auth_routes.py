"""Logging in and out of the console (staff) and the portal (subscribers), and the language.

The login form has a CSRF token of its own (a cookie it must match: there is no session yet),
so another site cannot log a browser in as someone else.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from isp_console.adapters.templates import render
from isp_console.api.pages import (
    HOME,
    Page,
    anonymous_api,
    console_page,
    drop_session_cookie,
    portal_page,
    runtime_of,
    same_origin,
    set_session_cookie,
    utc_now,
)
from isp_console.domain.session import DEFAULT_LOCALE, Area, chosen_locale
from isp_console.use_cases.login import WrongArea, log_in, log_out
from isp_console.use_cases.ports import ApiError
from isp_console.use_cases.tenant_formats import remember_tenant_formats

router = APIRouter()

LOGIN_CSRF_COOKIE = "isp_login_csrf"
LOCALE_COOKIE = "isp_locale"


def _locale(request: Request) -> str:
    wanted = request.query_params.get("lang") or request.cookies.get(LOCALE_COOKIE)
    if wanted:
        return chosen_locale(wanted)
    accept = request.headers.get("accept-language", "")
    return "en" if accept.lower().startswith("en") else DEFAULT_LOCALE


def _login_page(
    request: Request,
    area: Area,
    *,
    error: str | None = None,
    status_code: int = 200,
    tenant: str = "",
    username: str = "",
    need_totp: bool = False,
) -> HTMLResponse:
    runtime = runtime_of(request)
    token = secrets.token_urlsafe(32)
    locale = _locale(request)
    html = render(
        locale,
        "shared/login.html",
        {
            "area": area.value,
            "csrf_token": token,
            "error": error,
            "tenant": tenant,
            "username": username,
            "need_totp": need_totp,
            "next": _safe_next(request.query_params.get("next"), area),
            "locale": locale,
            "settings": runtime.settings,
        },
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang"):
        # The language picked on the login page stays picked (and becomes the session's).
        response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 86400, samesite="lax")
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        path=HOME[area].rstrip("/"),
        secure=runtime.settings.console_cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response


def _safe_next(value: str | None, area: Area) -> str:
    """Only a path of the same area: never another site (an open redirect)."""
    home = HOME[area]
    if not value or not value.startswith(home) or value.startswith("//") or "\\" in value:
        return home
    return value


async def _log_in(
    request: Request,
    area: Area,
    tenant: str,
    username: str,
    password: str,
    totp_code: str | None,
    csrf_token: str,
    next_url: str | None,
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not same_origin(request) or not expected or not hmac.compare_digest(expected, csrf_token):
        return _login_page(
            request, area, error="The form expired. Please try again.", status_code=400
        )
    api = anonymous_api(request)
    try:
        session = await log_in(
            api,
            area,
            tenant.strip(),
            username.strip(),
            password,
            totp_code,
            _locale(request),
            utc_now(),
        )
    except WrongArea as wrong:
        where = (
            "the operator console" if wrong.right_area is Area.CONSOLE else "the subscriber portal"
        )
        return _login_page(
            request,
            area,
            error=f"This login belongs to {where}.",
            status_code=403,
            tenant=tenant,
            username=username,
        )
    except ApiError as exc:
        problem = exc.problem
        if problem.details.get("mfa") == "totp_required":
            return _login_page(
                request, area, tenant=tenant, username=username, need_totp=True, status_code=401
            )
        if problem.status == 401:
            message = "The tenant, login or password is not right."
        else:
            message = problem.sentence
        return _login_page(
            request,
            area,
            error=message,
            status_code=problem.status if problem.status in (400, 401, 422, 429) else 503,
            tenant=tenant,
            username=username,
        )
    session = await remember_tenant_formats(api.with_token(session.access_token), session)
    response = RedirectResponse(_safe_next(next_url, area), status_code=303)
    set_session_cookie(runtime_of(request), response, session)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=HOME[area].rstrip("/"))
    return response


async def _log_out(page: Page) -> Response:
    await log_out(page.api, page.session)
    login = HOME[page.area] + "login"
    response: Response = RedirectResponse(login, status_code=303)
    if page.is_htmx:
        response = Response(status_code=204, headers={"HX-Redirect": login})
    drop_session_cookie(page.runtime, response, page.area)
    return response


async def _set_locale(page: Page, locale: str, back: str | None) -> Response:
    page.session = page.session.with_locale(locale)
    page.cookie_changed = True
    response = page.redirect(_safe_next(back, page.area))
    response.set_cookie(LOCALE_COOKIE, page.session.locale, max_age=365 * 86400, samesite="lax")
    return response


Text = Annotated[str, Form(max_length=200)]
Secret = Annotated[str, Form(max_length=1024)]


@router.get("/console/login", response_class=HTMLResponse)
async def console_login_form(request: Request) -> HTMLResponse:
    return _login_page(request, Area.CONSOLE)


@router.post("/console/login")
async def console_login(
    request: Request,
    tenant: Text,
    username: Text,
    password: Secret,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    totp_code: Annotated[str | None, Form(max_length=12)] = None,
    next: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    return await _log_in(
        request, Area.CONSOLE, tenant, username, password, totp_code, csrf_token, next
    )


@router.post("/console/logout")
async def console_logout(page: Annotated[Page, Depends(console_page)]) -> Response:
    return await _log_out(page)


@router.post("/console/locale")
async def console_locale(
    page: Annotated[Page, Depends(console_page)],
    locale: Annotated[str, Form(max_length=5)],
    back: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    return await _set_locale(page, locale, back)


@router.get("/portal/login", response_class=HTMLResponse)
async def portal_login_form(request: Request) -> HTMLResponse:
    return _login_page(request, Area.PORTAL)


@router.post("/portal/login")
async def portal_login(
    request: Request,
    tenant: Text,
    username: Text,
    password: Secret,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    return await _log_in(request, Area.PORTAL, tenant, username, password, None, csrf_token, next)


@router.post("/portal/logout")
async def portal_logout(page: Annotated[Page, Depends(portal_page)]) -> Response:
    return await _log_out(page)


@router.post("/portal/locale")
async def portal_locale(
    page: Annotated[Page, Depends(portal_page)],
    locale: Annotated[str, Form(max_length=5)],
    back: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    return await _set_locale(page, locale, back)
