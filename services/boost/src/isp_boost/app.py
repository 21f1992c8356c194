from __future__ import annotations

from fastapi import FastAPI

from isp_common.web import create_app

from isp_boost.api import boost_routes, customer_boost_routes, pricing_routes
from isp_boost.bootstrap import Runtime


def create_boost_app(runtime: Runtime) -> FastAPI:
    app = create_app(
        runtime.settings,
        runtime.db,
        # Pricing first: `/speed-boosts/pricing` must not be read as a request id.
        [pricing_routes.router, boost_routes.router, customer_boost_routes.router],
        title="ISP speed boosts",
    )
    app.state.runtime = runtime
    return app
