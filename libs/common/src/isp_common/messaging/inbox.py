"""What a consumer has seen: the inbox (one row per event id) and the newest version of each
aggregate it applied, both written in the transaction of the handler's effects."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.messaging.envelope import Event
from isp_common.platform_tables import PlatformTables


async def record_in_inbox(
    connection: AsyncConnection, tables: PlatformTables, consumer: str, event: Event
) -> bool:
    """False if `consumer` has seen the event. A concurrent delivery of the same event waits
    here on the first one's row, so only one of them ever proceeds."""
    inbox = tables.inbox
    stmt = (
        insert(inbox)
        .values(
            consumer=consumer,
            event_id=event.id,
            tenant_id=event.tenant_id,
            event_type=event.type,
        )
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
    return (await connection.execute(stmt)).first() is not None


async def advance_version(
    connection: AsyncConnection, tables: PlatformTables, consumer: str, event: Event
) -> bool:
    """False if `consumer` already applied this or a later version of the aggregate. One
    statement, so two versions handled at once cannot both think they are the newest."""
    versions = tables.consumer_versions
    new = insert(versions).values(
        tenant_id=event.tenant_id,
        consumer=consumer,
        aggregate=event.aggregate,
        aggregate_id=event.aggregate_id,
        version=event.aggregate_version,
        updated_at=func.now(),
    )
    stmt = new.on_conflict_do_update(
        index_elements=[versions.c.consumer, versions.c.aggregate, versions.c.aggregate_id],
        # updated_at is what housekeeping purges by: a row untouched for the retention can only
        # be outdone by events the consumer refuses anyway.
        set_={"version": new.excluded.version, "updated_at": new.excluded.updated_at},
        where=versions.c.version < new.excluded.version,
    ).returning(versions.c.version)
    return (await connection.execute(stmt)).first() is not None
