"""An amount in words, as a receipt prints it beside the digits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from isp_billing.domain.words import amount_in_words, integer_in_words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (20, "twenty"),
        (21, "twenty-one"),
        (99, "ninety-nine"),
        (100, "one hundred"),
        (101, "one hundred one"),
        (110, "one hundred ten"),
        (999, "nine hundred ninety-nine"),
        (1000, "one thousand"),
        (1001, "one thousand one"),
        (150_000, "one hundred fifty thousand"),
        (1_000_100, "one million one hundred"),
        (2_000_000_005, "two billion five"),
        (
            999_999_999_999,
            "nine hundred ninety-nine billion nine hundred ninety-nine million"
            " nine hundred ninety-nine thousand nine hundred ninety-nine",
        ),
        (1_000_000_000_000, "one trillion"),
        (-42, "minus forty-two"),
    ],
)
def test_integers_in_words(n: int, words: str) -> None:
    assert integer_in_words(n) == words


def test_a_whole_amount_has_no_cents_part() -> None:
    assert amount_in_words(Decimal("150000.00"), "IDR") == "one hundred fifty thousand IDR"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (Decimal("150000.50"), "one hundred fifty thousand IDR and 50/100"),
        (Decimal("12.05"), "twelve IDR and 05/100"),
        (Decimal("0.99"), "zero IDR and 99/100"),
        (Decimal("1.01"), "one IDR and 01/100"),
    ],
)
def test_cents_are_written_as_a_fraction_of_a_hundred(amount: Decimal, words: str) -> None:
    assert amount_in_words(amount, "IDR") == words


def test_the_currency_is_the_tenants() -> None:
    assert amount_in_words(Decimal("3.00"), "USD") == "three USD"
