from __future__ import annotations

from isp_common.contracts.boost import BoostSnapshot

from isp_boost.domain.boost import BoostRequest
from isp_boost.domain.references import Speeds


def boost_snapshot(request: BoostRequest, restore_speeds: Speeds | None = None) -> BoostSnapshot:
    """The request as `boost.boost.*` carries it. `original_speed_*` are the speeds the
    subscriber has without the boost: on `ended`, the current plan's when the replica knows it."""
    original = restore_speeds or request.original_speeds
    activated = request.activated_at is not None
    return BoostSnapshot(
        id=request.id,
        customer_id=request.customer_id,
        status=request.status.value,
        requested_speed_download=request.requested_speed_download,
        requested_speed_upload=request.requested_speed_upload,
        boosted_speed_download=request.requested_speed_download if activated else None,
        boosted_speed_upload=request.requested_speed_upload if activated else None,
        original_speed_download=original.download if original else None,
        original_speed_upload=original.upload if original else None,
        duration_hours=request.duration_hours,
        price_per_hour=request.price_per_hour,
        total_price=request.total_price,
        activated_at=request.activated_at,
        expires_at=request.expires_at,
        ended_at=request.ended_at,
        end_reason=request.end_reason.value if request.end_reason else None,
        request_number=request.request_number,
        version=request.version,
    )
