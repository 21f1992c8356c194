"""Billing periods anchored on the activation day (docs/billing.md: billed in advance)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from isp_billing.domain.cycles import BillingCycle, Period, add_months, period_price, proration


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2027, 3, 31), 1, date(2027, 4, 30)),
        (date(2027, 12, 31), 1, date(2028, 1, 31)),
        (date(2027, 11, 15), 3, date(2028, 2, 15)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2027, 1, 15), -1, date(2026, 12, 15)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2027, 5, 20), 0, date(2027, 5, 20)),
    ],
)
def test_add_months_keeps_the_day_or_falls_to_the_months_last(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_a_period_start_is_counted_from_the_anchor_so_the_31st_comes_back() -> None:
    anchor = date(2027, 1, 31)
    starts = [add_months(anchor, k) for k in range(4)]
    assert starts == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    # Stepping from the previous start instead would drift to the 28th for good.
    assert add_months(add_months(anchor, 1), 1) == date(2027, 3, 28)


@pytest.mark.parametrize(
    ("cycle", "months"),
    [
        (BillingCycle.MONTHLY, 1),
        (BillingCycle.QUARTERLY, 3),
        (BillingCycle.SEMI_ANNUAL, 6),
        (BillingCycle.YEARLY, 12),
    ],
)
def test_each_cycle_bills_its_number_of_months(cycle: BillingCycle, months: int) -> None:
    assert cycle.months == months
    assert period_price(Decimal("150000.00"), cycle.months) == Decimal("150000.00") * months


def test_a_period_counts_both_its_first_and_last_day() -> None:
    assert Period(date(2028, 2, 1), date(2028, 2, 29)).days == 29
    assert Period(date(2027, 2, 1), date(2027, 2, 28)).days == 28
    assert Period(date(2027, 5, 5), date(2027, 5, 5)).days == 1


APRIL = Period(date(2027, 4, 1), date(2027, 4, 30))


def test_an_upgrade_on_the_first_day_adds_the_whole_difference() -> None:
    assert proration(Decimal("100000.00"), Decimal("250000.00"), APRIL, APRIL.start) == Decimal(
        "150000.00"
    )


def test_an_upgrade_on_the_last_day_adds_one_day_of_the_difference() -> None:
    # 150000 / 30 = 5000 for the one day left, the effective day included.
    assert proration(Decimal("100000.00"), Decimal("250000.00"), APRIL, APRIL.end) == Decimal(
        "5000.00"
    )


def test_proration_rounds_half_up_to_the_cent() -> None:
    # 0.01 × 15 / 30 = 0.005 → 0.01
    effective = date(2027, 4, 16)
    assert proration(Decimal("0.00"), Decimal("0.01"), APRIL, effective) == Decimal("0.01")
    # 100 × 1 / 30 = 3.333… → 3.33
    assert proration(Decimal("0.00"), Decimal("100.00"), APRIL, APRIL.end) == Decimal("3.33")


@pytest.mark.parametrize("effective", [date(2027, 3, 31), date(2027, 5, 1)])
def test_an_upgrade_outside_the_billed_period_adds_nothing(effective: date) -> None:
    assert proration(Decimal("100000.00"), Decimal("250000.00"), APRIL, effective) == Decimal(
        "0.00"
    )


def test_a_downgrade_prorates_to_no_charge() -> None:
    added = proration(Decimal("250000.00"), Decimal("100000.00"), APRIL, date(2027, 4, 10))
    assert added <= 0
