"""What a consumer refuses before any handler, inbox or version sees an event.

A refused event goes straight to the dead-letter queue with the reason in `x-error`: no retry
can change the answer, and an SRE can read and replay it from there (docs/operations.md).

- Its type must belong to its `producer`: `customers` emits `customers.*` only (the mapping is
  `isp_common.contracts.producer_of`). A service that publishes another's events, by mistake or
  by design, could otherwise rewrite that service's replicas everywhere.
- It must have occurred within the retention (`inbox_retention_days`). The inbox and the
  aggregate versions that make redelivery harmless are purged after that long, so an older event
  could be applied twice or over a newer version. Any event with a lower version than one
  purged occurred before that one was applied, so it is older than the retention too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from isp_common.contracts import producer_of
from isp_common.messaging.envelope import Event


class EventRefused(Exception):
    """The event can never be applied here; its message says why (the dead letter's x-error)."""


def refusal(event: Event, *, retention: timedelta, now: datetime) -> EventRefused | None:
    expected = producer_of(event.type)
    if event.producer != expected:
        return EventRefused(
            f"producer {event.producer!r} may not emit {event.type}; "
            f"only {expected!r} emits {event.type.split('.', 1)[0]}.* events"
        )
    occurred_at = event.occurred_at
    if occurred_at.tzinfo is None:  # the envelope's times are UTC
        occurred_at = occurred_at.replace(tzinfo=UTC)
    if occurred_at < now - retention:
        return EventRefused(
            f"occurred at {occurred_at.isoformat()}, longer ago than the {retention.days}-day "
            "retention of the inbox and versions (ISP_INBOX_RETENTION_DAYS): applying it could "
            "repeat it or overwrite a newer version"
        )
    return None
