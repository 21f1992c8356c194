"""The ticket's state machine, in one table.

open ──start──▶ in_progress ──resolve──▶ resolved ──close──▶ closed (final)
  ▲                                          │
  └──────────────────reopen──────────────────┘

`assign` keeps the status (open or in_progress). A deleted customer's tickets are closed from
any status but closed by `close_for_deleted_customer`, which only the system issues.
"""

from __future__ import annotations

from enum import StrEnum

from isp_common.errors import InvalidState

from isp_tickets.domain.status import TicketStatus


class Action(StrEnum):
    ASSIGN = "assign"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    CLOSE_FOR_DELETED_CUSTOMER = "close_for_deleted_customer"


_OPEN, _IN_PROGRESS, _RESOLVED, _CLOSED = (
    TicketStatus.OPEN,
    TicketStatus.IN_PROGRESS,
    TicketStatus.RESOLVED,
    TicketStatus.CLOSED,
)

# (status, action) → the status after it; anything absent is refused with INVALID_STATE.
TRANSITIONS: dict[tuple[TicketStatus, Action], TicketStatus] = {
    (_OPEN, Action.ASSIGN): _OPEN,
    (_IN_PROGRESS, Action.ASSIGN): _IN_PROGRESS,
    (_OPEN, Action.START): _IN_PROGRESS,
    (_IN_PROGRESS, Action.RESOLVE): _RESOLVED,
    (_RESOLVED, Action.CLOSE): _CLOSED,
    (_RESOLVED, Action.REOPEN): _OPEN,
    (_OPEN, Action.CLOSE_FOR_DELETED_CUSTOMER): _CLOSED,
    (_IN_PROGRESS, Action.CLOSE_FOR_DELETED_CUSTOMER): _CLOSED,
    (_RESOLVED, Action.CLOSE_FOR_DELETED_CUSTOMER): _CLOSED,
}

# What a refusal names as the requested state: the target status, or for `assign` (which keeps
# the status) the state of being assigned.
REQUESTED_STATE = {
    Action.ASSIGN: "assigned",
    Action.START: _IN_PROGRESS.value,
    Action.RESOLVE: _RESOLVED.value,
    Action.CLOSE: _CLOSED.value,
    Action.REOPEN: _OPEN.value,
    Action.CLOSE_FOR_DELETED_CUSTOMER: _CLOSED.value,
}


def is_allowed(status: TicketStatus, action: Action) -> bool:
    return (status, action) in TRANSITIONS


def transition(status: TicketStatus, action: Action) -> TicketStatus:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidState(
            status.value, REQUESTED_STATE[action], _refusal(status, action)
        ) from None


def ensure_not_closed(status: TicketStatus, requested: str) -> None:
    """Closed is final: its fields do not change and it takes no more comments."""
    if status is TicketStatus.CLOSED:
        raise InvalidState(status.value, requested, "a closed ticket cannot be changed")


def _refusal(status: TicketStatus, action: Action) -> str:
    if status is TicketStatus.CLOSED:
        return "a closed ticket cannot be changed"
    if action is Action.ASSIGN:
        return f"a {status.value} ticket cannot be assigned"
    if action is Action.CLOSE:
        return "only a resolved ticket can be closed"
    if action is Action.REOPEN:
        return "only a resolved ticket can be reopened"
    return f"cannot go from {status.value} to {REQUESTED_STATE[action]}"
