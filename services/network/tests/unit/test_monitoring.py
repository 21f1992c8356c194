"""How samples are bucketed, which days they fall in, and what a range defaults to."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from isp_network.domain.monitoring import (
    BUCKET_ORIGIN,
    DEFAULT_SPAN,
    FUTURE_TOLERANCE,
    AcceptanceWindow,
    Bucket,
    TimeRange,
    bucket_start,
    days_between,
)

JAKARTA = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("bucket", "at", "start"),
    [
        (
            Bucket.FIVE_MINUTES,
            datetime(2027, 3, 9, 10, 4, 59, tzinfo=UTC),
            datetime(2027, 3, 9, 10, 0, tzinfo=UTC),
        ),
        (
            Bucket.FIVE_MINUTES,
            datetime(2027, 3, 9, 10, 5, tzinfo=UTC),
            datetime(2027, 3, 9, 10, 5, tzinfo=UTC),
        ),
        (
            Bucket.HOUR,
            datetime(2027, 3, 9, 10, 59, 59, 999999, tzinfo=UTC),
            datetime(2027, 3, 9, 10, 0, tzinfo=UTC),
        ),
        (Bucket.DAY, datetime(2027, 3, 9, 23, 59, tzinfo=UTC), datetime(2027, 3, 9, tzinfo=UTC)),
        (Bucket.DAY, datetime(2028, 2, 29, 12, 0, tzinfo=UTC), datetime(2028, 2, 29, tzinfo=UTC)),
        # Before the origin, a bucket still starts at or before the instant.
        (
            Bucket.HOUR,
            datetime(1999, 12, 31, 23, 30, tzinfo=UTC),
            datetime(1999, 12, 31, 23, 0, tzinfo=UTC),
        ),
    ],
)
def test_a_sample_falls_in_the_bucket_that_starts_at_or_before_it(
    bucket: Bucket, at: datetime, start: datetime
) -> None:
    assert bucket_start(at, bucket) == start
    assert bucket_start(at, bucket) <= at < bucket_start(at, bucket) + bucket.width


def test_a_day_bucket_is_a_utc_day_whatever_the_offset_of_the_sample() -> None:
    # 06:30 in Jakarta is 23:30 UTC the day before.
    at = datetime(2027, 3, 10, 6, 30, tzinfo=JAKARTA)
    assert bucket_start(at, Bucket.DAY) == datetime(2027, 3, 9, tzinfo=UTC)


def test_buckets_are_aligned_on_a_utc_midnight() -> None:
    # A Monday at UTC midnight: day buckets are UTC days, hour and 5-minute ones start on the hour.
    assert (BUCKET_ORIGIN.weekday(), BUCKET_ORIGIN.timetz()) == (0, time(0, tzinfo=UTC))
    assert [bucket.width for bucket in Bucket] == [
        timedelta(minutes=5),
        timedelta(hours=1),
        timedelta(days=1),
    ]


def test_the_days_between_two_instants_include_both_ends() -> None:
    first = datetime(2028, 2, 27, 23, 0, tzinfo=UTC)
    last = datetime(2028, 3, 1, 0, 30, tzinfo=UTC)
    assert days_between(first, last) == [
        date(2028, 2, 27),
        date(2028, 2, 28),
        date(2028, 2, 29),
        date(2028, 3, 1),
    ]
    same = datetime(2027, 12, 31, 1, tzinfo=UTC)
    assert days_between(same, same + timedelta(hours=22)) == [date(2027, 12, 31)]
    assert days_between(same, same - timedelta(days=1)) == []


def test_what_is_accepted_spans_retention_back_and_a_day_ahead() -> None:
    now = datetime(2027, 6, 1, 12, tzinfo=UTC)
    window = AcceptanceWindow.around(now, timedelta(days=90))
    assert window.oldest == now - timedelta(days=90)
    assert window.newest == now + FUTURE_TOLERANCE == now + timedelta(days=1)


def test_a_range_left_open_ends_now_and_spans_a_day() -> None:
    now = datetime(2027, 6, 1, 12, tzinfo=UTC)
    assert TimeRange.ending(None, None, now) == TimeRange(now - DEFAULT_SPAN, now)
    end = datetime(2027, 5, 1, tzinfo=UTC)
    assert TimeRange.ending(None, end, now) == TimeRange(end - timedelta(days=1), end)
    start = datetime(2027, 4, 1, tzinfo=UTC)
    assert TimeRange.ending(start, None, now) == TimeRange(start, now)
    assert TimeRange.ending(start, end, now) == TimeRange(start, end)
