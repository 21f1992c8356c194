from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from isp_common.auth import Role

from isp_audit.bootstrap import Runtime

# The whole trail (and its verification) is for administrators and read-only auditors.
AUDITORS = (Role.ADMIN, Role.VIEWER)
# One customer's trail is also support's daily bread.
CUSTOMER_TRAIL_READERS = (Role.ADMIN, Role.VIEWER, Role.SUPPORT)
# Any operator who acts may log what they did; a viewer does not act, a subscriber is not staff.
LOGGERS = (Role.ADMIN, Role.FINANCE, Role.SUPPORT, Role.TECHNICIAN)


async def _runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain `def` dependency on a worker thread, a costly hop per request.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
