from __future__ import annotations

from fastapi import FastAPI

from isp_common.web import create_app

from isp_mikrotik_agent.api import router_routes
from isp_mikrotik_agent.bootstrap import Runtime


def create_agent_app(runtime: Runtime) -> FastAPI:
    app = create_app(
        runtime.settings, runtime.db, [router_routes.router], title="ISP mikrotik-agent"
    )
    app.state.runtime = runtime
    return app
