from __future__ import annotations

from uuid import UUID

import httpx

from isp_common.contracts.billing import ServicePlanSnapshot

from isp_customers.adapters.remote_snapshot import fetch_snapshot


class BillingClient:
    def __init__(self, http: httpx.AsyncClient, base_url: str) -> None:
        self._http = http
        self._base_url = base_url

    async def service_plan(
        self, plan_id: UUID, bearer_token: str | None
    ) -> ServicePlanSnapshot | None:
        url = f"{self._base_url}/api/v1/service-plans/{plan_id}"
        return await fetch_snapshot(self._http, "billing", url, bearer_token, ServicePlanSnapshot)
