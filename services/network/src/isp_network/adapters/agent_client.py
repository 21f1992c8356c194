"""The mikrotik-agent's HTTP API: reach a router now, or reconcile it now.

The caller's bearer token travels on, so the agent authorizes the call as that user. Any way
the agent or the router fails to answer is an EXTERNAL_SERVICE_ERROR, never a 500.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx

from isp_common.errors import ExternalServiceError
from isp_common.logging import get_logger

from isp_network.domain.devices import ConnectionTest

AGENT = "mikrotik-agent"
log = get_logger(__name__)


class AgentClient:
    def __init__(self, http: httpx.AsyncClient, base_url: str, timeout_seconds: float) -> None:
        self._http = http
        self._base_url = base_url
        self._timeout = timeout_seconds

    async def test_connection(self, router_id: UUID, bearer_token: str | None) -> ConnectionTest:
        data = await self._post(f"/api/v1/routers/{router_id}/test-connection", bearer_token)
        try:
            result = ConnectionTest(
                ok=bool(data["ok"]),
                identity=_text(data.get("identity")),
                version=_text(data.get("version")),
                uptime=_text(data.get("uptime")),
                latency_ms=float(data["latency_ms"])
                if data.get("latency_ms") is not None
                else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _unexpected() from exc
        if not result.ok:
            raise ExternalServiceError(
                "the router did not answer the agent",
                {"service": AGENT, "router_id": str(router_id), "error": _text(data.get("error"))},
            )
        return result

    async def request_sync(self, router_id: UUID, bearer_token: str | None) -> None:
        await self._post(f"/api/v1/routers/{router_id}/sync", bearer_token)

    async def _post(self, path: str, bearer_token: str | None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {bearer_token}"} if bearer_token else {}
        try:
            response = await self._http.post(
                f"{self._base_url}{path}", headers=headers, timeout=self._timeout
            )
        except httpx.HTTPError as exc:
            log.warning("agent_call_failed", path=path, error=type(exc).__name__)
            raise ExternalServiceError(f"{AGENT} did not answer", {"service": AGENT}) from exc
        if response.status_code >= 300:
            log.warning("agent_call_failed", path=path, status=response.status_code)
            raise ExternalServiceError(
                f"{AGENT} answered {response.status_code}",
                {
                    "service": AGENT,
                    "status": response.status_code,
                    "error": _error_code(response),
                },
            )
        try:
            data = response.json()["data"]
        except (ValueError, KeyError, TypeError) as exc:
            raise _unexpected() from exc
        if not isinstance(data, dict):
            raise _unexpected()
        return data


def _unexpected() -> ExternalServiceError:
    return ExternalServiceError(f"{AGENT} answered something unexpected", {"service": AGENT})


def _error_code(response: httpx.Response) -> str | None:
    """The agent's own error code (e.g. NOT_FOUND for a router it does not know yet)."""
    try:
        return _text(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)[:200]
