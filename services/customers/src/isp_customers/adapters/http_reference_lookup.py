"""The use cases' ReferenceLookup over HTTP: billing's plans and network's ODPs, as the caller."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.network import OdpSnapshot

from isp_customers.adapters.billing_client import BillingClient
from isp_customers.adapters.network_client import NetworkClient


@dataclass(frozen=True)
class HttpReferenceLookup:
    """The use cases' ReferenceLookup for one request: asks billing and network as the caller."""

    billing: BillingClient
    network: NetworkClient
    bearer_token: str | None

    async def service_plan(self, plan_id: UUID) -> ServicePlanSnapshot | None:
        return await self.billing.service_plan(plan_id, self.bearer_token)

    async def odp(self, odp_id: UUID) -> OdpSnapshot | None:
        return await self.network.odp(odp_id, self.bearer_token)
