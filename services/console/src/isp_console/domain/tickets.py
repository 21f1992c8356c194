"""The support desk's view of tickets: which come first, which are late, what may be done next.

The tickets service decides every transition; this only mirrors its state machine so that a
ticket's page offers the actions its status allows (open → in_progress → resolved → closed,
resolved → open) and the queue shows the most urgent work first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

ACTIVE_STATUSES = ("open", "in_progress")
STATUSES = ("open", "in_progress", "resolved", "closed")
PRIORITIES = ("low", "medium", "high", "urgent")
CATEGORIES = ("technical", "billing", "complaint", "request")
FILTERS = ("status", "priority", "category", "assigned_to", "search")
# The queue's own status choice: everything still to be worked, open and in progress together.
QUEUE = "queue"
EVERY = "all"

# Which workflow steps each status allows, in the order a page offers them.
ACTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    "open": ("assign", "start"),
    "in_progress": ("assign", "resolve"),
    "resolved": ("close", "reopen"),
    "closed": (),
}


def parse_moment(value: Any) -> datetime | None:
    """The API's RFC 3339 time (`Z` or an offset) as an aware datetime; None if absent."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def is_active(ticket: Mapping[str, Any]) -> bool:
    return ticket.get("status") in ACTIVE_STATUSES


def is_breached(ticket: Mapping[str, Any], now: datetime) -> bool:
    """Late: the API says so, or an unresolved ticket's due time has passed since it answered."""
    if ticket.get("sla_breached"):
        return True
    due = parse_moment(ticket.get("sla_due_at"))
    return is_active(ticket) and due is not None and due <= now


def queue_order(tickets: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Work still to do first (open and in progress), each group soonest due first; a ticket
    without a due time goes last in its group, ties by number."""
    far = datetime.max.replace(tzinfo=UTC)

    def key(ticket: Mapping[str, Any]) -> tuple[int, datetime, str]:
        due = parse_moment(ticket.get("sla_due_at")) or far
        return (0 if is_active(ticket) else 1, due, str(ticket.get("ticket_number") or ""))

    return sorted(tickets, key=key)


def allowed_actions(status: str) -> tuple[str, ...]:
    return ACTIONS_BY_STATUS.get(status, ())


def may_comment(status: str) -> bool:
    return status in STATUSES and status != "closed"


def ticket_filters(query: Mapping[str, str]) -> dict[str, str]:
    """The queue's filters from a query string: known values only, blanks dropped. `status`
    is `queue` (the default: open and in progress), `all`, or one status."""
    chosen: dict[str, str] = {}
    status = (query.get("status") or QUEUE).strip()
    chosen["status"] = status if status in (*STATUSES, QUEUE, EVERY) else QUEUE
    for name, allowed in (("priority", PRIORITIES), ("category", CATEGORIES)):
        value = (query.get(name) or "").strip()
        if value in allowed:
            chosen[name] = value
    for name in ("assigned_to", "search"):
        value = " ".join((query.get(name) or "").split())[:100]
        if value:
            chosen[name] = value
    return chosen


def api_filters(filters: Mapping[str, str]) -> dict[str, str]:
    """What the API's `GET /tickets` takes of the queue's filters (`queue`/`all` are ours)."""
    return {
        name: value
        for name, value in filters.items()
        if name in FILTERS and not (name == "status" and value in (QUEUE, EVERY))
    }


def page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return max(1, min(number, 10_000))


def page_slice(items: list[Any], page: int, per_page: int) -> list[Any]:
    start = (page - 1) * per_page
    return items[start : start + per_page]
