"""`create_app`: the same edge for every service (envelope, handlers, auth, health, metrics)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from isp_common.auth import TokenVerifier
from isp_common.db import Database
from isp_common.settings import Settings
from isp_common.token_keys import KeySet
from isp_common.web import health
from isp_common.web.envelope import ErrorEnvelope
from isp_common.web.errors import install_error_handlers
from isp_common.web.idempotency import IdempotencyMiddleware
from isp_common.web.middleware import RequestContextMiddleware
from isp_common.web.query import reject_unknown_query
from isp_common.web.request_guard import RequestGuardMiddleware

API_PREFIX = "/api/v1"

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": text}
    for status, text in {
        401: "UNAUTHORIZED: missing or invalid token",
        403: "FORBIDDEN: the token's roles do not allow this",
        404: "NOT_FOUND (also for another tenant's resources)",
        409: "CONFLICT or INVALID_STATE",
        413: "VALIDATION_ERROR: the body is larger than the service accepts",
        422: "VALIDATION_ERROR: details.fields names each bad field",
        502: "EXTERNAL_SERVICE_ERROR: another service this request needs did not answer",
        503: "SERVICE_UNAVAILABLE: the database is not reachable, try again",
    }.items()
}


def create_app(
    settings: Settings,
    db: Database,
    routers: Sequence[APIRouter],
    *,
    title: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
    public_paths: Sequence[str] = (),
    keys: KeySet | None = None,
    oauth2_token_url: str | None = None,
) -> FastAPI:
    """`public_paths`: paths under /api/v1 a caller reaches without a token (a payment gateway's
    callback, say); such a route proves who is calling in its own way. `keys`: what verifies
    tokens, when not what the settings name (identity verifies its own tokens without HTTP).
    `oauth2_token_url`: the service is a token endpoint too; the document declares its OAuth 2.0
    password flow, so Swagger's Authorize dialog logs in with a username and password."""

    @asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            if lifespan is None:
                yield
            else:
                async with lifespan(app):
                    yield
        finally:
            await db.dispose()

    app = FastAPI(
        title=title,
        version="1.0.0",
        lifespan=_lifespan,
        responses=ERROR_RESPONSES,
        dependencies=[Depends(reject_unknown_query)],
    )
    app.state.settings = settings
    app.state.db = db
    app.state.verifier = TokenVerifier(settings, keys)
    install_error_handlers(app)
    app.include_router(health.router)
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
    app.add_middleware(IdempotencyMiddleware, db=db)
    app.add_middleware(
        RequestGuardMiddleware,
        verifier=app.state.verifier,
        max_body_bytes=settings.max_body_bytes,
        protected_prefix=API_PREFIX,
        public_paths=[API_PREFIX + path for path in public_paths],
    )
    app.add_middleware(RequestContextMiddleware, service=settings.service_name)
    _declare_bearer_auth(app, oauth2_token_url)
    return app


def _declare_bearer_auth(app: FastAPI, oauth2_token_url: str | None = None) -> None:
    """Every route under /api/v1 takes `Authorization: Bearer <jwt>`; say so in the spec."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            schema.setdefault("components", {})["securitySchemes"] = {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A JWT carrying tenant_id, sub, roles (and customer_id)",
                }
            }
            schema["security"] = [{"bearer": []}]
            if oauth2_token_url:
                schema["components"]["securitySchemes"]["oauth2"] = {
                    "type": "oauth2",
                    "description": "username, password and the tenant's slug as client_id",
                    "flows": {"password": {"tokenUrl": oauth2_token_url, "scopes": {}}},
                }
                schema["security"] = [{"bearer": []}, {"oauth2": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_ops_app(settings: Settings, db: Database) -> FastAPI:
    """What a worker process serves: /healthz, /readyz (database and broker) and /metrics, so
    its relay, consumer and job metrics are scraped like an API's."""
    app = FastAPI(title=f"{settings.service_name} worker", docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.db = db
    app.state.needs_broker = True
    app.include_router(health.router)
    return app
