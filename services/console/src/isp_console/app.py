"""The console's web app: HTML pages for staff (/console/) and subscribers (/portal/), their
static assets, and /healthz, /readyz, /metrics like every service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from isp_common.web.middleware import RequestContextMiddleware

from isp_console.adapters.templates import render
from isp_console.api import auth_routes, health_routes
from isp_console.api.pages import (
    HOME,
    CsrfRejected,
    LoginRequired,
    drop_session_cookie,
    runtime_of,
)
from isp_console.api.routes import PAGE_ROUTERS
from isp_console.api.security import SecurityHeadersMiddleware, content_security_policy
from isp_console.api.server_timing import ServerTimingMiddleware
from isp_console.bootstrap import Runtime
from isp_console.domain.errors import ApiProblem
from isp_console.domain.session import DEFAULT_LOCALE, Area, chosen_locale
from isp_console.use_cases.ports import ApiError

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_console_app(runtime: Runtime) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await runtime.aclose()

    app = FastAPI(
        title="ISP console", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.runtime = runtime
    app.state.settings = runtime.settings
    app.include_router(health_routes.router)
    app.include_router(auth_routes.router)
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="static")
    _install_error_pages(app)
    app.add_middleware(
        SecurityHeadersMiddleware,
        policy=content_security_policy(runtime.settings.console_map_tile_url),
    )
    app.add_middleware(RequestContextMiddleware, service=runtime.settings.service_name)
    app.add_middleware(ServerTimingMiddleware)
    return app


def _locale_of(request: Request) -> str:
    return chosen_locale(request.cookies.get(auth_routes.LOCALE_COOKIE) or DEFAULT_LOCALE)


def error_page(request: Request, problem: ApiProblem, status_code: int | None = None) -> Response:
    """An API error in words: the fragment for htmx (into the page's message area), a whole
    page otherwise."""
    status = status_code or problem.status
    locale = _locale_of(request)
    context = {"problem": problem, "settings": runtime_of(request).settings, "locale": locale}
    if request.headers.get("hx-request") == "true":
        html = render(locale, "shared/error.html", context, block="message")
        # Into the page's message area whatever the request meant to replace.
        headers = {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
        return HTMLResponse(html, status_code=200, headers=headers)
    return HTMLResponse(render(locale, "shared/error.html", context), status_code=status)


def login_redirect(request: Request, area: Area, next_url: str) -> Response:
    target = f"{HOME[area]}login?next={next_url}"
    response: Response
    if request.headers.get("hx-request") == "true":
        response = Response(status_code=204, headers={"HX-Redirect": target})
    else:
        response = RedirectResponse(target, status_code=303)
    drop_session_cookie(runtime_of(request), response, area)
    return response


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return login_redirect(request, exc.area, exc.next_url)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, _: Exception) -> Response:
        problem = ApiProblem(403, "CSRF", "The form expired. Reload the page and try again.")
        return error_page(request, problem, 403)

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        if exc.problem.status == 401:
            # The session ended behind the console's back (revoked, account disabled).
            area = Area.PORTAL if request.url.path.startswith("/portal") else Area.CONSOLE
            return login_redirect(request, area, HOME[area])
        return error_page(request, exc.problem)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: Exception) -> Response:
        problem = ApiProblem(422, "VALIDATION_ERROR", "The form is not valid")
        return error_page(request, problem, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not request.url.path.startswith(("/console", "/portal")):
            return JSONResponse(
                {"error": {"code": "NOT_FOUND", "message": "not found"}}, exc.status_code
            )
        code = "NOT_FOUND" if exc.status_code == 404 else "INTERNAL_ERROR"
        return error_page(
            request, ApiProblem(exc.status_code, code, str(exc.detail)), exc.status_code
        )
