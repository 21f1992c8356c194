from __future__ import annotations

from isp_common.errors import NotFound

from isp_identity.domain.tenant import Tenant
from isp_identity.use_cases.ports import UnitOfWork


async def get_tenant(uow: UnitOfWork) -> Tenant:
    """The unit of work's tenant (the route decides whose unit of work the caller may open)."""
    tenant = await uow.tenants.get()
    if tenant is None:
        raise NotFound("tenant")
    return tenant
