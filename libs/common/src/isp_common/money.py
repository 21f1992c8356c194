"""Money: `Decimal` with two places, `NUMERIC(14,2)` in Postgres, a decimal string in JSON."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # what NUMERIC(14,2) holds


def to_money(value: Any) -> Decimal:
    """Exact conversion; floats are refused because they are not exact."""
    if isinstance(value, bool | float):
        raise ValueError("money must be a decimal string or an integer, not a float")
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError) as exc:
        raise ValueError("not a decimal amount") from exc
    if not amount.is_finite():
        raise ValueError("not a finite amount")
    if amount != amount.quantize(CENT):
        raise ValueError("money has at most two decimal places")
    if abs(amount) > MAX_AMOUNT:
        raise ValueError("amount out of range")
    return amount.quantize(CENT)


def round_money(value: Decimal) -> Decimal:
    """Rounding for computed amounts (proration, tax): half up to the cent, stated once."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


Money = Annotated[
    Decimal,
    BeforeValidator(to_money),
    PlainSerializer(lambda d: format(d.quantize(CENT), "f"), return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?\d{1,12}(\.\d{1,2})?$", "example": "150000.00"}
    ),
]
