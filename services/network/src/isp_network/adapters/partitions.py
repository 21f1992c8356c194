"""Day partitions of the samples table, made ahead and dropped by retention.

The service's role may not create or drop tables: it calls the two SECURITY DEFINER functions
the migration made, on a connection of its own (autocommit), never inside a request's
transaction, so a partition is there before the rows that need it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text

from isp_common.db import Database

from isp_network.domain.monitoring import RetentionOutcome


class SamplePartitions:
    def __init__(self, db: Database) -> None:
        self._db = db
        # Days known to have a partition in this process; retention (maybe elsewhere) can drop
        # one, which the insert notices and repairs (see SqlMonitoringRepository.insert).
        self._known: set[date] = set()

    async def ensure(self, days: list[date]) -> int:
        missing = [day for day in days if day not in self._known]
        if not missing:
            return 0
        async with self._db.engine.connect() as conn:
            made = await conn.scalar(
                text(f'SELECT "{self._db.schema}".ensure_sample_partitions(:first, :last)'),
                {"first": min(missing), "last": max(missing)},
            )
        self._known.update(missing)
        return int(made or 0)

    def forget(self) -> None:
        self._known.clear()

    async def apply_retention(self, cutoff: datetime) -> RetentionOutcome:
        retain = f'SELECT * FROM "{self._db.schema}".apply_sample_retention(:cutoff)'  # noqa: S608
        async with self._db.engine.connect() as conn:
            row = (
                await conn.execute(
                    text(retain),
                    {"cutoff": cutoff},
                )
            ).one()
        self.forget()
        # The function clamps the cut-off to its owner's floor: it answers the one it applied.
        return RetentionOutcome(row.applied_cutoff, int(row.dropped), int(row.trimmed))
