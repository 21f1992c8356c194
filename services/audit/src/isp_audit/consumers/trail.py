"""The `audit.trail` queue (bound to `#`): every event of the platform becomes one audit row.

Unlike a replica, the trail records every event: of any type (one the contract registry does
not know included, through the fallback handler) and in whatever order they arrive (no version
tracking). The inbox, written in the same transaction as the row, still stops a redelivery.
"""

from __future__ import annotations

from isp_common.messaging.consumer import Consumer
from isp_common.messaging.envelope import Event
from isp_common.messaging.topology import queue_spec

from isp_audit.adapters.unit_of_work import AuditUnitOfWork
from isp_audit.bootstrap import Runtime
from isp_audit.use_cases.ports import UnitOfWork
from isp_audit.use_cases.record_event import record_event


async def _record(event: Event, uow: UnitOfWork) -> None:
    await record_event(uow, event)


def trail_consumer(runtime: Runtime) -> Consumer[AuditUnitOfWork]:
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("audit", "trail"),
        handlers={},
        fallback=_record,
        uow_factory=runtime.unit_of_work,
        track_versions=False,
    )
