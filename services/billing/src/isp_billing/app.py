from __future__ import annotations

from fastapi import FastAPI

from isp_common.web import create_app

from isp_billing.api import billing_routes, invoice_routes, payment_routes, plan_routes
from isp_billing.bootstrap import Runtime


def create_billing_app(runtime: Runtime) -> FastAPI:
    app = create_app(
        runtime.settings,
        runtime.db,
        [
            plan_routes.router,
            invoice_routes.router,
            payment_routes.router,
            billing_routes.router,
        ],
        title="ISP billing",
    )
    app.state.runtime = runtime
    return app
