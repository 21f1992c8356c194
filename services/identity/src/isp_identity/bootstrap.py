"""Builds what the service runs on from settings: database, unit of work, the secret box that
encrypts signing keys and TOTP secrets, and the key set its own tokens are verified with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import Field

from isp_common.runtime import ServiceRuntime, service_database
from isp_common.secrets import SecretBox, service_secret_box
from isp_common.settings import Settings

from isp_identity.adapters.password_hasher import Argon2Passwords
from isp_identity.adapters.unit_of_work import IdentityUnitOfWork

SERVICE = "identity"


class IdentitySettings(Settings):
    """ISP_IDENTITY_* (docs/configuration.md)."""

    identity_access_token_seconds: int = Field(default=900, ge=60, le=3600)
    identity_refresh_token_days: int = Field(default=30, ge=1, le=365)
    identity_key_rotation_days: int = Field(default=30, ge=1, le=365)
    identity_reset_token_hours: int = Field(default=24, ge=1, le=168)
    identity_activation_code_days: int = Field(default=7, ge=1, le=90)
    # What iss the tokens carry; verifiers check it when ISP_JWT_ISSUER is set.
    identity_issuer: str = "isp-identity"


@dataclass(frozen=True)
class Runtime(ServiceRuntime[IdentityUnitOfWork]):
    settings: IdentitySettings
    secrets: SecretBox
    passwords: Argon2Passwords

    def unit_of_work(self, tenant_id: UUID) -> IdentityUnitOfWork:
        return IdentityUnitOfWork(self.db, tenant_id)


def identity_settings(**overrides: Any) -> IdentitySettings:
    return IdentitySettings(service_name=SERVICE, **overrides)


def build_runtime(settings: IdentitySettings) -> Runtime:
    return Runtime(
        settings=settings,
        db=service_database(settings),
        secrets=service_secret_box(settings),
        passwords=Argon2Passwords(),
    )
