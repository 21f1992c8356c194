"""Field types of request bodies and queries: what each accepts is what the OpenAPI document
says, so a client (or a fuzzer) reading the document is never refused a value it allows."""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    Strict,
    WithJsonSchema,
)

from isp_common.money import to_money
from isp_common.text import TEXT_LINE, TEXT_LINES

Name = Annotated[str, Field(min_length=1, max_length=200), TEXT_LINE]
Short = Annotated[str, Field(min_length=1, max_length=100), TEXT_LINE]
Username = Annotated[str, Field(min_length=1, max_length=64), TEXT_LINE]
Serial = Annotated[str, Field(min_length=1, max_length=64), TEXT_LINE]
Text = Annotated[str, Field(min_length=1, max_length=2000), TEXT_LINES]
OnuStatus = Annotated[str, Field(min_length=1, max_length=32), TEXT_LINE]


# Strict: a number is a JSON number and a flag a JSON boolean, as the document says ("5" and 1
# are not accepted for them).
# (A whole number written 5.0 is still an integer to JSON Schema, so it is.)
def _a_number(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise ValueError("must be a number")
    return value


_NUMBER = BeforeValidator(_a_number)
Flag = Annotated[bool, Strict()]
Capacity = Annotated[int, Field(ge=1, le=100_000), _NUMBER]
ApiPort = Annotated[int, Field(ge=1, le=65535), _NUMBER]
Speed = Annotated[int, Field(ge=0, le=2_147_483_647, description="kbps"), _NUMBER]
# Below 2**53, where a JSON (double) number is still an exact integer; a petabyte per sample.
Counter = Annotated[int, Field(ge=0, le=10**15), _NUMBER]
SignalStrength = Annotated[float, Field(ge=-100, le=100, description="dBm"), _NUMBER]
Temperature = Annotated[float, Field(ge=-100, le=200, description="°C"), _NUMBER]

_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")
_HOST_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 253, "format": "hostname"}


def _address(value: Any) -> str:
    """An IPv4 or IPv6 address, or a host name, as text (an integer is not an address)."""
    if not isinstance(value, str):
        raise ValueError("must be an IP address or a host name")
    text = value.strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if _HOST.match(text):
        return text.lower()
    raise ValueError("must be an IP address or a host name")


def _ip(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be an IP address")
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise ValueError("must be an IP address") from None


Host = Annotated[
    str,
    BeforeValidator(_address),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "ipv4"},
                {"type": "string", "format": "ipv6"},
                _HOST_SCHEMA,
            ]
        }
    ),
]
IpAddress = Annotated[
    str,
    BeforeValidator(_ip),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "ipv4"}, {"type": "string", "format": "ipv6"}]}
    ),
]
MacAddress = Annotated[
    str,
    Field(pattern=r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$"),
    AfterValidator(lambda v: v.replace("-", ":").upper()),
]

_MICRODEGREE = Decimal("0.000001")


def _within(limit: int) -> Any:
    def parse(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
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
Latitude = Annotated[
    Decimal,
    _within(90),
    _AS_JSON_NUMBER,
    WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90}),
]
Longitude = Annotated[
    Decimal,
    _within(180),
    _AS_JSON_NUMBER,
    WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180}),
]


def _price(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise ValueError("a price is a decimal string")
    amount = to_money(value)
    if amount < 0:
        raise ValueError("a price is not negative")
    return amount


Price = Annotated[
    Decimal,
    BeforeValidator(_price),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$", "example": "1250000.00"}
    ),
]

_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    """A time without an offset is UTC; one whose UTC time falls outside years 1–9999 is
    clamped to their ends (the document allows any date-time)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return _EARLIEST if value.year < 5000 else _LATEST


_EPOCH_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


def _iso_text(value: Any) -> Any:
    """Only ISO 8601 text (pydantic alone would also read a number as seconds since 1970)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or _EPOCH_NUMBER.match(value):
        raise ValueError("must be an ISO 8601 date-time")
    return value


UtcDateTime = Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(_utc)]
