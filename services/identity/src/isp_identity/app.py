from __future__ import annotations

from fastapi import FastAPI

from isp_common.web import create_app

from isp_identity.api import (
    auth_routes,
    portal_routes,
    tenant_routes,
    user_routes,
    well_known_routes,
)
from isp_identity.api.auth_routes import PUBLIC_AUTH_PATHS, TOKEN_URL
from isp_identity.bootstrap import Runtime


def create_identity_app(runtime: Runtime) -> FastAPI:
    # create_app disposes the database when the app stops.
    app = create_app(
        runtime.settings,
        runtime.db,
        [auth_routes.router, tenant_routes.router, user_routes.router, portal_routes.router],
        title="ISP identity",
        # Whoever calls these has no access token yet: a password, a refresh token, a reset
        # token or an activation code proves who they are.
        public_paths=PUBLIC_AUTH_PATHS,
        keys=runtime.key_set,
        oauth2_token_url=TOKEN_URL,
    )
    # Discovery and keys live at the root (/.well-known/…), outside /api/v1.
    app.include_router(well_known_routes.router)
    app.state.runtime = runtime
    return app
