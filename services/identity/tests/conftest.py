"""Identity's own part of its test harness (the rest: isp_common.testing.fixtures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from isp_common.testing import mark_integration, settings_for_test
from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
from isp_common.testing.fixtures import ServiceUnderTest
from isp_common.testing.tenants import ApiTenant

from isp_identity import MIGRATIONS
from isp_identity.app import create_identity_app
from isp_identity.bootstrap import IdentitySettings, Runtime, build_runtime
from isp_identity.worker import build_worker

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)  # integration/, properties/ and api/ talk to real services


def identity_test_settings(database_url: str, **overrides: object) -> IdentitySettings:
    base = settings_for_test("identity", database_url, **overrides)
    return IdentitySettings(**{**base.model_dump(), **overrides})


class Tenant(ApiTenant[Runtime]):
    base_url = "http://identity/api/v1"


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest[Runtime]:
    return ServiceUnderTest(
        "identity",
        MIGRATIONS,
        build_runtime,
        create_identity_app,
        Tenant,
        build_worker=build_worker,
        test_settings=identity_test_settings,
    )


# The login door's world (tokens, keys, logins): tenants, staff users and subscribers' portal
# accounts written through identity's own repositories, so a test logs in as a real account.

LOGIN_PASSWORD = "correct horse battery staple 42"


class FastPasswords:
    """argon2id with the smallest cost: for property tests that hash hundreds of passwords.
    Still the real argon2; only its parameters are cheap."""

    def __init__(self) -> None:
        from argon2 import PasswordHasher

        self._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        self._dummy = self._hasher.hash("no account has this password")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return self._hasher.verify(password_hash or self._dummy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return False


class LoginWorld:
    """One tenant with a slug, and the accounts a test logs in with."""

    def __init__(self, tenant: Tenant, passwords: object | None = None) -> None:
        self.tenant = tenant
        self.runtime = tenant.runtime
        self.passwords = passwords or tenant.runtime.passwords
        self.slug = f"t-{tenant.id.hex[:12]}"

    async def create_tenant(self, status: str = "active") -> LoginWorld:
        from datetime import UTC, datetime

        from isp_identity.domain.tenant import Tenant as TenantRow
        from isp_identity.domain.tenant import TenantStatus

        now = datetime.now(UTC)
        row = TenantRow(
            self.tenant.id,
            self.slug,
            "ISP " + self.slug,
            "Asia/Jakarta",
            "IDR",
            TenantStatus(status),
            1,
            now,
            now,
        )

        async def add(uow: Any) -> None:
            await uow.tenants.add(row)

        await self.runtime.run(self.tenant.id, add)
        return self

    async def staff(
        self,
        roles: tuple[str, ...] = ("admin",),
        password: str | None = LOGIN_PASSWORD,
        status: str = "active",
        email: str | None = None,
    ) -> Any:
        import uuid
        from datetime import UTC, datetime

        from isp_identity.domain.accounts import StaffUser, UserStatus

        now = datetime.now(UTC)
        user = StaffUser(
            id=uuid.uuid4(),
            email=(email or f"staff.{uuid.uuid4().hex[:8]}@example.com").lower(),
            full_name="Sari Admin",
            roles=frozenset(roles),
            status=UserStatus(status),
            password_hash=self.passwords.hash(password) if password else None,  # type: ignore[attr-defined]
            password_changed_at=now if password else None,
            totp_secret_encrypted=None,
            totp_enabled=False,
            version=1,
            created_at=now,
            updated_at=now,
        )

        async def add(uow: Any) -> None:
            await uow.users.add(user)

        await self.runtime.run(self.tenant.id, add)
        return user

    async def subscriber(
        self,
        *,
        code: str | None = None,
        pppoe: str | None = None,
        phone: str | None = None,
        password: str | None = LOGIN_PASSWORD,
        enabled: bool = True,
        activation_code: str | None = None,
    ) -> Any:
        import uuid
        from datetime import UTC, datetime, timedelta

        from isp_identity.domain.accounts import PortalAccount

        now = datetime.now(UTC)
        account = PortalAccount(
            customer_id=uuid.uuid4(),
            customer_code=(code or f"c-{uuid.uuid4().hex[:8]}").lower(),
            pppoe_username=pppoe.lower() if pppoe else None,
            phone=phone,
            customer_status="active",
            customer_deleted=False,
            customer_version=1,
            enabled=enabled,
            password_hash=self.passwords.hash(password) if password else None,  # type: ignore[attr-defined]
            password_changed_at=now if password else None,
            activation_code_hash=(
                self.passwords.hash(activation_code) if activation_code else None  # type: ignore[attr-defined]
            ),
            activation_expires_at=now + timedelta(days=7) if activation_code else None,
            version=1,
            created_at=now,
            updated_at=now,
        )

        async def add(uow: Any) -> None:
            await uow.portal_accounts.save(account)

        await self.runtime.run(self.tenant.id, add)
        return account

    async def login(self, username: str, password: str = LOGIN_PASSWORD, **extra: str) -> Any:
        client = self.tenant.anonymous_client(extra.pop("headers", None))  # type: ignore[arg-type]
        return await client.post(
            "/auth/token",
            data={
                "grant_type": "password",
                "username": username,
                "password": password,
                "tenant": self.slug,
                **extra,
            },
        )


@pytest.fixture
async def world(tenant: Tenant) -> LoginWorld:
    return await LoginWorld(tenant).create_tenant()


@pytest.fixture(scope="session")
def fast_app(runtime: Runtime) -> Any:
    """The identity app on the session's runtime with cheap argon2 parameters (property tests
    log in and change passwords hundreds of times)."""
    import dataclasses

    return create_identity_app(dataclasses.replace(runtime, passwords=FastPasswords()))


@pytest.fixture(scope="session")
def new_fast_world(runtime: Runtime, fast_app: Any, new_tenant: Any) -> Any:
    """Makes a LoginWorld (its tenant created) on `fast_app`."""
    import dataclasses

    fast_runtime = dataclasses.replace(runtime, passwords=FastPasswords())

    async def make() -> LoginWorld:
        tenant = Tenant(fast_runtime, fast_app)
        new_tenant._made.append(tenant)  # closed with the session's tenants
        return await LoginWorld(tenant, fast_runtime.passwords).create_tenant()

    return make
