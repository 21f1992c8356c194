from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from isp_common.auth import Role
from isp_common.errors import ValidationFailed

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


async def _no_unknown_query_parameters(request: Request) -> None:
    """As unknown body fields are, an unknown query parameter is a VALIDATION_ERROR: a filter
    the client misspelt must not silently widen the answer."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = {param.alias for param in dependant.query_params}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        message = "unknown query parameter"
        raise ValidationFailed(
            message,
            {"fields": [{"field": f"query.{name}", "message": message} for name in unknown]},
        )


NO_UNKNOWN_QUERY = [Depends(_no_unknown_query_parameters)]
