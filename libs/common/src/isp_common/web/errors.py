"""Every failure leaves in the envelope (docs/architecture.md, "The request path"); nothing
internal reaches the client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from isp_common.db import is_unavailable
from isp_common.errors import AppError
from isp_common.logging import get_logger
from isp_common.web.envelope import error_body

log = get_logger(__name__)

# Starlette's own HTTP errors, as (status, code). Most answer the status the envelope gives
# their code (a body FastAPI cannot parse, its 400, is a 422 like any other invalid body); 405, 413
# and 415 keep the status HTTP prescribes (405 with its `Allow` header), under the nearest code.
_HTTP_CODES = {
    400: (422, "VALIDATION_ERROR"),
    401: (401, "UNAUTHORIZED"),
    403: (403, "FORBIDDEN"),
    404: (404, "NOT_FOUND"),
    405: (405, "NOT_FOUND"),
    409: (409, "CONFLICT"),
    413: (413, "VALIDATION_ERROR"),
    415: (415, "VALIDATION_ERROR"),
    422: (422, "VALIDATION_ERROR"),
    429: (429, "RATE_LIMITED"),
    503: (503, "SERVICE_UNAVAILABLE"),
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        status_code=status, content=error_body(code, message, details), headers=headers
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    fields = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        message = err.get("msg", "invalid")
        if err.get("type") == "extra_forbidden":
            message = "unknown field"
        if err.get("type") == "nul_character":  # found by the body's own check: it says where
            loc += [str((err.get("ctx") or {}).get("where", ""))]
            loc = [part for part in loc if part and part != "body"]
            message = "text must not contain the NUL character"
        # Never echo the rejected input: it may hold a password.
        fields.append(
            {"field": ".".join(loc) or "body", "message": message, "type": err.get("type")}
        )
    return fields


async def _app_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return error_response(exc.status, exc.code, exc.message, exc.details)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(
        422, "VALIDATION_ERROR", "The request is not valid", {"fields": _field_errors(exc)}
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    status, code = _HTTP_CODES.get(
        exc.status_code,
        (500, "INTERNAL_ERROR") if exc.status_code >= 500 else (422, "VALIDATION_ERROR"),
    )
    message = exc.detail if isinstance(exc.detail, str) else "Request failed"
    details = getattr(exc, "details", None)  # an exception of ours may say more (the body cap)
    # The exception's headers are part of the answer: `Allow` on a 405, `WWW-Authenticate` …
    return error_response(status, code, message, details, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette's own `Allow` names only the first
    route whose path matched, and FastAPI makes one route per method."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


async def _integrity_error(_: Request, exc: Exception) -> JSONResponse:
    log.warning("integrity_error", error=type(exc).__name__)
    return error_response(409, "CONFLICT", "The request conflicts with existing data")


async def _data_error(_: Request, exc: Exception) -> JSONResponse:
    # Input that passed validation but that Postgres refuses (a NUL byte, a value out of a
    # column's range): the client's to fix, so a 422, and never the SQL behind it.
    log.warning("data_error", error=type(exc).__name__)
    return error_response(422, "VALIDATION_ERROR", "A value was refused by the database")


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if exc.connection_invalidated or is_unavailable(exc):
        return await _database_down(request, exc)
    log.error("database_error", error=type(exc).__name__)
    return error_response(500, "INTERNAL_ERROR", "Internal error")


async def _database_down(_: Request, exc: Exception) -> JSONResponse:
    log.error("database_unavailable", error=type(exc).__name__)
    return error_response(503, "SERVICE_UNAVAILABLE", "The database is not reachable, try again")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(InterfaceError, _database_down)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(OSError, _database_down)
