"""The tenant's billing settings: read, replaced (which publishes them), and seeded from the
tenant's profile in identity where the tenant has not set its own (docs/billing.md)."""

from __future__ import annotations

from isp_common.contracts.billing import BillingSettingsSnapshot

from isp_billing.domain.settings import BillingSettings, TenantProfile, own_fields_of, seeded
from isp_billing.use_cases.ports import UnitOfWork


async def get_settings(uow: UnitOfWork) -> BillingSettings:
    return await uow.settings.get()


async def put_settings(uow: UnitOfWork, new: BillingSettings) -> BillingSettings:
    """Publishes billing.settings.updated: customers dates lifecycle changes in the tenant's
    timezone and keeps a replica of it. The seeded fields the body names become the tenant's
    own; those it leaves out take the tenant's profile (else their defaults)."""
    await uow.settings.ensure()
    own = own_fields_of(new)
    _, profile = await uow.settings.seed_state()
    await _store(uow, seeded(new, own, profile), own_fields=own)
    return await uow.settings.get()


async def apply_tenant_profile(uow: UnitOfWork, profile: TenantProfile) -> bool:
    """identity.tenant.*: level-triggered by the profile's version (an older or repeated one
    changes nothing). Whether a setting changed."""
    await uow.settings.ensure()
    own, applied = await uow.settings.seed_state()
    if applied is not None and profile.version <= applied.version:
        return False
    current = await uow.settings.get()
    new = seeded(current, own, profile)
    if new == current:
        await uow.settings.remember_profile(profile)
        return False
    await _store(uow, new, profile=profile)
    return True


async def _store(
    uow: UnitOfWork,
    new: BillingSettings,
    *,
    own_fields: frozenset[str] | None = None,
    profile: TenantProfile | None = None,
) -> None:
    version, updated_at = await uow.settings.put(new, own_fields=own_fields, profile=profile)
    snapshot = BillingSettingsSnapshot(
        timezone=new.timezone, currency=new.currency, version=version, updated_at=updated_at
    )
    uow.raise_event("billing.settings.updated", uow.tenant_id, version, snapshot)
