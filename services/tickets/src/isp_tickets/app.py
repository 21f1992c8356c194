from __future__ import annotations

from fastapi import FastAPI

from isp_common.web import create_app

from isp_tickets.api import sla_routes, ticket_routes, workflow_routes
from isp_tickets.bootstrap import Runtime


def create_tickets_app(runtime: Runtime) -> FastAPI:
    # create_app disposes the database when the app stops.
    app = create_app(
        runtime.settings,
        runtime.db,
        # The SLA routes first: `/tickets/sla` must not be taken for a ticket id.
        [sla_routes.router, ticket_routes.router, workflow_routes.router],
        title="ISP tickets",
    )
    app.state.runtime = runtime
    return app
