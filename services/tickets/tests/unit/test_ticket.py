"""The entity: each change is one version up with one activity and the right event; resolved_at
follows the resolution; SLA due times and breaches."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from isp_common.errors import InvalidState

from isp_tickets.domain.events import TicketEvent
from isp_tickets.domain.sla import DEFAULT_SLA, SlaPolicy, is_breached
from isp_tickets.domain.status import ActivityType, Category, Priority, TicketStatus
from isp_tickets.domain.ticket import Ticket, TicketChange, next_timestamp, ticket_number

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def opened(priority: Priority = Priority.MEDIUM, sla: SlaPolicy = DEFAULT_SLA) -> Ticket:
    change = Ticket.open(
        number=ticket_number(7),
        customer_id=uuid.uuid4(),
        title="Slow at night",
        description="Speed drops after 20:00",
        category=Category.TECHNICAL,
        priority=priority,
        assigned_to=None,
        sla=sla,
        by="agent",
        now=T0,
    )
    assert change.event is TicketEvent.CREATED
    assert change.activity.activity_type is ActivityType.CREATED
    return change.ticket


def test_opening_numbers_and_dates_the_ticket() -> None:
    ticket = opened(Priority.URGENT)
    assert ticket.ticket_number == "TKT-000007"
    assert (ticket.status, ticket.version) == (TicketStatus.OPEN, 1)
    assert ticket.sla_due_at == T0 + timedelta(hours=4)
    custom = opened(Priority.LOW, SlaPolicy(low_hours=100))
    assert custom.sla_due_at == T0 + timedelta(hours=100)


def test_resolve_sets_resolved_at_and_reopen_clears_it() -> None:
    started = opened().start(by="tech", now=T0 + timedelta(hours=1)).ticket
    assert started.resolved_at is None
    change = started.resolve("Rebooted the OLT port", by="tech", now=T0 + timedelta(hours=2))
    resolved = change.ticket
    assert resolved.status is TicketStatus.RESOLVED
    assert resolved.resolved_at == resolved.updated_at == T0 + timedelta(hours=2)
    assert resolved.resolution_notes == "Rebooted the OLT port"
    assert (change.activity.from_status, change.activity.to_status) == (
        TicketStatus.IN_PROGRESS,
        TicketStatus.RESOLVED,
    )
    reopened = resolved.reopen("Again", by="agent", now=T0 + timedelta(hours=3)).ticket
    assert (reopened.status, reopened.resolved_at, reopened.resolution_notes) == (
        TicketStatus.OPEN,
        None,
        None,
    )
    closed = resolved.close(by="agent", now=T0 + timedelta(hours=4)).ticket
    assert closed.resolved_at == resolved.resolved_at
    assert closed.closed_at == closed.updated_at


def test_every_change_is_one_version_up_with_its_event() -> None:
    ticket = opened()
    changes: list[tuple[Callable[[Ticket], TicketChange], TicketEvent]] = [
        (lambda t: t.assign("tech", by="a", now=T0), TicketEvent.ASSIGNED),
        (lambda t: t.comment("On my way", by="tech", now=T0), TicketEvent.COMMENTED),
        (lambda t: t.start(by="tech", now=T0), TicketEvent.STARTED),
        (lambda t: t.resolve("Done", by="tech", now=T0), TicketEvent.RESOLVED),
        (lambda t: t.close(by="a", now=T0), TicketEvent.CLOSED),
    ]
    for make, event in changes:
        change = make(ticket)
        assert change.event is event
        assert change.ticket.version == ticket.version + 1
        assert change.ticket.updated_at > ticket.updated_at  # even with a clock standing still
        assert change.activity.ticket_id == ticket.id
        ticket = change.ticket


def test_a_refused_change_raises_before_building_anything() -> None:
    ticket = opened()
    with pytest.raises(InvalidState):
        ticket.close(by="a", now=T0)
    with pytest.raises(InvalidState):
        ticket.resolve("x", by="a", now=T0)


def test_a_new_priority_moves_the_due_time_from_opening() -> None:
    ticket = opened(Priority.LOW)
    change = ticket.update(
        {"priority": Priority.URGENT}, DEFAULT_SLA, by="a", now=T0 + timedelta(hours=1)
    )
    assert change is not None
    assert change.ticket.sla_due_at == T0 + timedelta(hours=4)
    assert "priority from low to urgent" in change.activity.description
    assert (
        ticket.update(
            {"priority": Priority.LOW, "title": ticket.title}, DEFAULT_SLA, by="a", now=T0
        )
        is None
    )


def test_breach_is_judged_when_the_clock_stopped() -> None:
    due = T0 + timedelta(hours=4)
    assert not is_breached(due, None, None, due)
    assert is_breached(due, None, None, due + timedelta(seconds=1))
    assert not is_breached(due, due - timedelta(hours=1), None, due + timedelta(days=9))
    assert is_breached(due, None, due + timedelta(hours=1), due + timedelta(days=9))


def test_timestamps_never_move_backwards() -> None:
    assert next_timestamp(T0, T0 - timedelta(hours=1)) == T0 + timedelta(microseconds=1)
    assert next_timestamp(T0, T0 + timedelta(hours=1)) == T0 + timedelta(hours=1)
