from __future__ import annotations

from fastapi import FastAPI

from isp_common.web import create_app

from isp_audit.api import audit_routes
from isp_audit.bootstrap import Runtime


def create_audit_app(runtime: Runtime) -> FastAPI:
    app = create_app(
        runtime.settings,
        runtime.db,
        [audit_routes.router, audit_routes.customer_router],
        title="ISP audit",
    )
    app.state.runtime = runtime
    return app
