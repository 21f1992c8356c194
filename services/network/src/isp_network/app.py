from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from isp_common.web import create_app

from isp_network.api import device_routes, fiber_routes, monitoring_routes
from isp_network.bootstrap import Runtime


def create_network_app(runtime: Runtime) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await runtime.http.aclose()  # create_app disposes the database

    app = create_app(
        runtime.settings,
        runtime.db,
        [
            *fiber_routes.routers,
            device_routes.router,
            monitoring_routes.router,
            monitoring_routes.customer_router,
        ],
        title="ISP network",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app
