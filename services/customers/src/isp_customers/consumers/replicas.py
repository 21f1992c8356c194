from __future__ import annotations

from isp_common.messaging.consumer import Consumer
from isp_common.messaging.topology import queue_spec

from isp_customers.adapters.unit_of_work import CustomersUnitOfWork
from isp_customers.bootstrap import Runtime
from isp_customers.consumers.handlers import HANDLERS


def replicas_consumer(runtime: Runtime) -> Consumer[CustomersUnitOfWork]:
    """The `customers.replicas` queue: plans, ODPs, accounts and provisioning results."""
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("customers", "replicas"),
        handlers=HANDLERS,
        uow_factory=runtime.unit_of_work,
    )
