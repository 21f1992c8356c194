from __future__ import annotations

from isp_common.messaging.consumer import Consumer
from isp_common.messaging.topology import queue_spec

from isp_billing.adapters.unit_of_work import BillingUnitOfWork
from isp_billing.bootstrap import Runtime
from isp_billing.consumers.handlers import HANDLERS


def replicas_consumer(runtime: Runtime) -> Consumer[BillingUnitOfWork]:
    """The `billing.replicas` queue: customer events keep the accounts, boosts are charged,
    the tenant's profile in identity seeds the settings."""
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("billing", "replicas"),
        handlers=HANDLERS,
        uow_factory=runtime.unit_of_work,
    )
