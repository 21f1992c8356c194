"""A boost as it ran on the subscriber's line (the seed's SpeedBoostHistory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from isp_boost.domain.boost import BoostRequest
from isp_boost.domain.status import EndReason


@dataclass(frozen=True)
class BoostHistory:
    id: UUID
    customer_id: UUID
    request_id: UUID
    original_speed_download: int
    original_speed_upload: int
    boosted_speed_download: int
    boosted_speed_upload: int
    started_at: datetime
    expires_at: datetime
    is_active: bool
    created_at: datetime
    ended_at: datetime | None = None
    end_reason: EndReason | None = None

    @classmethod
    def started_by(cls, id: UUID, request: BoostRequest) -> BoostHistory:
        original = request.original_speeds
        if request.activated_at is None or request.expires_at is None or original is None:
            raise ValueError("only an activated request starts a history row")
        return cls(
            id=id,
            customer_id=request.customer_id,
            request_id=request.id,
            original_speed_download=original.download,
            original_speed_upload=original.upload,
            boosted_speed_download=request.requested_speed_download,
            boosted_speed_upload=request.requested_speed_upload,
            started_at=request.activated_at,
            expires_at=request.expires_at,
            is_active=True,
            created_at=request.activated_at,
        )
