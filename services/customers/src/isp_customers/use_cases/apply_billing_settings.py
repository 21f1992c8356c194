from __future__ import annotations

from isp_common.contracts.billing import BillingSettingsSnapshot

from isp_customers.use_cases.ports import UnitOfWork


async def apply_billing_settings(uow: UnitOfWork, snapshot: BillingSettingsSnapshot) -> bool:
    """Keeps the tenant's timezone, the zone of the lifecycle dates customers defaults. An older
    snapshot than the one held changes nothing, whatever order the bus delivers them in."""
    return await uow.tenant_settings.upsert(snapshot)
