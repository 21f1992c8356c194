"""Request bodies. Field names are the seed's in snake_case; unknown fields are refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema

from isp_common.money import CENT, to_money
from isp_common.web import RequestModel

from isp_boost.domain.pricing import (
    MAX_DURATION_HOURS,
    MAX_PRICE_PER_HOUR,
    MAX_SPEED_KBPS,
    MIN_DURATION_HOURS,
)

# No control characters but tab and line breaks (Postgres stores no NUL), and, since bodies are
# trimmed first, not only blanks: the same rule in the OpenAPI document and in validation.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_TEXT = rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$"

Notes = Annotated[str, Field(min_length=1, max_length=1000, pattern=_TEXT)]
Reason = Annotated[str, Field(min_length=1, max_length=500, pattern=_TEXT)]
Kbps = Annotated[int, Field(ge=1, le=MAX_SPEED_KBPS, description="kbps")]
Hours = Annotated[int, Field(ge=MIN_DURATION_HOURS, le=MAX_DURATION_HOURS)]


def _price(value: Any) -> Decimal:
    # A decimal string, as money always travels in JSON: a number may already be inexact.
    if not isinstance(value, str | Decimal):
        raise ValueError('price_per_hour must be a decimal string such as "5000.00"')
    amount = to_money(value)
    if not Decimal(0) <= amount <= MAX_PRICE_PER_HOUR:
        raise ValueError(f"price_per_hour must be between 0.00 and {MAX_PRICE_PER_HOUR}")
    return amount


PricePerHour = Annotated[
    Decimal,
    BeforeValidator(_price),
    PlainSerializer(lambda d: format(d.quantize(CENT), "f"), return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,9}(\.\d{1,2})?$",
            "example": "5000.00",
            "description": f"a decimal string, 0.00 to {MAX_PRICE_PER_HOUR}",
        }
    ),
]


class BoostCreate(RequestModel):
    customer_id: UUID
    requested_speed_download: Kbps
    requested_speed_upload: Kbps
    duration_hours: Hours
    customer_notes: Notes | None = None


class ApproveBody(RequestModel):
    admin_notes: Notes | None = None


class RejectBody(RequestModel):
    reason: Reason


class PricingBody(RequestModel):
    price_per_hour: PricePerHour
