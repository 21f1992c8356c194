"""The boost request's state machine, in one table.

pending ──approve──▶ approved ──activate──▶ activated ──expire──▶ expired
   │                    │                       └──────end───────▶ ended (early)
   └──reject──▶ rejected ◀──reject──┘

Rejected, expired and ended are final. Anything not in the table is refused with INVALID_STATE,
naming the current and the requested status.
"""

from __future__ import annotations

from enum import StrEnum

from isp_common.errors import InvalidState

from isp_boost.domain.status import BoostStatus


class Command(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    ACTIVATE = "activate"
    EXPIRE = "expire"
    END = "end"


TRANSITIONS: dict[tuple[BoostStatus, Command], BoostStatus] = {
    (BoostStatus.PENDING, Command.APPROVE): BoostStatus.APPROVED,
    (BoostStatus.PENDING, Command.REJECT): BoostStatus.REJECTED,
    # An approved request not yet activated can still be turned down (or withdrawn because the
    # customer went away).
    (BoostStatus.APPROVED, Command.REJECT): BoostStatus.REJECTED,
    (BoostStatus.APPROVED, Command.ACTIVATE): BoostStatus.ACTIVATED,
    (BoostStatus.ACTIVATED, Command.EXPIRE): BoostStatus.EXPIRED,
    (BoostStatus.ACTIVATED, Command.END): BoostStatus.ENDED,
}

REQUESTED_STATUS = {
    Command.APPROVE: BoostStatus.APPROVED,
    Command.REJECT: BoostStatus.REJECTED,
    Command.ACTIVATE: BoostStatus.ACTIVATED,
    Command.EXPIRE: BoostStatus.EXPIRED,
    Command.END: BoostStatus.ENDED,
}


def is_allowed(status: BoostStatus, command: Command) -> bool:
    return (status, command) in TRANSITIONS


def transition(status: BoostStatus, command: Command) -> BoostStatus:
    try:
        return TRANSITIONS[(status, command)]
    except KeyError:
        requested = REQUESTED_STATUS[command]
        message = (
            f"a {status.value} boost request is final"
            if status.is_final
            else f"cannot go from {status.value} to {requested.value}"
        )
        raise InvalidState(status.value, requested.value, message) from None
