"""Monitoring samples: what is accepted, how a series is bucketed, what retention keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID

MAX_BATCH = 10_000
# A raw (unbucketed) series answers at most this many samples; more needs a bucket.
MAX_RAW_SERIES = 10_000
# How far ahead of the server's clock a sample may be (clock skew of routers and collectors).
FUTURE_TOLERANCE = timedelta(days=1)
DEFAULT_SPAN = timedelta(days=1)


class Bucket(StrEnum):
    FIVE_MINUTES = "5m"
    HOUR = "1h"
    DAY = "1d"

    @property
    def width(self) -> timedelta:
        return {"5m": timedelta(minutes=5), "1h": timedelta(hours=1), "1d": timedelta(days=1)}[
            self.value
        ]


# Buckets are aligned on this instant (a Monday, UTC midnight): days are UTC days.
BUCKET_ORIGIN = datetime.fromisoformat("2000-01-03T00:00:00+00:00")


def bucket_start(at: datetime, bucket: Bucket) -> datetime:
    width = bucket.width
    return BUCKET_ORIGIN + ((at - BUCKET_ORIGIN) // width) * width


class SampleData(Protocol):
    """A sample as any source carries it (the API's request model, an event's, `Sample`)."""

    @property
    def customer_id(self) -> UUID: ...
    @property
    def timestamp(self) -> datetime: ...
    @property
    def download_speed(self) -> int: ...
    @property
    def upload_speed(self) -> int: ...
    @property
    def download_usage(self) -> int: ...
    @property
    def upload_usage(self) -> int: ...
    @property
    def is_online(self) -> bool: ...
    @property
    def onu_status(self) -> str | None: ...
    @property
    def signal_strength(self) -> float | None: ...
    @property
    def temperature(self) -> float | None: ...
    @property
    def uptime(self) -> int | None: ...
    @property
    def last_seen(self) -> datetime | None: ...


@dataclass(frozen=True)
class Sample:
    customer_id: UUID
    timestamp: datetime
    download_speed: int
    upload_speed: int
    download_usage: int
    upload_usage: int
    is_online: bool
    onu_status: str | None = None
    signal_strength: float | None = None
    temperature: float | None = None
    uptime: int | None = None
    last_seen: datetime | None = None


@dataclass(frozen=True)
class AcceptanceWindow:
    """What is kept: samples older than retention keeps would be dropped at once, and those
    from the far future would make partitions for days that do not exist yet."""

    oldest: datetime
    newest: datetime

    @classmethod
    def around(cls, now: datetime, retention: timedelta) -> AcceptanceWindow:
        return cls(now - retention, now + FUTURE_TOLERANCE)


def days_between(first: datetime, last: datetime) -> list[date]:
    """The UTC days from `first` to `last`, both included (the partitions they fall in)."""
    day, end = first.date(), last.date()
    days = []
    while day <= end:
        days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class TimeRange:
    """`[date_from, date_to)`; empty when `date_to` is not after `date_from`."""

    date_from: datetime
    date_to: datetime

    @classmethod
    def ending(
        cls, date_from: datetime | None, date_to: datetime | None, now: datetime
    ) -> TimeRange:
        """Unset ends: up to now, from a day before the end."""
        end = date_to or now
        return cls(date_from or end - DEFAULT_SPAN, end)


@dataclass(frozen=True)
class SampleFilter:
    date_from: datetime
    date_to: datetime
    customer_id: UUID | None = None
    is_online: bool | None = None


@dataclass(frozen=True)
class SeriesPoint:
    """One bucket of a series: averages and peaks of the speeds, summed usage."""

    bucket_start: datetime
    samples: int
    avg_download_speed: Decimal  # rounded half up to 0.01
    max_download_speed: int
    avg_upload_speed: Decimal
    max_upload_speed: int
    download_usage: int
    upload_usage: int
    online_samples: int


@dataclass(frozen=True)
class RetentionOutcome:
    cutoff: datetime
    dropped_partitions: int
    trimmed_samples: int
