"""Requests, active boosts and pricing as the API shows them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from isp_common.money import Money

from isp_boost.domain.boost import BoostRequest
from isp_boost.domain.pricing import BoostPricing
from isp_boost.domain.status import BoostStatus, EndReason
from isp_boost.use_cases.boost_reads import ActiveBoost


class BoostRequestOut(BaseModel):
    id: UUID
    customer_id: UUID
    request_number: str
    requested_speed_download: int
    requested_speed_upload: int
    duration_hours: int
    price_per_hour: Money
    total_price: Money
    status: BoostStatus
    requested_at: datetime
    requested_by: str
    customer_notes: str | None
    admin_notes: str | None
    approved_at: datetime | None
    approved_by: str | None
    rejected_at: datetime | None
    rejected_by: str | None
    rejection_reason: str | None
    activated_at: datetime | None
    expires_at: datetime | None
    ended_at: datetime | None
    end_reason: EndReason | None
    original_speed_download: int | None
    original_speed_upload: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class ActiveBoostOut(BaseModel):
    """The seed's SpeedBoostHistory row of the running boost, with its request's terms."""

    id: UUID
    customer_id: UUID
    request_id: UUID
    request_number: str
    original_speed_download: int
    original_speed_upload: int
    boosted_speed_download: int
    boosted_speed_upload: int
    started_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    is_active: bool
    duration_hours: int
    price_per_hour: Money
    total_price: Money
    created_at: datetime


class PricingOut(BaseModel):
    price_per_hour: Money | None
    is_configured: bool
    updated_at: datetime | None
    updated_by: str | None


def present_request(request: BoostRequest) -> BoostRequestOut:
    return BoostRequestOut.model_validate(asdict(request))


def present_active(active: ActiveBoost) -> ActiveBoostOut:
    history, request = active.history, active.request
    return ActiveBoostOut.model_validate(
        {
            **asdict(history),
            "request_number": request.request_number,
            "duration_hours": request.duration_hours,
            "price_per_hour": request.price_per_hour,
            "total_price": request.total_price,
        }
    )


def present_pricing(pricing: BoostPricing) -> PricingOut:
    return PricingOut(
        price_per_hour=pricing.price_per_hour,
        is_configured=pricing.is_configured,
        updated_at=pricing.updated_at,
        updated_by=pricing.updated_by,
    )
