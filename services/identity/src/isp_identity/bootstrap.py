"""Builds what the service runs on from settings: database, unit of work, the secret box that
encrypts signing keys and TOTP secrets, and the key set its own tokens are verified with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from isp_common.runtime import ServiceRuntime, service_database
from isp_common.secrets import SecretBox, service_secret_box
from isp_common.settings import Settings
from isp_common.token_keys import (
    CombinedKeys,
    HmacKeys,
    JwksKeys,
    KeySet,
    accepted_hmac_secrets,
)

from isp_identity.adapters.password_hasher import Argon2Passwords
from isp_identity.adapters.signing import JwtSigner, RsaKeyFactory
from isp_identity.adapters.tenant_directory import TenantDirectory
from isp_identity.adapters.totp import PyotpCodes
from isp_identity.adapters.unit_of_work import IdentityUnitOfWork
from isp_identity.domain.claims import TokenPolicy
from isp_identity.domain.sessions import SigningKey
from isp_identity.domain.tenant import PLATFORM_TENANT_ID
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.login import SecondFactor
from isp_identity.use_cases.sessions import TokenServices
from isp_identity.use_cases.signing_keys import (
    KeyPolicy,
    current_signing_key,
    published_keys,
    replace_unreadable_key,
)

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
    # How often the worker drops keys past their window and makes one when none signs.
    identity_key_rotation_check_seconds: float = Field(default=3600.0, gt=0)
    # Where clients reach identity (the gateway's URL), for the discovery document; when unset,
    # the URL the request came in on.
    identity_public_url: str | None = None

    @property
    def token_issuer(self) -> str:
        """ISP_JWT_ISSUER when set (what every verifier then checks), else ISP_IDENTITY_ISSUER."""
        return self.jwt_issuer or self.identity_issuer

    @property
    def token_policy(self) -> TokenPolicy:
        return TokenPolicy(
            issuer=self.token_issuer,
            audience=self.jwt_audience,
            access_token_seconds=self.identity_access_token_seconds,
            refresh_token_days=self.identity_refresh_token_days,
        )

    @property
    def key_policy(self) -> KeyPolicy:
        return KeyPolicy(self.identity_key_rotation_days, self.identity_access_token_seconds)


@dataclass(frozen=True)
class Runtime(ServiceRuntime[IdentityUnitOfWork]):
    settings: IdentitySettings
    secrets: SecretBox
    passwords: Argon2Passwords
    directory: TenantDirectory
    key_factory: RsaKeyFactory
    signer: JwtSigner
    # Identity verifies its own tokens from its database (create_app's key set).
    local_keys: JwksKeys  # identity's own keys, read from its database
    totp: PyotpCodes
    clock: Callable[[], datetime] = utc_now

    def unit_of_work(self, tenant_id: UUID) -> IdentityUnitOfWork:
        return IdentityUnitOfWork(self.db, tenant_id)

    @property
    def token_services(self) -> TokenServices:
        return TokenServices(self.passwords, self.signer, self.settings.token_policy)

    @property
    def second_factor(self) -> SecondFactor:
        return SecondFactor(self.totp, self.secrets)

    @property
    def key_set(self) -> KeySet:
        """Identity's keys, and the HS256 secrets the settings accept (`isp token` in
        development; production refuses the development secret)."""
        secrets = accepted_hmac_secrets(self.settings)
        return CombinedKeys(self.local_keys, HmacKeys(secrets)) if secrets else self.local_keys


def identity_settings(**overrides: Any) -> IdentitySettings:
    return IdentitySettings(service_name=SERVICE, **overrides)


def build_runtime(settings: IdentitySettings) -> Runtime:
    db = service_database(settings)
    secrets = service_secret_box(settings)
    key_factory = RsaKeyFactory(secrets)

    async def published() -> dict[str, Any]:
        async with IdentityUnitOfWork(db, PLATFORM_TENANT_ID) as uow:
            return await published_keys(uow, utc_now())

    # Identity verifies its own tokens from its database, not over HTTP from itself; read
    # again after a few seconds, and at once (at most once a second) for a kid it lacks: a key
    # another replica made just now.
    local_keys = JwksKeys(
        published, refresh_seconds=5.0, retry_seconds=1.0, source="identity's signing keys"
    )

    async def signing_key_now(now: datetime) -> SigningKey:
        async with IdentityUnitOfWork(db, PLATFORM_TENANT_ID) as uow:
            key = await current_signing_key(uow, key_factory, settings.key_policy, now)
            await uow.commit()
        local_keys.forget()  # the key may be new: this process verifies what it signs at once
        return key

    async def signing_key_instead_of(kid: str, now: datetime) -> SigningKey:
        async with IdentityUnitOfWork(db, PLATFORM_TENANT_ID) as uow:
            key = await replace_unreadable_key(uow, kid, key_factory, settings.key_policy, now)
            await uow.commit()
        local_keys.forget()
        return key

    return Runtime(
        settings=settings,
        db=db,
        secrets=secrets,
        passwords=Argon2Passwords(),
        directory=TenantDirectory(db),
        key_factory=key_factory,
        signer=JwtSigner(secrets, signing_key_now, signing_key_instead_of),
        local_keys=local_keys,
        totp=PyotpCodes(),
    )
