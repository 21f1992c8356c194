"""What every list and filter shares: page parameters, and no unknown query parameter.

An unknown query parameter is a VALIDATION_ERROR, as an unknown body field is: a misspelt filter
(`?statuss=open`) must not quietly list everything. `create_app` applies the check to every
route.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from isp_common.errors import ValidationFailed
from isp_common.pagination import PageRequest

# Far beyond any tenant's rows, and keeps the row offset within Postgres' bigint.
MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100


async def page_request(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="from 1")] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
) -> PageRequest:
    return PageRequest(page=page, per_page=per_page)


PageParams = Annotated[PageRequest, Depends(page_request)]


async def reject_unknown_query(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    unknown = sorted(set(request.query_params) - _query_names(route.dependant))
    if unknown:
        raise ValidationFailed(
            "The request is not valid",
            {
                "fields": [
                    {"field": f"query.{name}", "message": "unknown query parameter"}
                    for name in unknown
                ]
            },
        )


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names
