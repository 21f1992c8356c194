"""Staff users' rules: roles, the normalised email, and the tenant's last active admin."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from isp_common.errors import InvalidState, ValidationFailed

from isp_identity.domain.accounts import StaffUser, UserStatus
from isp_identity.domain.staff import (
    UserChanges,
    changed_user,
    ensure_an_admin_remains,
    new_staff_user,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def user(*roles: str) -> StaffUser:
    return new_staff_user(
        id=uuid.uuid4(),
        email="  Ana.Admin@Example.COM ",
        full_name="Ana",
        roles=roles or ("admin",),
        now=NOW,
    )


def test_the_email_is_stored_trimmed_and_lower_cased() -> None:
    assert user().email == "ana.admin@example.com"


@pytest.mark.parametrize("roles", [(), ("customer",), ("platform_admin",), ("admin", "root")])
def test_roles_are_a_non_empty_set_of_staff_roles(roles: tuple[str, ...]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        new_staff_user(id=uuid.uuid4(), email="a@b.c", full_name="A", roles=roles, now=NOW)
    assert refused.value.details["fields"][0]["field"] == "roles"


def test_a_change_is_one_version_later_and_no_change_is_none() -> None:
    before = user("support")
    after = changed_user(before, UserChanges(roles=frozenset({"support", "finance"})), NOW)
    assert after is not None
    assert (after.roles, after.version) == (frozenset({"support", "finance"}), 2)
    assert changed_user(before, UserChanges(full_name="Ana", roles=before.roles), NOW) is None


@pytest.mark.parametrize(
    "change",
    [UserChanges(status=UserStatus.DISABLED), UserChanges(roles=frozenset({"viewer"}))],
)
def test_the_last_active_admin_cannot_be_disabled_or_demoted(change: UserChanges) -> None:
    admin = user("admin")
    after = changed_user(admin, change, NOW)
    assert after is not None
    with pytest.raises(InvalidState):
        ensure_an_admin_remains(admin, after, active_admins=1)
    ensure_an_admin_remains(admin, after, active_admins=2)  # another admin remains


def test_changing_a_non_admin_or_keeping_the_role_needs_no_other_admin() -> None:
    admin = user("admin")
    renamed = changed_user(admin, UserChanges(full_name="Ana B."), NOW)
    assert renamed is not None
    ensure_an_admin_remains(admin, renamed, active_admins=1)
    viewer = user("viewer")
    disabled = replace(viewer, status=UserStatus.DISABLED)
    ensure_an_admin_remains(viewer, disabled, active_admins=0)
