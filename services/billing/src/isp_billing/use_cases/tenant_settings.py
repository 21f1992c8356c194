"""The tenant's billing settings: read, and replaced (which publishes them)."""

from __future__ import annotations

from isp_common.contracts.billing import BillingSettingsSnapshot

from isp_billing.domain.settings import BillingSettings
from isp_billing.use_cases.ports import UnitOfWork


async def get_settings(uow: UnitOfWork) -> BillingSettings:
    return await uow.settings.get()


async def put_settings(uow: UnitOfWork, new: BillingSettings) -> BillingSettings:
    """Publishes billing.settings.updated: customers dates lifecycle changes in the tenant's
    timezone and keeps a replica of it."""
    version, updated_at = await uow.settings.put(new)
    snapshot = BillingSettingsSnapshot(
        timezone=new.timezone, currency=new.currency, version=version, updated_at=updated_at
    )
    uow.raise_event("billing.settings.updated", uow.tenant_id, version, snapshot)
    return await uow.settings.get()
