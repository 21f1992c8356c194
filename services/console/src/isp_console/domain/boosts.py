"""The boost approval queue: who waits longest is decided first, approved ones wait to start."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

STATUSES = ("pending", "approved", "rejected", "activated", "expired")
# Which decision each status still allows, in the order the queue offers them.
ACTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    "pending": ("approve", "reject"),
    "approved": ("activate", "reject"),
}


def approval_queue(
    pending: Iterable[Mapping[str, Any]], approved: Iterable[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Pending requests first, then approved ones still to activate; each oldest first."""

    def by_age(request: Mapping[str, Any]) -> tuple[str, str]:
        return (str(request.get("requested_at") or ""), str(request.get("request_number") or ""))

    return sorted(pending, key=by_age) + sorted(approved, key=by_age)


def allowed_actions(status: str) -> tuple[str, ...]:
    return ACTIONS_BY_STATUS.get(status, ())


def customer_ids(requests: Iterable[Mapping[str, Any]]) -> list[str]:
    """Each customer once, in the order they first appear."""
    seen: dict[str, None] = {}
    for request in requests:
        if request.get("customer_id"):
            seen.setdefault(str(request["customer_id"]), None)
    return list(seen)


def speed_label(kbps: Any) -> str:
    """kbps as people say it: 20 Mbps, 512 kbps."""
    try:
        value = int(kbps)
    except (TypeError, ValueError):
        return "—"
    if value >= 1000 and value % 1000 == 0:
        return f"{value // 1000} Mbps"
    if value >= 1000:
        return f"{value / 1000:.1f} Mbps"
    return f"{value} kbps"


def status_filter(value: str | None) -> str:
    return value if value in STATUSES else ""
