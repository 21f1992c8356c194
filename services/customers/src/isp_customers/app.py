from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from isp_common.web import create_app

from isp_customers.api import customer_routes, import_routes, lifecycle_routes
from isp_customers.bootstrap import Runtime


def create_customers_app(runtime: Runtime) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await runtime.http.aclose()  # create_app disposes the database

    app = create_app(
        runtime.settings,
        runtime.db,
        [customer_routes.router, lifecycle_routes.router, import_routes.router],
        title="ISP customers",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app
