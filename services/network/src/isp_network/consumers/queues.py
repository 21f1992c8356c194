from __future__ import annotations

from isp_common.messaging.consumer import Consumer
from isp_common.messaging.topology import queue_spec

from isp_network.adapters.unit_of_work import NetworkUnitOfWork
from isp_network.bootstrap import Runtime
from isp_network.consumers.handlers import REPLICA_HANDLERS, traffic_handlers


def replicas_consumer(runtime: Runtime) -> Consumer[NetworkUnitOfWork]:
    """`network.replicas`: customer placements (and purges), and what the agent says of routers."""
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("network", "replicas"),
        handlers=REPLICA_HANDLERS,
        uow_factory=runtime.unit_of_work,
    )


def traffic_consumer(runtime: Runtime) -> Consumer[NetworkUnitOfWork]:
    """`network.traffic`: the agent's traffic samples, on their own queue. Batches are facts,
    not snapshots of an aggregate: an older batch arriving after a newer one still holds
    samples nobody else has, so none is skipped as stale (the inbox still counts each once)."""
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("network", "traffic"),
        handlers=traffic_handlers(runtime.settings.monitoring_retention),
        uow_factory=runtime.unit_of_work,
        track_versions=False,
    )
