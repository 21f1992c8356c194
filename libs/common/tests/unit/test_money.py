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


@pytest.mark.parametrize(
    "bad",
    ["1e30", "1E+2", "1e-2", "-1e30", "sNaN", "-Infinity", "1000000000000", "1" * 40, 10**13,
     10**400, "0x10", "1_000", " ", "", None, [], {}, Decimal("1e30"), Decimal("NaN")],
)  # fmt: skip
def test_exponents_non_finite_and_beyond_twelve_digits_are_a_validation_error(
    bad: object,
) -> None:
    """ "1e30" used to escape as decimal.InvalidOperation (quantize overflows), a 500."""
    with pytest.raises(ValidationError) as caught:
        Priced(amount=bad)
    assert [e["loc"] for e in caught.value.errors()] == [("amount",)]


money_like_inputs = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789.-+eE_ ", max_size=40),
    st.from_regex(r"-?\d{1,20}(\.\d{1,5})?([eE][-+]?\d{1,4})?", fullmatch=True),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
)


# Feature: isp-management-system, Property 10: Money is exact (and bounded) (docs/properties.md)
@settings(max_examples=300)
@given(value=money_like_inputs)
def test_any_input_is_a_bounded_two_place_amount_or_a_validation_error(value: object) -> None:
    try:
        amount = Priced(amount=value).amount
    except ValidationError as exc:
        assert [e["loc"] for e in exc.errors()] == [("amount",)]
        return
    assert amount.is_finite()
    assert abs(amount) <= Decimal("999999999999.99")
    assert amount.as_tuple().exponent == -2
