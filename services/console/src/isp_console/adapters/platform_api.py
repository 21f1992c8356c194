"""The platform's public API through the gateway, called with the user's own token.

Every screen reads and writes through here, so the console can never see more than the person
logged in may: the services decide. Errors come back as `ApiError`, built from the envelope
(`{"error": {"code", "message", "details"}}`), for the pages to put in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from isp_console.domain.errors import ApiProblem
from isp_console.use_cases.ports import ApiError

API_PREFIX = "/api/v1"


@dataclass
class PlatformApi:
    """One person's view of the API: `client` is shared by the process, `token` is theirs."""

    client: httpx.AsyncClient
    token: str | None = None
    forwarded_for: str | None = None
    calls: list[str] = field(default_factory=list)

    def with_token(self, token: str) -> PlatformApi:
        return replace(self, token=token, calls=self.calls)

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.forwarded_for:
            # The gateway limits and identity throttles per client address: the browser's, not
            # the console's (the gateway believes it from the console's address only).
            headers["X-Forwarded-For"] = self.forwarded_for
        if extra:
            headers.update(extra)
        return headers

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        url = path if path.startswith("/.well-known") else API_PREFIX + path
        clean = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        self.calls.append(f"{method} {path}")
        try:
            response = await self.client.request(
                method,
                url,
                params=clean,
                json=json,
                data=data,
                files=files,
                headers=self._headers(headers),
            )
        except httpx.HTTPError as exc:
            raise ApiError(ApiProblem.unreachable(type(exc).__name__)) from None
        if response.status_code >= 400:
            raise ApiError(ApiProblem.from_response(response.status_code, _json_or_none(response)))
        return response

    async def get(self, path: str, **params: Any) -> Any:
        """The envelope's `data` (use `list` for a page of a collection)."""
        return _data(await self.request("GET", path, params=params))

    async def list(self, path: str, **params: Any) -> ListPage:
        """A page of a collection: its items and `meta` (`page`, `per_page`, `total`)."""
        body = _body(await self.request("GET", path, params=params))
        items = body.get("data") if isinstance(body, dict) else None
        meta = body.get("meta") if isinstance(body, dict) else None
        return ListPage(
            items if isinstance(items, list) else [], meta if isinstance(meta, dict) else {}
        )

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return _data(await self.request("POST", path, json=json, **kwargs))

    async def patch(self, path: str, json: Any = None) -> Any:
        return _data(await self.request("PATCH", path, json=json))

    async def put(self, path: str, json: Any = None) -> Any:
        return _data(await self.request("PUT", path, json=json))

    async def delete(self, path: str) -> Any:
        return _data(await self.request("DELETE", path))

    async def raw(self, path: str, **params: Any) -> httpx.Response:
        """A document (a receipt PDF, a CSV) as the service answers it."""
        return await self.request("GET", path, params=params, headers={"Accept": "*/*"})


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


@dataclass(frozen=True)
class ListPage:
    items: list[Any]
    meta: dict[str, Any]

    @property
    def total(self) -> int:
        return int(self.meta.get("total", len(self.items)))


def _data(response: httpx.Response) -> Any:
    """The envelope's `data`; an answer outside the envelope (the token endpoint's, RFC 6749)
    as it is."""
    body = _body(response)
    if isinstance(body, dict) and "success" in body and "data" in body:
        return body["data"]
    return body


def _body(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    return _json_or_none(response)
