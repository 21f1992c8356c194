from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from isp_common.auth import Role

from isp_boost.bootstrap import Runtime

READERS = (Role.ADMIN, Role.SUPPORT, Role.FINANCE, Role.TECHNICIAN, Role.VIEWER, Role.CUSTOMER)
# Who may ask for a boost: staff on a customer's behalf, or the subscriber for itself.
REQUESTERS = (Role.ADMIN, Role.SUPPORT, Role.CUSTOMER)
# Who decides on requests and starts or stops boosts.
DECIDERS = (Role.ADMIN, Role.SUPPORT)
# Who sets the tenant's price.
PRICERS = (Role.ADMIN, Role.FINANCE)


async def _runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain `def` dependency on a worker thread, a costly hop per request.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
