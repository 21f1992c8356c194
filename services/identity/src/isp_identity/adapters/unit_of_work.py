from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import UnitOfWork

from isp_identity.adapters.account_repositories import (
    SqlPortalAccountRepository,
    SqlTenantRepository,
    SqlUserRepository,
)
from isp_identity.adapters.one_time_token_repository import SqlOneTimeTokenRepository
from isp_identity.adapters.session_repositories import (
    SqlSessionRepository,
    SqlSigningKeyRepository,
    SqlThrottleRepository,
    SqlTotpStepRepository,
)


class IdentityUnitOfWork(UnitOfWork):
    """One transaction of the identity schema for one tenant (see isp_common.db.UnitOfWork)."""

    tenants: SqlTenantRepository
    users: SqlUserRepository
    portal_accounts: SqlPortalAccountRepository
    sessions: SqlSessionRepository
    one_time_tokens: SqlOneTimeTokenRepository
    throttle: SqlThrottleRepository
    signing_keys: SqlSigningKeyRepository
    totp_steps: SqlTotpStepRepository

    def _bind_repositories(self, connection: AsyncConnection) -> None:
        self.tenants = SqlTenantRepository(connection, self.tenant_id)
        self.users = SqlUserRepository(connection, self.tenant_id)
        self.portal_accounts = SqlPortalAccountRepository(connection, self.tenant_id)
        self.sessions = SqlSessionRepository(connection, self.tenant_id)
        self.one_time_tokens = SqlOneTimeTokenRepository(connection, self.tenant_id)
        self.throttle = SqlThrottleRepository(connection, self.tenant_id)
        self.signing_keys = SqlSigningKeyRepository(connection, self.tenant_id)
        self.totp_steps = SqlTotpStepRepository(connection, self.tenant_id)
