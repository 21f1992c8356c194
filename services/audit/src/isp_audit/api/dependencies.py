from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from isp_common.auth import Role
from isp_common.errors import ValidationFailed

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


async def known_query_only(request: Request) -> None:
    """A query parameter the route does not declare is a VALIDATION_ERROR, as an unknown body
    field is: `?catgory=payment` must not quietly list everything."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise ValidationFailed(
            "The request is not valid",
            {"fields": [{"field": name, "message": "unknown parameter"} for name in unknown]},
        )


KnownQueryOnly = Depends(known_query_only)


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names
