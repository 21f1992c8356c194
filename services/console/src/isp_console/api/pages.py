"""The request's page: who is logged in, their API, their language, and how to answer.

Every route takes a `Page` (`Depends(console_page)` for staff, `Depends(portal_page)` for
subscribers), calls the API through `page.api` and answers `page.render(...)`. The dependency
opens the session cookie, refreshes the tokens when they are about to expire, checks the CSRF
token of every unsafe request and sends anyone without a session to the login page.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from isp_common.web.auth import client_ip

from isp_console.adapters.i18n import Formats
from isp_console.adapters.platform_api import PlatformApi
from isp_console.adapters.templates import render
from isp_console.bootstrap import Runtime
from isp_console.domain.errors import ApiProblem
from isp_console.domain.permissions import Action, can
from isp_console.domain.session import Area, Session
from isp_console.use_cases.login import refresh
from isp_console.use_cases.ports import ApiError

COOKIE = {Area.CONSOLE: "isp_console_session", Area.PORTAL: "isp_portal_session"}
HOME = {Area.CONSOLE: "/console/", Area.PORTAL: "/portal/"}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


class LoginRequired(Exception):
    def __init__(self, area: Area, next_url: str) -> None:
        self.area = area
        self.next_url = next_url


class CsrfRejected(Exception):
    pass


def utc_now() -> datetime:
    return datetime.now(UTC)


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def client_address(request: Request) -> str | None:
    """The browser's address as the gateway forwarded it (X-Forwarded-For from the gateway,
    which the console's ISP_TRUSTED_PROXIES believe), else the peer's."""
    return client_ip(
        request.client.host if request.client else None,
        request.headers.getlist("x-forwarded-for"),
        runtime_of(request).settings.trusted_proxies,
    )


def anonymous_api(request: Request) -> PlatformApi:
    return PlatformApi(runtime_of(request).http, forwarded_for=client_address(request))


@dataclass
class Page:
    request: Request
    runtime: Runtime
    session: Session
    api: PlatformApi
    formats: Formats
    cookie_changed: bool = False
    flashes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def area(self) -> Area:
        return self.session.area

    @property
    def is_htmx(self) -> bool:
        """An htmx request for a part of the page (a history restore wants the whole page)."""
        headers = self.request.headers
        return headers.get("hx-request") == "true" and not headers.get("hx-history-restore-request")

    async def text_fields(self) -> dict[str, str]:
        """The posted form's text fields, trimmed (files left out)."""
        form = await self.request.form()
        return {key: value.strip() for key, value in form.items() if isinstance(value, str)}

    def can(self, action: Action | str) -> bool:
        return can(self.session.roles, Action(action))

    def flash(self, message: str, kind: str = "info") -> None:
        """A message shown at the top of the page (msgid, translated when rendered)."""
        self.flashes.append((kind, message))

    def context(self, **values: Any) -> dict[str, Any]:
        return {
            "page": self,
            "session": self.session,
            "can": self.can,
            "fmt": self.formats,
            "csrf_token": self.session.csrf_token,
            "flashes": self.flashes,
            "settings": self.runtime.settings,
            **values,
        }

    def render(
        self,
        template: str,
        block: str | None = None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **values: Any,
    ) -> HTMLResponse:
        html = render(self.session.locale, template, self.context(**values), block)
        response = HTMLResponse(html, status_code=status_code, headers=headers)
        self.keep_session(response)
        return response

    def redirect(self, url: str) -> Response:
        """After a successful form: a full redirect, or htmx's own for an htmx request."""
        if self.is_htmx:
            response: Response = Response(status_code=204, headers={"HX-Redirect": url})
        else:
            response = RedirectResponse(url, status_code=303)
        self.keep_session(response)
        return response

    def keep_session(self, response: Response) -> None:
        if self.cookie_changed:
            set_session_cookie(self.runtime, response, self.session)

    def problem(self, error: ApiError) -> ApiProblem:
        return error.problem


def set_session_cookie(runtime: Runtime, response: Response, session: Session) -> None:
    response.set_cookie(
        COOKIE[session.area],
        runtime.cookie.seal(session),
        max_age=runtime.cookie.max_age_seconds,
        path=HOME[session.area].rstrip("/"),
        secure=runtime.settings.console_cookie_secure,
        httponly=True,
        samesite="lax",
    )


def drop_session_cookie(runtime: Runtime, response: Response, area: Area) -> None:
    response.delete_cookie(
        COOKIE[area],
        path=HOME[area].rstrip("/"),
        secure=runtime.settings.console_cookie_secure,
        httponly=True,
        samesite="lax",
    )


async def _page(request: Request, area: Area) -> Page:
    runtime = runtime_of(request)
    session = runtime.cookie.open(request.cookies.get(COOKIE[area]))
    if session is None or session.area is not area:
        raise LoginRequired(area, _next_url(request))
    if request.method not in SAFE_METHODS:
        await _check_csrf(request, session)
    api = PlatformApi(runtime.http, forwarded_for=client_address(request))
    changed = False
    if session.needs_refresh(utc_now()):
        try:
            session = await runtime.refresher.refreshed(
                session, lambda s: refresh(api, s, utc_now())
            )
        except ApiError as exc:
            if exc.problem.status in (400, 401, 403):
                raise LoginRequired(area, _next_url(request)) from None
            raise
        changed = True
    formats = Formats(
        session.locale,
        str(session.extra.get("timezone") or "UTC"),
        str(session.extra.get("currency") or "IDR"),
    )
    return Page(
        request=request,
        runtime=runtime,
        session=session,
        api=api.with_token(session.access_token),
        formats=formats,
        cookie_changed=changed,
    )


async def console_page(request: Request) -> Page:
    return await _page(request, Area.CONSOLE)


async def portal_page(request: Request) -> Page:
    return await _page(request, Area.PORTAL)


async def _check_csrf(request: Request, session: Session) -> None:
    if not same_origin(request):
        raise CsrfRejected
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()  # Starlette caches it: the route reads it again
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, session.csrf_token):
        raise CsrfRejected


def same_origin(request: Request) -> bool:
    """An unsafe request from another site is refused whatever it carries: its Origin (or
    Referer, for browsers that send no Origin) must be the host the request came to."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True  # not a browser's cross-site request (those always say where they come from)
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def _next_url(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return quote(path, safe="/?=&")
