from __future__ import annotations

from datetime import UTC, date, datetime

from isp_customers.domain.dates import check_lifecycle_date, local_today
from isp_customers.use_cases.ports import UnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


async def tenant_today(uow: UnitOfWork, now: datetime) -> date:
    """Today in the tenant's timezone, as billing's settings replica says (docs/customers.md)."""
    return local_today(now, await uow.tenant_settings.timezone())


async def lifecycle_date(uow: UnitOfWork, sent: date | None, now: datetime) -> date:
    """The date a caller sent, checked against the tenant's today, or that today."""
    today = await tenant_today(uow, now)
    if sent is None:
        return today
    check_lifecycle_date(sent, today)
    return sent
