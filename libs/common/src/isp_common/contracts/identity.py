"""identity.*: tenants, staff users, portal accounts and what happens at the login door.

No event carries a password, a hash, a TOTP secret, a token or an activation code.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from isp_common.contracts import register


class TenantSnapshot(BaseModel):
    """A tenant; other services seed their per-tenant settings from it (billing: the name on
    documents, the timezone and the currency)."""

    id: UUID
    slug: str
    name: str
    timezone: str  # IANA name
    currency: str  # ISO 4217
    status: str  # active | disabled
    version: int
    created_at: datetime
    updated_at: datetime


class StaffUserSnapshot(BaseModel):
    id: UUID
    email: str
    full_name: str
    roles: list[str]
    status: str  # active | disabled
    totp_enabled: bool
    version: int
    updated_at: datetime


class PortalAccountSnapshot(BaseModel):
    customer_id: UUID
    enabled: bool
    has_password: bool  # False while only an activation code is outstanding
    version: int
    updated_at: datetime


class LoginAttempt(BaseModel):
    """A failed or refused login. `login_name` is what was typed (it may name no account);
    `subject_id` is set only when it named one."""

    login_name: str
    subject_kind: str | None = None  # user | customer
    subject_id: UUID | None = None
    source_address: str | None = None
    reason: str  # bad_credentials | locked | totp_required | bad_totp | disabled
    locked_until: datetime | None = None
    at: datetime


class SessionRevoked(BaseModel):
    family_id: UUID
    subject_kind: str  # user | customer
    subject_id: UUID
    reason: str  # logout | password_changed | reuse_detected | disabled | …
    at: datetime


for verb in ("created", "updated"):
    register(f"identity.tenant.{verb}", TenantSnapshot, f"A tenant was {verb}.")
for verb, what in (
    ("created", "A staff user was created."),
    ("updated", "A staff user's name, roles or status changed."),
    ("password_changed", "A staff user's password was set or changed."),
    ("password_reset_requested", "A one-time password-reset token was issued for a staff user."),
    ("totp_enabled", "A staff user turned on the TOTP second factor."),
    ("totp_disabled", "A staff user's TOTP second factor was turned off."),
):
    register(f"identity.user.{verb}", StaffUserSnapshot, what)
for verb, what in (
    ("enabled", "Staff enabled a subscriber's portal login (a password or an activation code)."),
    ("activated", "A subscriber set their password with an activation code."),
    ("password_changed", "A subscriber changed their portal password."),
    ("disabled", "A subscriber's portal login was disabled."),
):
    register(f"identity.portal_account.{verb}", PortalAccountSnapshot, what)
register("identity.login.failed", LoginAttempt, "A login failed (the account may not exist).")
register(
    "identity.login.locked",
    LoginAttempt,
    "Repeated failures locked a login name or a source address for a while.",
)
register(
    "identity.session.revoked",
    SessionRevoked,
    "A refresh token family was revoked (logout, password change, reuse of a used token).",
)
