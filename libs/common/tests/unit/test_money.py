from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from isp_common.money import Money, round_money, to_money


class Priced(BaseModel):
    amount: Money


def test_decimal_string_round_trips_as_string() -> None:
    assert Priced(amount="150000").model_dump(mode="json") == {"amount": "150000.00"}
    assert Priced(amount="0.10").amount == Decimal("0.10")


@pytest.mark.parametrize("bad", [1.5, "1.005", "abc", "NaN", "Infinity", "1e20", True])
def test_inexact_or_unbounded_amounts_are_refused(bad: object) -> None:
    with pytest.raises(ValidationError):
        Priced(amount=bad)


def test_round_money_is_half_up() -> None:
    assert round_money(Decimal("0.005")) == Decimal("0.01")
    assert round_money(Decimal("2.344")) == Decimal("2.34")


@settings(max_examples=200)
@given(st.decimals(min_value=-(10**12) + 1, max_value=10**12 - 1, places=2, allow_nan=False))
def test_any_two_place_amount_survives_json(value: Decimal) -> None:
    dumped = Priced(amount=value).model_dump(mode="json")["amount"]
    assert isinstance(dumped, str)
    assert to_money(dumped) == value
