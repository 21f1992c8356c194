from __future__ import annotations

from isp_common.contracts.mikrotik import ProvisioningResult

from isp_customers.domain.status import ProvisioningStatus
from isp_customers.use_cases.ports import UnitOfWork


async def apply_provisioning_result(uow: UnitOfWork, result: ProvisioningResult) -> bool:
    """What the agent last did for the customer on the router: `provisioned` or `failed`."""
    ProvisioningStatus(result.status)  # a status the read model does not know is a broken event
    return await uow.provisioning.upsert(result)
