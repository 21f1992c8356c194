"""Request bodies of the tenant, user and portal-account routes. Unknown fields are refused;
a password is write-only (never answered, logged or put in an event)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID
from zoneinfo import available_timezones

from pydantic import Field, SecretStr

from isp_common.text import SINGLE_LINE, TEXT_LINE
from isp_common.web import RequestModel

from isp_identity.domain.accounts import UserStatus
from isp_identity.domain.passwords import MAX_LENGTH, MIN_LENGTH
from isp_identity.domain.staff import STAFF_ROLES, UserChanges
from isp_identity.domain.tenant import TenantChanges, TenantStatus
from isp_identity.use_cases.create_tenant import NewTenant
from isp_identity.use_cases.create_user import NewUser

Name = Annotated[str, Field(min_length=1, max_length=200), TEXT_LINE]
Slug = Annotated[
    str,
    Field(
        min_length=3,
        max_length=63,
        pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$",
        description="What logins name the tenant by: lower-case letters, digits, hyphens",
    ),
]
_ZONES = sorted(available_timezones())
Timezone = Annotated[
    str,
    Field(min_length=1, max_length=64, description="IANA name", json_schema_extra={"enum": _ZONES}),
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217")]
# The rest of the policy (not a common password, not the login name) is domain.passwords'.
Password = Annotated[SecretStr, Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)]
# The address is a login name, not a mailbox identity checks: one @, a dot in the domain, no
# blanks or control characters.
_EMAIL_PART = r"[^@\s\x00-\x1f\x7f-\x9f]+"
Email = Annotated[
    str,
    Field(max_length=254, pattern=rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$"),
    SINGLE_LINE,
]
StaffRole = StrEnum("StaffRole", {role: role for role in sorted(STAFF_ROLES)})  # type: ignore[misc]
Roles = Annotated[list[StaffRole], Field(min_length=1, max_length=len(STAFF_ROLES))]


def _revealed(password: SecretStr | None) -> str | None:
    return None if password is None else password.get_secret_value()


class TenantCreate(RequestModel):
    slug: Slug
    name: Name
    timezone: Timezone = "UTC"
    currency: Currency = "IDR"
    admin_email: Email
    admin_full_name: Name
    admin_password: Password | None = Field(
        default=None, description="Without it the answer carries a one-time reset token"
    )
    id: UUID | None = Field(
        default=None,
        description="Adopts a tenant that so far existed only in its tokens (e.g. the demo)",
    )

    def to_command(self) -> NewTenant:
        return NewTenant(
            slug=self.slug,
            name=self.name,
            timezone=self.timezone,
            currency=self.currency,
            admin_email=str(self.admin_email),
            admin_full_name=self.admin_full_name,
            admin_password=_revealed(self.admin_password),
        )


class TenantPatch(RequestModel):
    """Absent or null fields stay as they are; slug and status are the operator's."""

    slug: Slug | None = None
    name: Name | None = None
    timezone: Timezone | None = None
    currency: Currency | None = None
    status: TenantStatus | None = None

    def changes(self) -> TenantChanges:
        return TenantChanges(**self.model_dump())


class UserCreate(RequestModel):
    email: Email
    full_name: Name
    roles: Roles
    password: Password | None = Field(
        default=None, description="Without it the answer carries a one-time reset token"
    )

    def to_command(self) -> NewUser:
        return NewUser(
            email=str(self.email),
            full_name=self.full_name,
            roles=[role.value for role in self.roles],
            password=_revealed(self.password),
        )


class UserPatch(RequestModel):
    """Absent or null fields stay as they are."""

    full_name: Name | None = None
    roles: Roles | None = None
    status: UserStatus | None = Field(
        default=None, description="Disabling a user ends their sessions"
    )

    def changes(self) -> UserChanges:
        return UserChanges(
            full_name=self.full_name,
            roles=None if self.roles is None else frozenset(r.value for r in self.roles),
            status=self.status,
        )


class PortalPassword(RequestModel):
    """Staff set the subscriber's password."""

    password: Password

    @property
    def new_password(self) -> str | None:
        return self.password.get_secret_value()


class PortalActivation(RequestModel):
    """A one-time activation code (answered once) with which the subscriber sets their own."""

    activation: Literal[True]

    @property
    def new_password(self) -> str | None:
        return None


PortalAccountPut = PortalPassword | PortalActivation
