"""Tenants, staff users and portal accounts as the API shows them: never a hash, a TOTP
secret or a code, except the one-time reveal of a reset token or an activation code."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from isp_identity.domain.accounts import PortalAccount, StaffUser
from isp_identity.domain.portal import activation_pending
from isp_identity.domain.tenant import Tenant
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.create_tenant import CreatedTenant
from isp_identity.use_cases.create_user import CreatedUser
from isp_identity.use_cases.enable_portal_account import EnabledAccount
from isp_identity.use_cases.issue_password_reset import IssuedReset


class TenantOut(BaseModel):
    id: UUID
    slug: str
    name: str
    timezone: str
    currency: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


class UserOut(BaseModel):
    id: UUID
    email: str
    full_name: str
    roles: list[str]
    status: str
    has_password: bool
    totp_enabled: bool
    password_changed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class PasswordResetOut(BaseModel):
    """Shown once: only its hash is kept, and a newer one makes it worthless."""

    reset_token: str
    expires_at: datetime


class CreatedUserOut(UserOut):
    password_reset: PasswordResetOut | None


class CreatedTenantOut(TenantOut):
    admin: CreatedUserOut


class PortalAccountOut(BaseModel):
    customer_id: UUID
    enabled: bool
    has_password: bool
    activation_pending: bool
    activation_expires_at: datetime | None
    # What the subscriber may log in with (lower-cased, as they are matched).
    customer_code: str
    pppoe_username: str | None
    phone: str | None
    customer_status: str
    password_changed_at: datetime | None
    version: int
    updated_at: datetime


class EnabledPortalAccountOut(PortalAccountOut):
    activation_code: str | None  # shown once, when `activation: true` asked for one


def present_tenant(tenant: Tenant) -> TenantOut:
    return TenantOut.model_validate({**vars(tenant), "status": tenant.status.value})


def present_user(user: StaffUser) -> UserOut:
    return UserOut.model_validate(_user_fields(user))


def present_reset(reset: IssuedReset) -> PasswordResetOut:
    return PasswordResetOut(reset_token=reset.reset_token, expires_at=reset.expires_at)


def present_created_user(created: CreatedUser) -> CreatedUserOut:
    reset = present_reset(created.reset) if created.reset else None
    return CreatedUserOut.model_validate({**_user_fields(created.user), "password_reset": reset})


def present_created_tenant(created: CreatedTenant) -> CreatedTenantOut:
    admin = present_created_user(CreatedUser(created.admin, created.reset))
    return CreatedTenantOut.model_validate(
        {**present_tenant(created.tenant).model_dump(), "admin": admin}
    )


def present_portal_account(account: PortalAccount) -> PortalAccountOut:
    return PortalAccountOut.model_validate(_account_fields(account))


def present_enabled(enabled: EnabledAccount) -> EnabledPortalAccountOut:
    return EnabledPortalAccountOut.model_validate(
        {**_account_fields(enabled.account), "activation_code": enabled.activation_code}
    )


def _user_fields(user: StaffUser) -> dict[str, object]:
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "roles": sorted(user.roles),
        "status": user.status.value,
        "has_password": user.password_hash is not None,
        "totp_enabled": user.totp_enabled,
        "password_changed_at": user.password_changed_at,
        "version": user.version,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def _account_fields(account: PortalAccount) -> dict[str, object]:
    pending = activation_pending(account, utc_now())
    return {
        "customer_id": account.customer_id,
        "enabled": account.enabled,
        "has_password": account.password_hash is not None,
        "activation_pending": pending,
        "activation_expires_at": account.activation_expires_at if pending else None,
        "customer_code": account.customer_code,
        "pppoe_username": account.pppoe_username,
        "phone": account.phone,
        "customer_status": account.customer_status,
        "password_changed_at": account.password_changed_at,
        "version": account.version,
        "updated_at": account.updated_at,
    }
