from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from isp_common.auth import Role
from isp_common.errors import ValidationFailed

from isp_network.bootstrap import Runtime

READERS = (Role.ADMIN, Role.SUPPORT, Role.FINANCE, Role.TECHNICIAN, Role.VIEWER)
WRITERS = (Role.ADMIN, Role.TECHNICIAN)
# A subscriber sees their own monitoring data.
MONITORING_READERS = (*READERS, Role.CUSTOMER)


async def _runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain `def` dependency on a worker thread, a costly hop per request.
    runtime: Runtime = request.app.state.runtime
    return runtime


async def _bearer(request: Request) -> str | None:
    """The caller's token, forwarded to the agent so it authorizes the call as that user."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def refuse_unknown_query(request: Request) -> None:
    """A query parameter the route does not take is a VALIDATION_ERROR, as an unknown body field
    is: a misspelt filter (`?statuz=online`) must not quietly answer everything."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.query_params:
        return
    known = {param.alias for param in _query_params(dependant)}
    unknown = sorted(set(request.query_params.keys()) - known)
    if unknown:
        fields = [{"field": name[:100], "message": "unknown query parameter"} for name in unknown]
        raise ValidationFailed("unknown query parameter", {"fields": fields[:20]})


def _query_params(dependant: Any) -> list[Any]:
    params = list(dependant.query_params)
    for sub in dependant.dependencies:
        params.extend(_query_params(sub))
    return params


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
BearerDep = Annotated[str | None, Depends(_bearer)]

STRICT_QUERY = [Depends(refuse_unknown_query)]
