from __future__ import annotations

from datetime import UTC, datetime

from isp_mikrotik_agent.domain.desired import SuspensionSettings
from isp_mikrotik_agent.use_cases.ports import UnitOfWork


async def get_settings(uow: UnitOfWork) -> SuspensionSettings:
    return await uow.desired.settings()


async def put_settings(uow: UnitOfWork, value: SuspensionSettings) -> SuspensionSettings:
    """A new mode or name changes what every suspended subscriber looks like: all are dirty."""
    if value != await uow.desired.settings():
        await uow.desired.save_settings(value, datetime.now(UTC))
        await uow.desired.touch_all()
        await uow.desired.notify()
    return value
