from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from isp_common.auth import Role

from isp_mikrotik_agent.bootstrap import Runtime

READERS = (Role.ADMIN, Role.SUPPORT, Role.TECHNICIAN, Role.VIEWER)
OPERATORS = (Role.ADMIN, Role.SUPPORT, Role.TECHNICIAN)
ADMINS = (Role.ADMIN,)


async def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
