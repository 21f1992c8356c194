from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound

from isp_identity.domain.accounts import StaffUser, UserStatus
from isp_identity.domain.refresh import RevocationReason
from isp_identity.domain.sessions import Subject, SubjectKind
from isp_identity.domain.staff import (
    ADMIN,
    UserChanges,
    changed_user,
    ensure_an_admin_remains,
    is_active_admin,
)
from isp_identity.use_cases.account_events import raise_user_event
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.ports import UnitOfWork
from isp_identity.use_cases.sessions import revoke_all_sessions


async def update_user(uow: UnitOfWork, user_id: UUID, changes: UserChanges) -> StaffUser:
    """Changes a user's name, roles or status. The tenant keeps one active admin
    (INVALID_STATE otherwise); disabling a user ends their sessions."""
    # Two admins demoting each other at once must not both succeed: changes that could take
    # away an admin are serialised, and the count is read under that hold.
    await uow.users.hold_admins()
    user = await uow.users.get(user_id, for_update=True)
    if user is None:
        raise NotFound("user")
    now = utc_now()
    changed = changed_user(user, changes, now)
    if changed is None:
        return user
    if is_active_admin(user):
        ensure_an_admin_remains(user, changed, await uow.users.count_active_with_role(ADMIN))
    await uow.users.save(changed)
    raise_user_event(uow, "updated", changed)
    if changed.status is UserStatus.DISABLED and user.status is UserStatus.ACTIVE:
        subject = Subject(SubjectKind.USER, user.id)
        await revoke_all_sessions(uow, subject, RevocationReason.ACCOUNT_DISABLED, now)
    return changed
