from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from isp_common.auth import Role

from isp_customers.bootstrap import Runtime
from isp_customers.use_cases.ports import ReferenceLookup

READERS = (Role.ADMIN, Role.SUPPORT, Role.FINANCE, Role.TECHNICIAN, Role.VIEWER, Role.CUSTOMER)
WRITERS = (Role.ADMIN, Role.SUPPORT)


async def _runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain `def` dependency on a worker thread, a costly hop per request.
    runtime: Runtime = request.app.state.runtime
    return runtime


async def _references(request: Request) -> ReferenceLookup:
    """Billing and network are asked with the caller's own token, so they apply their own rules."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" and token.strip() else None
    runtime: Runtime = request.app.state.runtime
    return runtime.references_for(bearer)


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
ReferencesDep = Annotated[ReferenceLookup, Depends(_references)]
