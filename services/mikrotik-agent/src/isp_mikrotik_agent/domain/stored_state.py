"""What the agent stores: each subscriber's desired state (secrets still encrypted) and how it is
read, what a reconcile writes back for a subscriber, and the router directory's entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from isp_mikrotik_agent.domain.desired import Boost, Burst, Subscriber


@dataclass(frozen=True)
class SubscriberRecord:
    customer_id: UUID
    customer_code: str
    status: str | None
    is_deleted: bool
    pppoe_username: str | None
    pppoe_password_encrypted: str | None
    remote_address: str | None
    target_router_id: UUID | None
    placed_router_id: UUID | None
    customer_version: int
    revision: int
    reconciled_revision: int
    reported_version: int
    provisioning_status: str
    plan_upload: int | None = None
    plan_download: int | None = None
    burst_rate_upload: int | None = None
    burst_rate_download: int | None = None
    burst_threshold: int | None = None
    burst_time: int | None = None
    queue_name_template: str | None = None
    boost_upload: int | None = None
    boost_download: int | None = None
    boost_expires_at: datetime | None = None

    def subscriber(self, decrypt: Callable[[str], str]) -> Subscriber:
        """The desired state with the PPPoE password in clear, ready to be rendered."""
        burst = None
        if self.burst_rate_upload and self.burst_rate_download:
            threshold = self.burst_threshold or 0
            burst = Burst(
                rate_upload=self.burst_rate_upload,
                rate_download=self.burst_rate_download,
                # One threshold (kbps) in the plan; RouterOS wants a pair.
                threshold_upload=threshold,
                threshold_download=threshold,
                time_seconds=self.burst_time or 0,
            )
        boost = None
        if self.boost_upload and self.boost_download:
            boost = Boost(self.boost_upload, self.boost_download, self.boost_expires_at)
        password = None
        if self.pppoe_password_encrypted:
            password = decrypt(self.pppoe_password_encrypted)
        return Subscriber(
            customer_id=self.customer_id,
            customer_code=self.customer_code,
            status=self.status,
            is_deleted=self.is_deleted,
            pppoe_username=self.pppoe_username,
            pppoe_password=password,
            remote_address=self.remote_address,
            plan_upload=self.plan_upload,
            plan_download=self.plan_download,
            burst=burst,
            queue_name_template=self.queue_name_template,
            boost=boost,
        )


@dataclass(frozen=True)
class Outcome:
    """What a reconcile did for one subscriber, to be written back."""

    customer_id: UUID
    revision: int
    router_id: UUID
    ok: bool
    placed: bool  # the router now holds its objects (False: none are there)
    customer_version: int
    error: str | None = None
    # Its objects were here but it belongs elsewhere now: only the placement is written (its
    # own router's lane reconciles and reports it).
    moved_away: bool = False


@dataclass(frozen=True)
class RouterRecord:
    id: UUID
    tenant_id: UUID
    name: str
    host: str | None
    port: int
    username: str | None
    password_encrypted: str | None
    is_default: bool
    is_deleted: bool
    connection_status: str
    last_connected_at: datetime | None
    last_error: str | None
    last_sync_at: datetime | None
    last_sync_result: dict[str, object] | None
    subscriber_count: int = 0

    @property
    def reachable_config(self) -> bool:
        return bool(self.host) and not self.is_deleted
