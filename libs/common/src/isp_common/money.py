"""Money: `Decimal` with two places, `NUMERIC(14,2)` in Postgres, a decimal string in JSON."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # what NUMERIC(14,2) holds
# Plain decimal notation only: an exponent ("1e30") or "NaN" is not an amount a person types,
# and an unbounded exponent would make Decimal arithmetic raise instead of refusing.
_DECIMAL_TEXT = re.compile(r"-?\d+(\.\d+)?")
_MAX_TEXT_LENGTH = 64


def to_money(value: Any) -> Decimal:
    """Exact conversion; floats are refused because they are not exact. Every refusal is a
    ValueError, which a pydantic model reports as a VALIDATION_ERROR naming the field."""
    if isinstance(value, bool | float):
        raise ValueError("money must be a decimal string or an integer, not a float")
    amount = _as_decimal(value)
    if not amount.is_finite():
        raise ValueError("not a finite amount")
    # Bounded before quantize: quantizing a huge value overflows the context and raises.
    if abs(amount) > MAX_AMOUNT:
        raise ValueError("amount out of range: at most 12 digits before the decimal point")
    if amount != amount.quantize(CENT):
        raise ValueError("money has at most two decimal places")
    return amount.quantize(CENT)


def _as_decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        try:
            return Decimal(value)
        except (InvalidOperation, ValueError) as exc:  # beyond int→str's digit limit
            raise ValueError("amount out of range") from exc
    if isinstance(value, str):
        text = value.strip()
        if len(text) > _MAX_TEXT_LENGTH or not _DECIMAL_TEXT.fullmatch(text):
            raise ValueError('not a decimal amount such as "150000.00"')
        return Decimal(text)
    raise ValueError('not a decimal amount such as "150000.00"')


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
