"""Request bodies. Every field is the seed's name in snake_case; unknown fields are refused."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from ipaddress import IPv4Address
from typing import Annotated, Any
from uuid import UUID

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
)

from isp_common.secrets import WriteOnlySecret
from isp_common.text import SINGLE_LINE, TEXT_LINE, TEXT_LINES
from isp_common.web import RequestModel

from isp_customers.domain.customer import EDITABLE_FIELDS
from isp_customers.use_cases.create_customer import NewCustomer
from isp_customers.use_cases.update_customer import CustomerUpdate

_MICRODEGREE = Decimal("0.000001")


def _within(limit: int) -> Any:
    def parse(value: Any) -> Decimal:
        if isinstance(value, bool):
            raise ValueError("must be a number")
        try:
            number = Decimal(str(value)).quantize(_MICRODEGREE, rounding=ROUND_HALF_UP)
        except (InvalidOperation, ValueError):
            raise ValueError("must be a number") from None
        if not -limit <= number <= limit:
            raise ValueError(f"must be between -{limit} and {limit}")
        return number

    return BeforeValidator(parse)


_AS_JSON_NUMBER = PlainSerializer(float, return_type=float, when_used="json")

Name = Annotated[str, Field(min_length=1, max_length=200), TEXT_LINE]
Nik = Annotated[str, Field(min_length=1, max_length=32), TEXT_LINE]
Phone = Annotated[str, Field(max_length=32, pattern=r"^\+?[0-9][0-9 ()\-]{3,31}$"), SINGLE_LINE]
_EMAIL_PART = r"[^@\s\x00-\x1f\x7f-\x9f]+"  # no control character, as SINGLE_LINE says
Email = Annotated[
    str,
    Field(max_length=254, pattern=rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$"),
    SINGLE_LINE,
]
Address = Annotated[str, Field(min_length=1, max_length=1000), TEXT_LINES]
Neighbourhood = Annotated[str, Field(min_length=1, max_length=8), TEXT_LINE]  # RT, RW
Place = Annotated[str, Field(min_length=1, max_length=100), TEXT_LINE]
PostalCode = Annotated[str, Field(min_length=1, max_length=10), TEXT_LINE]
Url = Annotated[str, Field(min_length=1, max_length=1000), TEXT_LINE]
Reason = Annotated[str, Field(min_length=1, max_length=500), TEXT_LINES]
Port = Annotated[str, Field(min_length=1, max_length=32), TEXT_LINE]
Serial = Annotated[str, Field(min_length=1, max_length=64), TEXT_LINE]
CustomerCode = Annotated[str, Field(max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")]
PppoeUsername = Annotated[str, Field(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@\-]*$")]


def _dotted_quad(value: Any) -> Any:
    # Pydantic takes an integer (and so `false`, `true`) for an IPv4Address: 0.0.0.0, 0.0.0.1.
    if not isinstance(value, str | IPv4Address):
        raise ValueError("must be an IPv4 address in dotted-quad notation")
    return value


RemoteAddress = Annotated[
    IPv4Address, BeforeValidator(_dotted_quad), PlainSerializer(str, return_type=str)
]
Latitude = Annotated[
    Decimal,
    _within(90),
    _AS_JSON_NUMBER,
    Field(json_schema_extra={"type": "number", "minimum": -90, "maximum": 90}),
]
Longitude = Annotated[
    Decimal,
    _within(180),
    _AS_JSON_NUMBER,
    Field(json_schema_extra={"type": "number", "minimum": -180, "maximum": 180}),
]


class CustomerFields(RequestModel):
    """The editable fields, all optional: PATCH sends some, create requires a few (below)."""

    full_name: Name | None = None
    nik: Nik | None = None
    phone: Phone | None = None
    email: Email | None = None
    photo_url: Url | None = None
    address: Address | None = None
    rt: Neighbourhood | None = None
    rw: Neighbourhood | None = None
    kelurahan: Place | None = None
    kecamatan: Place | None = None
    city: Place | None = None
    postal_code: PostalCode | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    house_photo_url: Url | None = None
    odp_id: UUID | None = None
    odc_id: UUID | None = None
    olt_id: UUID | None = None
    olt_port: Port | None = None
    onu_serial: Serial | None = None
    router_id: UUID | None = Field(
        default=None, description="The network device (router) to provision on; null: the default"
    )
    remote_address: RemoteAddress | None = Field(
        default=None, description="A fixed IPv4 address for the PPPoE session"
    )
    pppoe_username: PppoeUsername | None = None
    pppoe_password: WriteOnlySecret | None = None

    def pppoe_password_text(self) -> str | None:
        return self.pppoe_password.get_secret_value() if self.pppoe_password else None


class CustomerCreate(CustomerFields):
    full_name: Name
    phone: Phone
    address: Address
    service_plan_id: UUID
    customer_code: CustomerCode | None = Field(
        default=None, description="Generated (CUST-000001, …) when not given"
    )

    def to_command(self) -> NewCustomer:
        return NewCustomer(
            service_plan_id=self.service_plan_id,
            fields=self.model_dump(include=set(EDITABLE_FIELDS)),
            customer_code=self.customer_code,
            pppoe_password=self.pppoe_password_text(),
        )


class CustomerPatch(CustomerFields):
    def to_command(self) -> CustomerUpdate:
        return CustomerUpdate(
            changes=self.model_dump(include=set(EDITABLE_FIELDS), exclude_unset=True),
            pppoe_password=self.pppoe_password_text(),
        )


_LIFECYCLE_DATE = (
    "default: the tenant's today (its timezone); from 2000-01-01 to one year after that today"
)


class ActivateRequest(RequestModel):
    activation_date: date | None = Field(default=None, description=_LIFECYCLE_DATE)


class SuspendRequest(RequestModel):
    reason: Reason


class TerminateRequest(RequestModel):
    reason: Reason
    termination_date: date | None = Field(default=None, description=_LIFECYCLE_DATE)


class ChangePlanRequest(RequestModel):
    new_plan_id: UUID
    effective_date: date | None = Field(default=None, description=_LIFECYCLE_DATE)
    reason: Reason | None = None
