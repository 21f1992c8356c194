from __future__ import annotations

from isp_common.errors import Forbidden, NotFound

from isp_identity.domain.tenant import Tenant, TenantChanges
from isp_identity.use_cases.account_events import raise_tenant_event
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.ports import UnitOfWork


async def update_tenant(uow: UnitOfWork, changes: TenantChanges, *, by_operator: bool) -> Tenant:
    """A tenant's admin edits its name, timezone and currency; the slug (what logins name) and
    the status are the platform operator's. CONFLICT for a taken slug."""
    if changes.operator_only and not by_operator:
        raise Forbidden(f"only the platform operator changes {', '.join(changes.operator_only)}")
    tenant = await uow.tenants.get(for_update=True)
    if tenant is None:
        raise NotFound("tenant")
    changed = tenant.changed(changes, utc_now())
    if changed is None:
        return tenant
    await uow.tenants.save(changed)
    raise_tenant_event(uow, "updated", changed)
    return changed
