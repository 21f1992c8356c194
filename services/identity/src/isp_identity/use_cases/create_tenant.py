"""The platform operator creates a tenant and its first admin, in the new tenant's own unit of
work (so row-level security files both rows, and the events, under the new tenant)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

from isp_identity.domain.accounts import StaffUser
from isp_identity.domain.passwords import check_new_password
from isp_identity.domain.staff import ADMIN, new_staff_user, password_changed
from isp_identity.domain.tenant import Tenant
from isp_identity.use_cases.account_events import raise_tenant_event, raise_user_event
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.issue_password_reset import IssuedReset, reset_for
from isp_identity.use_cases.ports import Passwords, UnitOfWork


@dataclass(frozen=True, kw_only=True)
class NewTenant:
    slug: str
    name: str
    timezone: str
    currency: str
    admin_email: str
    admin_full_name: str
    # None: the admin gets a one-time reset token to set their own.
    admin_password: str | None = None


@dataclass(frozen=True)
class CreatedTenant:
    tenant: Tenant
    admin: StaffUser
    reset: IssuedReset | None


async def create_tenant(
    uow: UnitOfWork, command: NewTenant, *, passwords: Passwords, reset_valid_for: timedelta
) -> CreatedTenant:
    """The tenant's id is the unit of work's: a new uuid, or one an operator adopts because
    the tenant so far existed only in its tokens. CONFLICT for a taken slug or id."""
    now = utc_now()
    tenant = Tenant.create(
        id=uow.tenant_id,
        slug=command.slug,
        name=command.name,
        timezone=command.timezone,
        currency=command.currency,
        now=now,
    )
    admin = new_staff_user(
        id=uuid4(),
        email=command.admin_email,
        full_name=command.admin_full_name,
        roles=[ADMIN],
        now=now,
    )
    if command.admin_password is not None:
        check_new_password(command.admin_password, "admin_password", not_like=[admin.email])
    await uow.tenants.add(tenant)
    raise_tenant_event(uow, "created", tenant)
    await uow.users.add(admin)
    raise_user_event(uow, "created", admin)
    if command.admin_password is None:
        reset = await reset_for(uow, admin, valid_for=reset_valid_for, now=now)
        return CreatedTenant(tenant, admin, reset)
    admin = password_changed(admin, passwords.hash(command.admin_password), now)
    await uow.users.save(admin)
    raise_user_event(uow, "password_changed", admin)
    return CreatedTenant(tenant, admin, None)
