"""A subscriber's desired state and the tenant's suspension settings: what the agent wants on
the router, independent of how it gets there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class SuspensionMode(StrEnum):
    ISOLATE = "isolate"  # "isolir": the secret moves to the isolation profile
    DISABLE = "disable"  # the secret is disabled


DEFAULT_ISOLATION_PROFILE = "isolir"
DEFAULT_ISOLATION_LIST = "isolir"
DEFAULT_QUEUE_NAME_TEMPLATE = "{customer_code}"


@dataclass(frozen=True)
class SuspensionSettings:
    mode: SuspensionMode = SuspensionMode.ISOLATE
    isolation_profile: str = DEFAULT_ISOLATION_PROFILE
    isolation_address_list: str = DEFAULT_ISOLATION_LIST


@dataclass(frozen=True)
class Burst:
    """Plan burst in kbps (rate and threshold) and seconds, both directions alike for time."""

    rate_upload: int
    rate_download: int
    threshold_upload: int
    threshold_download: int
    time_seconds: int


@dataclass(frozen=True)
class Boost:
    upload: int  # kbps
    download: int  # kbps
    expires_at: datetime | None = None

    def active_at(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now


@dataclass(frozen=True)
class Subscriber:
    """Everything about one subscriber the router needs, decrypted and resolved."""

    customer_id: UUID
    customer_code: str
    status: str | None  # a CustomerSnapshot status; None until the customer event arrived
    is_deleted: bool
    pppoe_username: str | None
    pppoe_password: str | None
    remote_address: str | None
    plan_upload: int | None  # kbps
    plan_download: int | None  # kbps
    burst: Burst | None = None
    queue_name_template: str | None = None
    boost: Boost | None = None

    @property
    def wants_objects(self) -> bool:
        """Only an active or suspended subscriber with a PPPoE account and a plan lives on the
        router; a pending, terminated or deleted one has nothing there."""
        return (
            not self.is_deleted
            and self.status in ("active", "suspended")
            and bool(self.pppoe_username)
            and self.plan_upload is not None
            and self.plan_download is not None
        )

    @property
    def suspended(self) -> bool:
        return self.status == "suspended"

    def limits(self, now: datetime) -> tuple[int, int]:
        """(upload, download) kbps: the boost's while one is active, else the plan's."""
        if self.boost is not None and self.boost.active_at(now):
            return self.boost.upload, self.boost.download
        return self.plan_upload or 0, self.plan_download or 0
