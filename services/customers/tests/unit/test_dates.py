from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isp_customers.domain.dates import (
    EARLIEST,
    DateOutOfRange,
    check_lifecycle_date,
    local_today,
    one_year_after,
)


@pytest.mark.parametrize(
    ("now", "zone", "today"),
    [
        (datetime(2026, 3, 9, 23, 0, tzinfo=UTC), "Asia/Jakarta", date(2026, 3, 10)),
        (datetime(2026, 3, 9, 23, 0, tzinfo=UTC), "UTC", date(2026, 3, 9)),
        (datetime(2026, 3, 9, 23, 0, tzinfo=UTC), None, date(2026, 3, 9)),
        (datetime(2026, 3, 10, 3, 0, tzinfo=UTC), "America/Los_Angeles", date(2026, 3, 9)),
        (datetime(2026, 3, 9, 23, 0, tzinfo=UTC), "Not/A_Zone", date(2026, 3, 9)),
    ],
)
def test_local_today_is_the_tenants_calendar_day(
    now: datetime, zone: str | None, today: date
) -> None:
    assert local_today(now, zone) == today


def test_one_year_after_29_february_is_28_february() -> None:
    assert one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


# Feature: isp-management-system, bounded dates: a lifecycle date is accepted exactly in its window
@settings(max_examples=200, deadline=None)
@given(
    today=st.dates(date(2000, 1, 1), date(2100, 12, 31)),
    day=st.dates(date(1, 1, 1), date(9999, 12, 31)),
)
def test_a_lifecycle_date_is_accepted_exactly_from_2000_to_a_year_after_today(
    today: date, day: date
) -> None:
    inside = EARLIEST <= day <= one_year_after(today)
    try:
        check_lifecycle_date(day, today)
    except DateOutOfRange:
        assert not inside
    else:
        assert inside
    assert one_year_after(today) - today in (timedelta(days=365), timedelta(days=366))
