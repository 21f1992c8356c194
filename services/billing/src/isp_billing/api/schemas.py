"""Request bodies. Fields are the seed's names in snake_case; unknown fields are refused. Integers
and booleans are strict (a string "5" is not 5), money is a decimal string."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BeforeValidator, Field, PlainSerializer, StrictBool, WithJsonSchema

from isp_common.money import to_money
from isp_common.text import TEXT_LINE, TEXT_LINES
from isp_common.web import RequestModel

from isp_billing.domain.enums import PaymentFor, PaymentMethod
from isp_billing.domain.text import JSON_INTEGER, IsoDate
from isp_billing.use_cases.record_payment import NewPayment


def _money_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError('money is a decimal string, e.g. "150000.00"')
    return value


def _non_negative(value: Any) -> Decimal:
    amount = to_money(_money_text(value))
    if amount < 0:
        raise ValueError("must not be negative")
    return amount


def _positive(value: Any) -> Decimal:
    amount = to_money(_money_text(value))
    if amount <= 0:
        raise ValueError("must be more than zero")
    return amount


_AS_STRING = PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json")
Price = Annotated[
    Decimal,
    BeforeValidator(_non_negative),
    _AS_STRING,
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$", "example": "150000.00"}
    ),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(_positive),
    _AS_STRING,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(0{0,3}[1-9]\d{0,11}(\.\d{1,2})?|0{1,3}\.([1-9]\d?|0[1-9]))$",
            "example": "150000.00",
        }
    ),
]
Kbps = Annotated[int, Field(ge=1, le=100_000_000), JSON_INTEGER]
PlanName = Annotated[str, Field(min_length=1, max_length=100), TEXT_LINE]
Description = Annotated[str, Field(min_length=1, max_length=2000), TEXT_LINES]
Reason = Annotated[str, Field(min_length=1, max_length=500), TEXT_LINES]


class PlanCreate(RequestModel):
    name: PlanName
    description: Description | None = None
    bandwidth_download: Kbps = Field(description="kbps")
    bandwidth_upload: Kbps = Field(description="kbps")
    monthly_price: Price
    is_active: StrictBool = True


class PlanPatch(RequestModel):
    """Only the fields sent change; a field that cannot be empty cannot be sent as null."""

    name: PlanName = None  # type: ignore[assignment]
    description: Description | None = None
    bandwidth_download: Kbps = None  # type: ignore[assignment]
    bandwidth_upload: Kbps = None  # type: ignore[assignment]
    monthly_price: Price = None  # type: ignore[assignment]
    is_active: StrictBool = None  # type: ignore[assignment]

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class RunRequest(RequestModel):
    as_of: IsoDate | None = Field(
        default=None,
        description="default: today in the tenant's timezone; from 2000-01-01; a run at most one "
        "month after the tenant's today, an overdue check at most the tenant's today",
    )


class PaymentCreate(RequestModel):
    customer_id: UUID
    amount: Amount
    payment_method: PaymentMethod
    payment_for: PaymentFor = PaymentFor.MONTHLY_SUBSCRIPTION
    period_month: Annotated[int, Field(ge=1, le=12), JSON_INTEGER] | None = None
    period_year: Annotated[int, Field(ge=2000, le=2999), JSON_INTEGER] | None = None
    reference_number: Annotated[str, Field(min_length=1, max_length=100), TEXT_LINE] | None = None
    notes: Annotated[str, Field(min_length=1, max_length=2000), TEXT_LINES] | None = None
    payment_date: IsoDate | None = Field(
        default=None,
        description="default: today (tenant's); from 2000-01-01 to the tenant's today",
    )

    def to_command(self) -> NewPayment:
        return NewPayment(
            customer_id=self.customer_id,
            amount=self.amount,
            payment_method=self.payment_method,
            payment_for=self.payment_for,
            period_month=self.period_month,
            period_year=self.period_year,
            reference_number=self.reference_number,
            notes=self.notes,
            payment_date=self.payment_date,
        )


class VoidRequest(RequestModel):
    reason: Reason
