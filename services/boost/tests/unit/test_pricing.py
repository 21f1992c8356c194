from __future__ import annotations

from decimal import Decimal

import pytest

from isp_boost.domain.pricing import MAX_DURATION_HOURS, MAX_PRICE_PER_HOUR, total_price


def test_total_is_hours_times_price_in_cents() -> None:
    assert total_price(3, Decimal("0.01")) == Decimal("0.03")
    assert total_price(7, Decimal("1234.56")) == Decimal("8641.92")


def test_the_largest_total_fits_the_money_column() -> None:
    assert total_price(MAX_DURATION_HOURS, MAX_PRICE_PER_HOUR) <= Decimal("999999999999.99")


@pytest.mark.parametrize("hours", [0, -1, MAX_DURATION_HOURS + 1])
def test_hours_out_of_range_are_refused(hours: int) -> None:
    with pytest.raises(ValueError):
        total_price(hours, Decimal("1.00"))
