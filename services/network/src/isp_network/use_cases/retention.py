"""The periodic jobs of monitoring: day partitions made ahead, old ones dropped."""

from __future__ import annotations

from datetime import datetime, timedelta

from isp_network.domain.monitoring import RetentionOutcome, days_between
from isp_network.use_cases.ports import Partitions


async def make_partitions_ahead(partitions: Partitions, now: datetime, ahead_days: int) -> int:
    """Yesterday to `ahead_days` from now, so ingest never waits for a partition."""
    return await partitions.ensure(
        days_between(now - timedelta(days=1), now + timedelta(days=ahead_days))
    )


async def apply_retention(
    partitions: Partitions, now: datetime, retention: timedelta
) -> RetentionOutcome:
    """Drops every partition wholly older than the cut-off and trims the one holding it."""
    return await partitions.apply_retention(now - retention)
