"""Staff accounts as an admin manages them: the roles one may hold, and reading them off a form."""

from __future__ import annotations

from collections.abc import Iterable

# Identity's staff roles; `customer` and `platform_admin` are never given to staff.
STAFF_ROLES = ("admin", "finance", "support", "technician", "viewer")


def chosen_roles(values: Iterable[str]) -> list[str]:
    """The ticked roles, known ones only, each once, in the table's order."""
    ticked = {value.strip() for value in values}
    return [role for role in STAFF_ROLES if role in ticked]


def next_status(status: str) -> str:
    """What the enable/disable button switches a user to."""
    return "active" if status == "disabled" else "disabled"
