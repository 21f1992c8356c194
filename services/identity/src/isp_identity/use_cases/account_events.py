"""The snapshots identity's account events carry (never a hash, a secret or a code), and the
clock the account use cases read."""

from __future__ import annotations

from isp_common.contracts.identity import PortalAccountSnapshot, StaffUserSnapshot, TenantSnapshot

from isp_identity.domain.accounts import PortalAccount, StaffUser
from isp_identity.domain.tenant import Tenant
from isp_identity.use_cases.ports import UnitOfWork


def tenant_snapshot(tenant: Tenant) -> TenantSnapshot:
    return TenantSnapshot(
        id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        timezone=tenant.timezone,
        currency=tenant.currency,
        status=tenant.status.value,
        version=tenant.version,
        created_at=tenant.created_at,
        updated_at=tenant.updated_at,
    )


def user_snapshot(user: StaffUser) -> StaffUserSnapshot:
    return StaffUserSnapshot(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        roles=sorted(user.roles),
        status=user.status.value,
        totp_enabled=user.totp_enabled,
        version=user.version,
        updated_at=user.updated_at,
    )


def portal_snapshot(account: PortalAccount) -> PortalAccountSnapshot:
    return PortalAccountSnapshot(
        customer_id=account.customer_id,
        enabled=account.enabled,
        has_password=account.password_hash is not None,
        version=account.version,
        updated_at=account.updated_at,
    )


def raise_tenant_event(uow: UnitOfWork, verb: str, tenant: Tenant) -> None:
    uow.raise_event(f"identity.tenant.{verb}", tenant.id, tenant.version, tenant_snapshot(tenant))


def raise_user_event(uow: UnitOfWork, verb: str, user: StaffUser) -> None:
    uow.raise_event(f"identity.user.{verb}", user.id, user.version, user_snapshot(user))


def raise_portal_event(uow: UnitOfWork, verb: str, account: PortalAccount) -> None:
    uow.raise_event(
        f"identity.portal_account.{verb}",
        account.customer_id,
        account.version,
        portal_snapshot(account),
    )
