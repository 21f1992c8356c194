"""Rules for a tenant's staff users: which roles exist, what a change may do, and the one
invariant of the tenant as a whole, that it always keeps an active admin (or nobody could
manage its users again)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from isp_common.errors import InvalidState, ValidationFailed

from isp_identity.domain.accounts import StaffUser, UserStatus

ADMIN = "admin"
STAFF_ROLES = frozenset({ADMIN, "finance", "support", "technician", "viewer"})


def checked_roles(roles: Iterable[str]) -> frozenset[str]:
    """At least one, all of them staff roles: `customer` and `platform_admin` are not given
    to a tenant's staff (a token with no known role is refused everywhere)."""
    chosen = frozenset(roles)
    unknown = sorted(chosen - STAFF_ROLES)
    if unknown or not chosen:
        rule = (
            f"unknown roles {unknown}: choose from {sorted(STAFF_ROLES)}"
            if unknown
            else "at least one role"
        )
        raise ValidationFailed(f"roles: {rule}", {"fields": [{"field": "roles", "message": rule}]})
    return chosen


def normalised_email(email: str) -> str:
    """Staff log in with their email, case-insensitively: stored lower-cased."""
    return email.strip().lower()


def new_staff_user(
    *, id: UUID, email: str, full_name: str, roles: Iterable[str], now: datetime
) -> StaffUser:
    return StaffUser(
        id=id,
        email=normalised_email(email),
        full_name=full_name,
        roles=checked_roles(roles),
        status=UserStatus.ACTIVE,
        password_hash=None,
        password_changed_at=None,
        totp_secret_encrypted=None,
        totp_enabled=False,
        version=1,
        created_at=now,
        updated_at=now,
    )


def is_active_admin(user: StaffUser) -> bool:
    return user.status is UserStatus.ACTIVE and ADMIN in user.roles


@dataclass(frozen=True, kw_only=True)
class UserChanges:
    """None: unchanged."""

    full_name: str | None = None
    roles: frozenset[str] | None = None
    status: UserStatus | None = None


def changed_user(user: StaffUser, changes: UserChanges, now: datetime) -> StaffUser | None:
    """The user with the changes, one version later; None when nothing changes."""
    values: dict[str, object] = {}
    if changes.full_name is not None and changes.full_name != user.full_name:
        values["full_name"] = changes.full_name
    if changes.roles is not None and checked_roles(changes.roles) != user.roles:
        values["roles"] = checked_roles(changes.roles)
    if changes.status is not None and changes.status is not user.status:
        values["status"] = changes.status
    if not values:
        return None
    return replace(user, **values, version=user.version + 1, updated_at=now)  # type: ignore[arg-type]


def ensure_an_admin_remains(before: StaffUser, after: StaffUser, active_admins: int) -> None:
    """INVALID_STATE when the change takes away the tenant's last active admin (by removing
    the role or by disabling them). `active_admins` counts the tenant's active admins before
    the change, read while the tenant is locked against concurrent changes (Property 35,
    docs/properties.md)."""
    if is_active_admin(before) and not is_active_admin(after) and active_admins <= 1:
        requested = "disabled" if after.status is UserStatus.DISABLED else "without admin"
        raise InvalidState(
            "last active admin",
            requested,
            "a tenant always keeps one active admin: make another user admin first",
        )


def password_changed(user: StaffUser, password_hash: str, now: datetime) -> StaffUser:
    return replace(
        user,
        password_hash=password_hash,
        password_changed_at=now,
        version=user.version + 1,
        updated_at=now,
    )


def reset_requested(user: StaffUser, now: datetime) -> StaffUser:
    """One version later: the event saying a reset token was issued orders with the others."""
    return replace(user, version=user.version + 1, updated_at=now)
