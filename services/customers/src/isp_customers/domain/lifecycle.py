"""The customer's state machine, in one table.

pending_activation ──activate──▶ active ──suspend──▶ suspended ──activate──▶ active
        │                          │    (manual)          │ (manual only)
        │                          └──overdue──▶ suspended ──settled──▶ active
        └────────────── terminate (from any live status) ──────────────▶ terminated (final)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from isp_common.errors import InvalidState

from isp_customers.domain.events import CustomerEvent
from isp_customers.domain.status import CustomerStatus, SuspensionCause


class Command(StrEnum):
    ACTIVATE = "activate"
    SUSPEND = "suspend"
    SUSPEND_FOR_OVERDUE = "suspend_for_overdue"
    RESTORE_AFTER_SETTLEMENT = "restore_after_settlement"
    TERMINATE = "terminate"


@dataclass(frozen=True)
class Transition:
    target: CustomerStatus
    event: CustomerEvent
    suspension_cause: SuspensionCause | None = None


_PENDING, _ACTIVE, _SUSPENDED = (
    CustomerStatus.PENDING_ACTIVATION,
    CustomerStatus.ACTIVE,
    CustomerStatus.SUSPENDED,
)
_TERMINATE = Transition(CustomerStatus.TERMINATED, CustomerEvent.TERMINATED)

# (status, cause of the suspension or None, command) → transition; anything absent is refused.
TRANSITIONS: dict[tuple[CustomerStatus, SuspensionCause | None, Command], Transition] = {
    (_PENDING, None, Command.ACTIVATE): Transition(_ACTIVE, CustomerEvent.ACTIVATED),
    (_SUSPENDED, SuspensionCause.MANUAL, Command.ACTIVATE): Transition(
        _ACTIVE, CustomerEvent.RESTORED
    ),
    (_ACTIVE, None, Command.SUSPEND): Transition(
        _SUSPENDED, CustomerEvent.SUSPENDED, SuspensionCause.MANUAL
    ),
    (_ACTIVE, None, Command.SUSPEND_FOR_OVERDUE): Transition(
        _SUSPENDED, CustomerEvent.SUSPENDED, SuspensionCause.OVERDUE
    ),
    (_SUSPENDED, SuspensionCause.OVERDUE, Command.RESTORE_AFTER_SETTLEMENT): Transition(
        _ACTIVE, CustomerEvent.RESTORED
    ),
    (_PENDING, None, Command.TERMINATE): _TERMINATE,
    (_ACTIVE, None, Command.TERMINATE): _TERMINATE,
    (_SUSPENDED, SuspensionCause.MANUAL, Command.TERMINATE): _TERMINATE,
    (_SUSPENDED, SuspensionCause.OVERDUE, Command.TERMINATE): _TERMINATE,
}

_REQUESTED_STATUS = {
    Command.ACTIVATE: CustomerStatus.ACTIVE,
    Command.SUSPEND: CustomerStatus.SUSPENDED,
    Command.SUSPEND_FOR_OVERDUE: CustomerStatus.SUSPENDED,
    Command.RESTORE_AFTER_SETTLEMENT: CustomerStatus.ACTIVE,
    Command.TERMINATE: CustomerStatus.TERMINATED,
}


def is_allowed(status: CustomerStatus, cause: SuspensionCause | None, command: Command) -> bool:
    return (status, cause, command) in TRANSITIONS


def transition(
    status: CustomerStatus, cause: SuspensionCause | None, command: Command
) -> Transition:
    try:
        return TRANSITIONS[(status, cause, command)]
    except KeyError:
        raise InvalidState(
            status.value, _REQUESTED_STATUS[command].value, _refusal(status, cause, command)
        ) from None


def ensure_not_terminated(status: CustomerStatus, requested: str) -> None:
    """Terminated is final: no field, plan or placement of such a customer changes any more."""
    if status is CustomerStatus.TERMINATED:
        raise InvalidState(status.value, requested, "a terminated customer cannot be changed")


def _refusal(status: CustomerStatus, cause: SuspensionCause | None, command: Command) -> str:
    if status is CustomerStatus.TERMINATED:
        return "a terminated customer cannot change status"
    if command is Command.ACTIVATE and cause is SuspensionCause.OVERDUE:
        return "suspended for an overdue account: restored when billing reports it settled"
    requested = _REQUESTED_STATUS[command].value
    return f"cannot go from {status.value} to {requested}"
