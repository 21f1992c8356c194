"""What every portal route needs: the subscriber's own customer, and the API's "there is none"."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from isp_console.api.pages import Page
from isp_console.domain.errors import ApiProblem
from isp_console.use_cases.ports import ApiError

T = TypeVar("T")


def customer_id_of(page: Page) -> str:
    """The subscriber's own customer (the token's): a portal session always has one."""
    if not page.session.customer_id:
        raise ApiError(ApiProblem(403, "FORBIDDEN", "no customer in the session"))
    return page.session.customer_id


def not_found() -> ApiError:
    """What a malformed id gets: the same page as another customer's record."""
    return ApiError(ApiProblem(404, "NOT_FOUND", "not found"))


async def unless_missing(call: Awaitable[T]) -> T | None:
    """The answer, or None where the API says there is none (404: no active boost, no plan)."""
    try:
        return await call
    except ApiError as exc:
        if exc.problem.status == 404:
            return None
        raise
