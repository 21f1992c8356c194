"""Bodies and answers of /auth (docs/identity.md). Passwords, codes and tokens are taken exactly
as sent (never trimmed) and never echoed."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from isp_common.secrets import WriteOnlySecret
from isp_common.web import RequestModel

# Never trimmed, never echoed; the password rule itself (domain.passwords) names what it refuses.
Secret = WriteOnlySecret
# No lower bound: a blank value is refused like a wrong one (401), not as malformed.
Code = Annotated[str, Field(max_length=32)]
OpaqueText = Annotated[str, Field(max_length=256)]
Name = Annotated[str, Field(max_length=254)]


class TokenResponse(BaseModel):
    """RFC 6749 §5.1, at the top level (not in the envelope)."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str


class LogoutRequest(RequestModel):
    refresh_token: OpaqueText


class ChangePasswordRequest(RequestModel):
    current_password: Secret
    new_password: Secret


class ResetPasswordRequest(RequestModel):
    token: OpaqueText
    new_password: Secret


class ActivateRequest(RequestModel):
    tenant: Annotated[str, Field(max_length=63)]
    username: Name
    activation_code: Code
    new_password: Secret


class TotpConfirmRequest(RequestModel):
    code: Code


class TotpDisableRequest(RequestModel):
    password: Secret


class MeView(BaseModel):
    sub: str
    tenant_id: UUID
    roles: list[str]
    kind: str  # user | customer | token
    customer_id: UUID | None
    email: str | None
    full_name: str | None
    totp_enabled: bool


class TotpSetupView(BaseModel):
    """Shown once: the authenticator app takes the URI (as a QR code) or the secret."""

    secret: str
    otpauth_uri: str


class TotpStateView(BaseModel):
    totp_enabled: bool
