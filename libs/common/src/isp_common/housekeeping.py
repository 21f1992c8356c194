"""Platform housekeeping: every service's inbox, consumer versions and idempotency keys are purged
on a schedule, by a periodic job that every worker runs (one replica at a time, through the
JobRunner's advisory lock).

- `idempotency_keys`: older than 24 hours (`created_at`): a client retries within minutes.
- `inbox` (`processed_at`) and `consumer_versions` (`updated_at`): older than the retention,
  `inbox_retention_days`. This is safe because a consumer refuses every event that occurred
  longer ago (`messaging.admission`), so no event the purged rows protected against can still
  be applied.

The three tables are under forced row-level security, and housekeeping is the one writer that
must cross tenants. It gets the narrowest opening the platform uses for such scans (billing's
scheduler, boost's expiry scan): two policies per table, SELECT and DELETE only (Postgres checks
the SELECT one for the DELETE's WHERE), visible only to a transaction that sets
`app.housekeeping` and only for rows older than a floor written into the policy itself (a day;
24 hours for idempotency keys). Even a housekeeping transaction cannot read or delete a fresh
row of any tenant, nor insert or update one. The outbox needs no purge: the relay deletes what
the broker confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, Table, text

from isp_common.db import Database
from isp_common.jobs import PeriodicJob
from isp_common.logging import get_logger
from isp_common.platform_tables import IDEMPOTENCY_KEY_LIFETIME
from isp_common.settings import Settings

log = get_logger(__name__)

HOUSEKEEPING_JOB = "platform-housekeeping"
HOUSEKEEPING_SETTING = "app.housekeeping"
# Rows per delete: each batch is its own short transaction, so a large backlog (the first run
# after an upgrade) never holds locks or bloats one transaction.
PURGE_BATCH = 5000
# Per table: the column housekeeping ages rows by, and the floor its policies enforce.
POLICY_FLOORS = {
    "inbox": ("processed_at", "1 day"),
    "consumer_versions": ("updated_at", "1 day"),
    "idempotency_keys": ("created_at", "24 hours"),
}


@dataclass(frozen=True)
class Purged:
    inbox: int
    consumer_versions: int
    idempotency_keys: int


async def purge(db: Database, *, now: datetime, inbox_retention: timedelta) -> Purged:
    """Delete what has outlived its window, in every tenant; returns how many rows went."""
    tables = db.tables
    return Purged(
        inbox=await _purge(db, tables.inbox.c.processed_at, now - inbox_retention),
        consumer_versions=await _purge(
            db, tables.consumer_versions.c.updated_at, now - inbox_retention
        ),
        idempotency_keys=await _purge(
            db, tables.idempotency_keys.c.created_at, now - IDEMPOTENCY_KEY_LIFETIME
        ),
    )


async def _purge(db: Database, column: Column[Any], before: datetime) -> int:
    table = column.table
    assert isinstance(table, Table)
    name = f'"{table.schema}"."{table.name}"'
    # By ctid, a batch at a time: DELETE has no LIMIT. Names come from our own metadata.
    statement = text(
        f"DELETE FROM {name} WHERE ctid = ANY(ARRAY("  # noqa: S608 -- our own identifiers
        f'SELECT ctid FROM {name} WHERE "{column.name}" < :before LIMIT {PURGE_BATCH}))'
    )
    total = 0
    while True:
        async with db.engine.connect() as conn:
            await conn.execution_options(isolation_level="READ COMMITTED")
            async with conn.begin():
                await conn.execute(text(f"SELECT set_config('{HOUSEKEEPING_SETTING}', 'on', true)"))
                deleted = (await conn.execute(statement, {"before": before})).rowcount
        total += deleted
        if deleted < PURGE_BATCH:
            return total


def housekeeping_job(settings: Settings, db: Database) -> PeriodicJob:
    """The job every worker runs (`messaging.worker.Worker` adds it)."""
    retention = timedelta(days=settings.inbox_retention_days)

    async def run() -> None:
        purged = await purge(db, now=datetime.now(UTC), inbox_retention=retention)
        log.info(
            "housekeeping purged",
            inbox=purged.inbox,
            consumer_versions=purged.consumer_versions,
            idempotency_keys=purged.idempotency_keys,
        )

    return PeriodicJob(HOUSEKEEPING_JOB, settings.housekeeping_interval_seconds, run)


# -- the migration every service runs once -------------------------------------------------------


def enable_housekeeping(op: Any, schema: str) -> None:
    """The column, indexes and policies housekeeping needs. A schema created since the column
    and indexes joined `platform_tables` has them already, hence IF NOT EXISTS."""
    op.execute(
        f'ALTER TABLE "{schema}".consumer_versions '
        "ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now()"
    )
    op.execute(
        f'CREATE INDEX IF NOT EXISTS ix_inbox_processed_at ON "{schema}".inbox '
        "USING brin (processed_at)"
    )
    op.execute(
        f"CREATE INDEX IF NOT EXISTS ix_idempotency_keys_created_at "
        f'ON "{schema}".idempotency_keys USING brin (created_at)'
    )
    for table, (column, floor) in POLICY_FLOORS.items():
        allowed = (
            f"current_setting('{HOUSEKEEPING_SETTING}', true) = 'on' "
            f"AND {column} < now() - interval '{floor}'"
        )
        for policy, command in (("housekeeping_reads", "SELECT"), ("housekeeping_purge", "DELETE")):
            op.execute(
                f'CREATE POLICY {policy} ON "{schema}"."{table}" FOR {command} USING ({allowed})'
            )


def disable_housekeeping(op: Any, schema: str) -> None:
    for table in POLICY_FLOORS:
        for policy in ("housekeeping_reads", "housekeeping_purge"):
            op.execute(f'DROP POLICY IF EXISTS {policy} ON "{schema}"."{table}"')
    op.execute(f'DROP INDEX IF EXISTS "{schema}".ix_idempotency_keys_created_at')
    op.execute(f'DROP INDEX IF EXISTS "{schema}".ix_inbox_processed_at')
    op.execute(f'ALTER TABLE "{schema}".consumer_versions DROP COLUMN IF EXISTS updated_at')
