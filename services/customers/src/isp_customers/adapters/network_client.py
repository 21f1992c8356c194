from __future__ import annotations

from uuid import UUID

import httpx

from isp_common.contracts.network import OdpSnapshot

from isp_customers.adapters.remote_snapshot import fetch_snapshot


class NetworkClient:
    def __init__(self, http: httpx.AsyncClient, base_url: str) -> None:
        self._http = http
        self._base_url = base_url

    async def odp(self, odp_id: UUID, bearer_token: str | None) -> OdpSnapshot | None:
        url = f"{self._base_url}/api/v1/odps/{odp_id}"
        return await fetch_snapshot(self._http, "network", url, bearer_token, OdpSnapshot)
