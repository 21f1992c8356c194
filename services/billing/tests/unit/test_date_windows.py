"""The windows a date sent to billing must fall in, relative to the tenant's today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from isp_billing.domain.dates import (
    EARLIEST,
    DateOutOfRange,
    check_overdue_as_of,
    check_payment_date,
    check_run_as_of,
    latest_run_date,
)

TODAY = date(2027, 6, 15)
NOT_AFTER_TODAY = [check_overdue_as_of, check_payment_date]


@pytest.mark.parametrize("check", [*NOT_AFTER_TODAY, check_run_as_of])
def test_no_date_before_2000_is_accepted(check: Callable[[date, date], None]) -> None:
    check(EARLIEST, TODAY)
    with pytest.raises(DateOutOfRange, match="2000-01-01"):
        check(EARLIEST - timedelta(days=1), TODAY)


@pytest.mark.parametrize("check", NOT_AFTER_TODAY)
def test_overdue_checks_and_payments_stop_at_the_tenants_today(
    check: Callable[[date, date], None],
) -> None:
    check(TODAY, TODAY)
    with pytest.raises(DateOutOfRange, match=TODAY.isoformat()):
        check(TODAY + timedelta(days=1), TODAY)


def test_a_run_may_go_one_month_ahead_and_no_further() -> None:
    check_run_as_of(date(2027, 7, 15), TODAY)
    with pytest.raises(DateOutOfRange, match="2027-07-15"):
        check_run_as_of(date(2027, 7, 16), TODAY)


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2027, 12, 31), date(2028, 1, 31)),
    ],
)
def test_the_latest_run_date_is_a_calendar_month_ahead(today: date, latest: date) -> None:
    assert latest_run_date(today) == latest
    check_run_as_of(latest, today)
    with pytest.raises(DateOutOfRange):
        check_run_as_of(latest + timedelta(days=1), today)


def test_a_date_out_of_range_is_a_value_error_for_the_validation_layer() -> None:
    assert issubclass(DateOutOfRange, ValueError)
