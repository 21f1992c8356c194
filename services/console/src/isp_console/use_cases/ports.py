"""What the console's use cases need: the platform's API as the person logged in sees it."""

from __future__ import annotations

from typing import Any, Protocol

from isp_console.domain.errors import ApiProblem


class ApiError(Exception):
    """What the API refused (or that it did not answer), as the envelope said it."""

    def __init__(self, problem: ApiProblem) -> None:
        super().__init__(f"{problem.status} {problem.code}: {problem.message}")
        self.problem = problem


class Api(Protocol):
    def with_token(self, token: str) -> Api: ...

    async def get(self, path: str, **params: Any) -> Any: ...

    async def list(self, path: str, **params: Any) -> Any: ...

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> Any: ...

    async def patch(self, path: str, json: Any = None) -> Any: ...

    async def put(self, path: str, json: Any = None) -> Any: ...

    async def delete(self, path: str) -> Any: ...
