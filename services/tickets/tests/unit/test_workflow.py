"""The state machine, exhaustively: every (status, action) pair is allowed exactly when the table
in the module says so, and a refusal names the current and the requested state."""

from __future__ import annotations

import itertools

import pytest

from isp_common.errors import InvalidState

from isp_tickets.domain.status import TicketStatus
from isp_tickets.domain.workflow import Action, ensure_not_closed, is_allowed, transition

OPEN, IN_PROGRESS, RESOLVED, CLOSED = (
    TicketStatus.OPEN,
    TicketStatus.IN_PROGRESS,
    TicketStatus.RESOLVED,
    TicketStatus.CLOSED,
)
# Written out again by hand (not read from the module) so that a change to the table shows up.
EXPECTED = {
    (OPEN, Action.ASSIGN): OPEN,
    (IN_PROGRESS, Action.ASSIGN): IN_PROGRESS,
    (OPEN, Action.START): IN_PROGRESS,
    (IN_PROGRESS, Action.RESOLVE): RESOLVED,
    (RESOLVED, Action.CLOSE): CLOSED,
    (RESOLVED, Action.REOPEN): OPEN,
    (OPEN, Action.CLOSE_FOR_DELETED_CUSTOMER): CLOSED,
    (IN_PROGRESS, Action.CLOSE_FOR_DELETED_CUSTOMER): CLOSED,
    (RESOLVED, Action.CLOSE_FOR_DELETED_CUSTOMER): CLOSED,
}


@pytest.mark.parametrize(("status", "action"), list(itertools.product(TicketStatus, Action)))
def test_every_pair_follows_the_table(status: TicketStatus, action: Action) -> None:
    if (status, action) in EXPECTED:
        assert is_allowed(status, action)
        assert transition(status, action) is EXPECTED[(status, action)]
    else:
        assert not is_allowed(status, action)
        with pytest.raises(InvalidState) as refused:
            transition(status, action)
        assert refused.value.details["current_state"] == status.value
        assert refused.value.details["requested_state"]


def test_closed_is_final() -> None:
    assert not any(is_allowed(CLOSED, action) for action in Action)
    with pytest.raises(InvalidState) as refused:
        ensure_not_closed(CLOSED, "commented")
    assert refused.value.details == {"current_state": "closed", "requested_state": "commented"}
    ensure_not_closed(RESOLVED, "commented")


def test_a_refusal_names_the_target_status() -> None:
    with pytest.raises(InvalidState) as refused:
        transition(OPEN, Action.RESOLVE)
    assert refused.value.details == {"current_state": "open", "requested_state": "resolved"}
    with pytest.raises(InvalidState) as refused:
        transition(RESOLVED, Action.ASSIGN)
    assert refused.value.details == {"current_state": "resolved", "requested_state": "assigned"}


def test_only_the_system_closes_an_unresolved_ticket() -> None:
    for status in (OPEN, IN_PROGRESS):
        assert not is_allowed(status, Action.CLOSE)
        assert is_allowed(status, Action.CLOSE_FOR_DELETED_CUSTOMER)
