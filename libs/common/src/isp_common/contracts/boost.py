"""boost.boost.*: speed-boost requests through their lifecycle."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from isp_common.contracts import register
from isp_common.money import Money


class BoostSnapshot(BaseModel):
    """`id` is the request's. Speeds in kbps. `original_speed_*` are the plan's speeds, what the
    subscriber runs at without the boost (on `ended`: the plan's at that moment); the agent sets
    the queue from `boosted_speed_*` on `activated` and back to `original_speed_*` on `ended`.
    Billing charges `total_price` (= duration_hours × price_per_hour) on `activated`."""

    id: UUID
    customer_id: UUID
    status: str  # pending | approved | rejected | activated | expired | ended
    requested_speed_download: int
    requested_speed_upload: int
    original_speed_download: int | None = None
    original_speed_upload: int | None = None
    duration_hours: int
    price_per_hour: Money
    total_price: Money
    activated_at: datetime | None = None
    expires_at: datetime | None = None
    ended_at: datetime | None = None
    version: int
    # Added without a version bump (optional, so every earlier reader still parses the event):
    # the speeds the router runs while the boost is active (= the requested speeds, set from
    # activation on), why an activated boost stopped (expired | deactivated |
    # customer_terminated | customer_deleted), and the tenant's human number of the request.
    boosted_speed_download: int | None = None
    boosted_speed_upload: int | None = None
    end_reason: str | None = None
    request_number: str | None = None


for verb, text in {
    "requested": "A speed boost was requested.",
    "approved": "A boost request was approved.",
    "rejected": "A boost request was rejected.",
    "activated": "A boost started: the agent raises the queue, billing charges it.",
    "ended": "A boost expired or was ended early: the agent restores the plan's speeds.",
}.items():
    register(f"boost.boost.{verb}", BoostSnapshot, text)
