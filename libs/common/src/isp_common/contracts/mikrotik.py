"""mikrotik.*: what the agent did on the routers, and the traffic it read from them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from isp_common.contracts import register


class ProvisioningResult(BaseModel):
    customer_id: UUID
    router_id: UUID | None = None
    status: str  # provisioned | failed
    # The customer's version (CustomerSnapshot.version) the router now reflects. The customers
    # service shows `pending` while the customer has changed since: the agent reports for every
    # customer version it has brought to the router, even when the router needed no change.
    customer_version: int | None = None
    error: str | None = None
    at: datetime


class RouterSynced(BaseModel):
    router_id: UUID
    ok: bool
    added: int = 0
    updated: int = 0
    removed: int = 0
    error: str | None = None
    at: datetime


class RouterConnectionChanged(BaseModel):
    router_id: UUID
    connection_status: str  # online | offline
    error: str | None = None
    at: datetime


class TrafficSample(BaseModel):
    customer_id: UUID
    at: datetime
    # Bytes of the interval since the subscriber's previous sample (not the queue's running
    # total): network sums them into usage.
    bytes_in: int = Field(ge=0)
    bytes_out: int = Field(ge=0)
    rate_in_kbps: int = Field(ge=0)
    rate_out_kbps: int = Field(ge=0)
    is_online: bool


class TrafficSampled(BaseModel):
    router_id: UUID
    samples: list[TrafficSample]


SUBSCRIBER_PROVISIONED = "mikrotik.subscriber.provisioned"
SUBSCRIBER_PROVISIONING_FAILED = "mikrotik.subscriber.provisioning_failed"
ROUTER_SYNCED = "mikrotik.router.synced"
ROUTER_CONNECTION_CHANGED = "mikrotik.router.connection_changed"
TRAFFIC_SAMPLED = "mikrotik.traffic.sampled"

register(SUBSCRIBER_PROVISIONED, ProvisioningResult, "The router matches the subscriber.")
register(
    SUBSCRIBER_PROVISIONING_FAILED,
    ProvisioningResult,
    "The router could not be brought to the subscriber's desired state (it will be retried).",
)
register(ROUTER_SYNCED, RouterSynced, "A full reconcile of a router finished.")
register(ROUTER_CONNECTION_CHANGED, RouterConnectionChanged, "A router went on- or offline.")
register(TRAFFIC_SAMPLED, TrafficSampled, "Queue counters read from a router, in a batch.")
