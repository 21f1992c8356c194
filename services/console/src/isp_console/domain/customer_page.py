"""What the customer page works out from the API's answers: which lifecycle actions the
customer's status allows, the router timeline across the tenant's routers, the usage chart,
and the payment form turned into the API's body.

The API decides every transition (it answers INVALID_STATE otherwise); the table below only
keeps the page from offering a button that would surely be refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

ACTIVATE = "activate"
SUSPEND = "suspend"
TERMINATE = "terminate"
CHANGE_PLAN = "change-plan"
DELETE = "delete"
LIFECYCLE_ACTIONS = (ACTIVATE, SUSPEND, TERMINATE, CHANGE_PLAN, DELETE)

_LIVE = (TERMINATE, CHANGE_PLAN, DELETE)
_ALLOWED: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("pending_activation", None): (ACTIVATE, *_LIVE),
    ("active", None): (SUSPEND, *_LIVE),
    ("suspended", "manual"): (ACTIVATE, *_LIVE),
    # billing lifts an overdue suspension when the account is settled, not an operator
    ("suspended", "overdue"): _LIVE,
    ("terminated", None): (DELETE,),
}


def allowed_actions(status: str, suspension_cause: str | None = None) -> tuple[str, ...]:
    cause = suspension_cause if status == "suspended" else None
    return _ALLOWED.get((status, cause), (DELETE,))


def is_pending(provisioning_status: str | None) -> bool:
    """A pending provisioning refreshes itself until the router answers."""
    return provisioning_status == "pending"


def timeline(
    operations: Iterable[Iterable[Mapping[str, Any]]], limit: int = 20
) -> list[dict[str, Any]]:
    """The operations of every router, newest first (ties: the later log row first)."""
    merged = [dict(op) for ops in operations for op in ops]
    merged.sort(key=lambda op: (str(op.get("at") or ""), int(op.get("id") or 0)), reverse=True)
    return merged[:limit]


@dataclass(frozen=True)
class UsageSummary:
    samples: int
    peak_download_kbps: int
    peak_upload_kbps: int
    download_bytes: int
    upload_bytes: int
    online_percent: Decimal | None


def usage_chart(
    buckets: list[Mapping[str, Any]],
    label: Callable[[str], str],
    download_label: str,
    upload_label: str,
) -> dict[str, Any]:
    """The `data-chart` spec: average speeds per bucket in Mbit/s."""
    return {
        "kind": "line",
        "unit": "Mbit/s",
        "labels": [label(str(b.get("bucket_start") or "")) for b in buckets],
        "series": [
            {
                "label": download_label,
                "values": [_mbps(b.get("avg_download_speed")) for b in buckets],
            },
            {"label": upload_label, "values": [_mbps(b.get("avg_upload_speed")) for b in buckets]},
        ],
    }


def usage_summary(buckets: list[Mapping[str, Any]]) -> UsageSummary:
    samples = sum(_int(b.get("samples")) for b in buckets)
    online = sum(_int(b.get("online_samples")) for b in buckets)
    share = (
        (Decimal(online) * 100 / samples).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        if samples
        else None
    )
    return UsageSummary(
        samples=samples,
        peak_download_kbps=max((_int(b.get("max_download_speed")) for b in buckets), default=0),
        peak_upload_kbps=max((_int(b.get("max_upload_speed")) for b in buckets), default=0),
        download_bytes=sum(_int(b.get("download_usage")) for b in buckets),
        upload_bytes=sum(_int(b.get("upload_usage")) for b in buckets),
        online_percent=share,
    )


def _mbps(kbps: Any) -> float | None:
    # A chart point, not an amount: a float is what the chart library draws.
    number = _decimal(kbps)
    return None if number is None else float((number / 1000).quantize(Decimal("0.01")))


def human_bytes(count: int) -> str:
    value = Decimal(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000:
            return f"{value.quantize(Decimal('1') if unit == 'B' else Decimal('0.1'))} {unit}"
        value /= 1000
    return f"{value.quantize(Decimal('0.1'))} TB"


PERIOD_FORMAT = "period_format"  # the key of the sentence the page shows


def payment_body(
    customer_id: str, form: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's body for the payment form, and the errors found before asking it (a period
    that is not YEAR-MONTH: `PERIOD_FORMAT`). The amount goes as typed: the API parses money."""
    body: dict[str, Any] = {"customer_id": customer_id}
    errors: dict[str, str] = {}
    for name in (
        "amount",
        "payment_method",
        "payment_for",
        "reference_number",
        "notes",
        "payment_date",
    ):
        value = (form.get(name) or "").strip()
        if value:
            body[name] = value.replace(" ", "") if name == "amount" else value
    if "amount" not in body:
        body["amount"] = ""  # so the API names the field rather than the page guessing words
    period = (form.get("period") or "").strip()
    if period:
        year, _, month = period.partition("-")
        if year.isdigit() and month.isdigit() and len(year) == 4:
            body["period_year"], body["period_month"] = int(year), int(month)
        else:
            errors["period"] = PERIOD_FORMAT
    return body, errors


def payment_field_errors(api_errors: Mapping[str, str]) -> dict[str, str]:
    """The API's field names as the form's (`period_month`/`period_year` are one field)."""
    found: dict[str, str] = {}
    for name, message in api_errors.items():
        field = "period" if name in ("period_month", "period_year") else name
        found.setdefault(field, message.removeprefix("Value error, "))
    return found


def lifecycle_body(action: str, form: Mapping[str, str]) -> dict[str, Any]:
    """The API's body for one lifecycle form; empty optional fields are left out."""
    names = {
        ACTIVATE: ("activation_date",),
        SUSPEND: ("reason",),
        TERMINATE: ("reason", "termination_date"),
        CHANGE_PLAN: ("new_plan_id", "effective_date", "reason"),
    }.get(action, ())
    body: dict[str, Any] = {}
    for name in names:
        value = (form.get(name) or "").strip()
        if value or (name == "reason" and action != CHANGE_PLAN):
            body[name] = value
    return body


def _int(value: Any) -> int:
    number = _decimal(value)
    return int(number) if number is not None else 0


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
