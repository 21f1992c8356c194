"""What the subscriber portal works out from the API's answers: speeds in Mbps, the usage
chart and its summary, the boosts a subscriber may pick and their price, and the words for a
refused password. The API decides everything; these only shape what it answered."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

KBPS_PER_MBPS = Decimal(1000)
BYTES_PER_GB = Decimal(1000) ** 3
# How much faster than the plan a boost may be: the choices a subscriber is offered.
BOOST_FACTORS = (2, 3, 5)
BOOST_HOURS = (1, 2, 3, 6, 12, 24, 48, 72)
# The usage screen's ranges: days shown → the bucket the network service sums by.
USAGE_RANGES = {1: "1h", 7: "1d", 30: "1d"}
DEFAULT_USAGE_DAYS = 7
TICKET_CATEGORIES = ("technical", "billing", "complaint", "request")


def is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def mbps(kbps: Any) -> Decimal | None:
    """A speed the API gives in kbps, in Mbps (20000 → 20)."""
    amount = _decimal(kbps)
    if amount is None:
        return None
    return (amount / KBPS_PER_MBPS).normalize()


def gigabytes(count: Any) -> Decimal:
    amount = _decimal(count) or Decimal(0)
    return (amount / BYTES_PER_GB).quantize(Decimal("0.01"))


def usage_days(value: str | None) -> int:
    try:
        days = int(value or DEFAULT_USAGE_DAYS)
    except ValueError:
        return DEFAULT_USAGE_DAYS
    return days if days in USAGE_RANGES else DEFAULT_USAGE_DAYS


@dataclass(frozen=True)
class UsageRow:
    starts: str  # the bucket's start, as the API gave it (formatted by the template)
    download_gb: Decimal
    upload_gb: Decimal
    peak_download_mbps: Decimal


@dataclass(frozen=True)
class UsageSummary:
    rows: list[UsageRow]
    download_gb: Decimal
    upload_gb: Decimal
    peak_download_mbps: Decimal
    online_share: Decimal | None  # 0–100, None without samples

    def chart(self, labels: Iterable[str], download: str, upload: str) -> dict[str, Any]:
        """The `[data-chart]` document: bars of GB per bucket (labels already formatted)."""
        return {
            "kind": "bars",
            "labels": list(labels),
            "series": [
                {"label": download, "values": [float(r.download_gb) for r in self.rows]},
                {"label": upload, "values": [float(r.upload_gb) for r in self.rows]},
            ],
        }


def usage_summary(buckets: Iterable[Mapping[str, Any]]) -> UsageSummary:
    rows: list[UsageRow] = []
    samples = online = 0
    for bucket in buckets:
        rows.append(
            UsageRow(
                starts=str(bucket.get("bucket_start") or ""),
                download_gb=gigabytes(bucket.get("download_usage")),
                upload_gb=gigabytes(bucket.get("upload_usage")),
                peak_download_mbps=mbps(bucket.get("max_download_speed")) or Decimal(0),
            )
        )
        samples += int(bucket.get("samples") or 0)
        online += int(bucket.get("online_samples") or 0)
    share = (Decimal(online * 100) / samples).quantize(Decimal(1)) if samples else None
    return UsageSummary(
        rows=rows,
        download_gb=sum((r.download_gb for r in rows), Decimal(0)),
        upload_gb=sum((r.upload_gb for r in rows), Decimal(0)),
        peak_download_mbps=max((r.peak_download_mbps for r in rows), default=Decimal(0)),
        online_share=share,
    )


@dataclass(frozen=True)
class BoostChoice:
    download_kbps: int
    upload_kbps: int

    @property
    def value(self) -> str:
        return f"{self.download_kbps}:{self.upload_kbps}"

    @classmethod
    def parse(cls, value: str | None) -> BoostChoice | None:
        down, sep, up = (value or "").partition(":")
        if not sep or not down.isdigit() or not up.isdigit():
            return None
        return cls(int(down), int(up))


def boost_choices(
    plan_download_kbps: int | None, plan_upload_kbps: int | None
) -> list[BoostChoice]:
    """Faster than the plan in both directions (the boost service refuses slower)."""
    if not plan_download_kbps or not plan_upload_kbps:
        return []
    return [
        BoostChoice(plan_download_kbps * factor, plan_upload_kbps * factor)
        for factor in BOOST_FACTORS
    ]


def boost_hours(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and int(value) in BOOST_HOURS else None


def boost_total(price_per_hour: Any, hours: int) -> Decimal | None:
    """What the boost service will charge: hours × the tenant's price per hour (None: no
    price set, so no boost can be asked for)."""
    price = _decimal(price_per_hour)
    return None if price is None else (price * hours).quantize(Decimal("0.01"))


# identity's refusals of a password (its English rule) → the portal's msgid.
PASSWORD_RULES = (
    ("does not match", "This is not your current password."),
    ("at least", "Use at least 10 characters."),
    ("at most", "Use at most 256 characters."),
    ("too common", "This password is too common. Choose another one."),
    ("login name", "The password must not be your login name."),
)
PASSWORD_REFUSED = "This password is not accepted."
PASSWORDS_DIFFER = "The two new passwords are not the same."


def password_errors(field_errors: Mapping[str, str]) -> dict[str, str]:
    """Field → msgid for the fields of the password form."""
    found: dict[str, str] = {}
    for name, message in field_errors.items():
        words = message.lower()
        found[name] = next((msg for rule, msg in PASSWORD_RULES if rule in words), PASSWORD_REFUSED)
    return found


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
