"""Who a login name or a token's subject is: a staff user or a subscriber's portal account,
seen the one way the login door needs."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from isp_common.auth import Principal, Role

from isp_identity.domain.accounts import PortalAccount, StaffUser, UserStatus
from isp_identity.domain.portal import is_closed
from isp_identity.domain.sessions import Subject, SubjectKind
from isp_identity.use_cases.ports import UnitOfWork


@dataclass(frozen=True)
class LoginAccount:
    subject: Subject
    staff: StaffUser | None = None
    portal: PortalAccount | None = None

    @property
    def password_hash(self) -> str | None:
        if self.staff is not None:
            return self.staff.password_hash
        assert self.portal is not None
        return self.portal.password_hash

    @property
    def active(self) -> bool:
        if self.staff is not None:
            return self.staff.status is UserStatus.ACTIVE
        assert self.portal is not None
        return self.portal.enabled and not is_closed(self.portal)

    @property
    def roles(self) -> frozenset[str]:
        return self.staff.roles if self.staff is not None else frozenset({str(Role.CUSTOMER)})

    @property
    def login_names(self) -> list[str]:
        """What a new password must not be."""
        if self.staff is not None:
            return [self.staff.email]
        assert self.portal is not None
        names = [self.portal.customer_code, self.portal.pppoe_username, self.portal.phone]
        return [name for name in names if name]


def _staff(user: StaffUser) -> LoginAccount:
    return LoginAccount(Subject(SubjectKind.USER, user.id), staff=user)


def _portal(account: PortalAccount) -> LoginAccount:
    return LoginAccount(Subject(SubjectKind.CUSTOMER, account.customer_id), portal=account)


async def account_named(uow: UnitOfWork, login_name: str) -> LoginAccount | None:
    """Staff first (by email), then portal accounts (customer code, PPPoE username or phone);
    a name that more than one portal account answers to is nobody's."""
    name = login_name.strip().lower()
    if not name:
        return None
    if "@" in name:
        user = await uow.users.by_email(name)
        if user is not None:
            return _staff(user)
    accounts = await uow.portal_accounts.by_login_name(name)
    return _portal(accounts[0]) if len(accounts) == 1 else None


async def account_of(
    uow: UnitOfWork, subject: Subject, *, for_update: bool = False
) -> LoginAccount | None:
    if subject.kind is SubjectKind.USER:
        user = await uow.users.get(subject.id, for_update=for_update)
        return _staff(user) if user else None
    account = await uow.portal_accounts.get(subject.id, for_update=for_update)
    return _portal(account) if account else None


def subject_of(principal: Principal) -> Subject | None:
    """The account a token speaks for; None for a token naming none (a development token)."""
    if principal.is_customer and principal.customer_id is not None:
        return Subject(SubjectKind.CUSTOMER, principal.customer_id)
    try:
        return Subject(SubjectKind.USER, UUID(principal.sub))
    except ValueError:
        return None
