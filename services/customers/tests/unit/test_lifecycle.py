from __future__ import annotations

import pytest

from isp_common.errors import InvalidState

from isp_customers.domain.events import CustomerEvent
from isp_customers.domain.lifecycle import Command, ensure_not_terminated, transition
from isp_customers.domain.status import CustomerStatus, SuspensionCause

PENDING = CustomerStatus.PENDING_ACTIVATION
ACTIVE = CustomerStatus.ACTIVE
SUSPENDED = CustomerStatus.SUSPENDED
TERMINATED = CustomerStatus.TERMINATED
MANUAL = SuspensionCause.MANUAL
OVERDUE = SuspensionCause.OVERDUE


@pytest.mark.parametrize(
    ("status", "cause", "command", "target", "event"),
    [
        (PENDING, None, Command.ACTIVATE, ACTIVE, CustomerEvent.ACTIVATED),
        (SUSPENDED, MANUAL, Command.ACTIVATE, ACTIVE, CustomerEvent.RESTORED),
        (ACTIVE, None, Command.SUSPEND, SUSPENDED, CustomerEvent.SUSPENDED),
        (ACTIVE, None, Command.SUSPEND_FOR_OVERDUE, SUSPENDED, CustomerEvent.SUSPENDED),
        (SUSPENDED, OVERDUE, Command.RESTORE_AFTER_SETTLEMENT, ACTIVE, CustomerEvent.RESTORED),
        (PENDING, None, Command.TERMINATE, TERMINATED, CustomerEvent.TERMINATED),
        (ACTIVE, None, Command.TERMINATE, TERMINATED, CustomerEvent.TERMINATED),
        (SUSPENDED, MANUAL, Command.TERMINATE, TERMINATED, CustomerEvent.TERMINATED),
        (SUSPENDED, OVERDUE, Command.TERMINATE, TERMINATED, CustomerEvent.TERMINATED),
    ],
)
def test_allowed_transitions(
    status: CustomerStatus,
    cause: SuspensionCause | None,
    command: Command,
    target: CustomerStatus,
    event: CustomerEvent,
) -> None:
    step = transition(status, cause, command)
    assert (step.target, step.event) == (target, event)


@pytest.mark.parametrize("command", list(Command))
def test_terminated_is_final(command: Command) -> None:
    with pytest.raises(InvalidState) as refused:
        transition(TERMINATED, None, command)
    assert refused.value.details["current_state"] == "terminated"


@pytest.mark.parametrize(
    ("status", "cause", "command", "requested"),
    [
        (ACTIVE, None, Command.ACTIVATE, "active"),
        (PENDING, None, Command.SUSPEND, "suspended"),
        (SUSPENDED, MANUAL, Command.SUSPEND, "suspended"),
        (SUSPENDED, OVERDUE, Command.ACTIVATE, "active"),
        (SUSPENDED, MANUAL, Command.RESTORE_AFTER_SETTLEMENT, "active"),
    ],
)
def test_refusals_name_both_states(
    status: CustomerStatus, cause: SuspensionCause | None, command: Command, requested: str
) -> None:
    with pytest.raises(InvalidState) as refused:
        transition(status, cause, command)
    assert refused.value.code == "INVALID_STATE"
    assert refused.value.details == {"current_state": status.value, "requested_state": requested}


def test_an_overdue_suspension_explains_who_lifts_it() -> None:
    with pytest.raises(InvalidState, match="settled"):
        transition(SUSPENDED, OVERDUE, Command.ACTIVATE)


def test_nothing_changes_a_terminated_customer() -> None:
    ensure_not_terminated(ACTIVE, "updated")
    with pytest.raises(InvalidState):
        ensure_not_terminated(TERMINATED, "updated")
