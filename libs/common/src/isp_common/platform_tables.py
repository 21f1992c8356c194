"""The tables every service schema has besides its own: outbox, inbox, consumer versions,
per-tenant counters and idempotency keys. Migrations create them with `create_platform_tables`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

# Not served by any API and read across tenants by the relay, so it is the one table of a
# schema without row-level security (tests/test_rls.py keeps the list closed).
TABLES_WITHOUT_RLS = frozenset({"outbox", "alembic_version"})


# How long an Idempotency-Key holds its answer: a client retries within minutes; after this the
# key is free again, and housekeeping purges the row.
IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class PlatformTables:
    metadata: MetaData
    outbox: Table
    inbox: Table
    consumer_versions: Table
    counters: Table
    idempotency_keys: Table


@cache
def platform_tables(schema: str) -> PlatformTables:
    md = MetaData(schema=schema)
    outbox = Table(
        "outbox",
        md,
        Column("seq", BigInteger, Identity(), primary_key=True),
        Column("id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("tenant_id", UUID(as_uuid=True), nullable=False),
        Column("type", String(200), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    inbox = Table(
        "inbox",
        md,
        Column("consumer", String(200), nullable=False),
        Column("event_id", UUID(as_uuid=True), nullable=False),
        Column("tenant_id", UUID(as_uuid=True), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "event_id"),
        # Housekeeping deletes by age; rows arrive in time order, which BRIN indexes for little.
        Index("ix_inbox_processed_at", "processed_at", postgresql_using="brin"),
    )
    consumer_versions = Table(
        "consumer_versions",
        md,
        Column("tenant_id", UUID(as_uuid=True), nullable=False),
        Column("consumer", String(200), nullable=False),
        Column("aggregate", String(200), nullable=False),
        Column("aggregate_id", UUID(as_uuid=True), nullable=False),
        Column("version", BigInteger, nullable=False),
        # Set on every upsert: housekeeping purges the versions untouched for the retention.
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "aggregate", "aggregate_id"),
    )
    counters = Table(
        "counters",
        md,
        Column("tenant_id", UUID(as_uuid=True), nullable=False),
        Column("name", String(100), nullable=False),
        Column("value", BigInteger, nullable=False),
        PrimaryKeyConstraint("tenant_id", "name"),
    )
    idempotency_keys = Table(
        "idempotency_keys",
        md,
        Column("tenant_id", UUID(as_uuid=True), nullable=False),
        Column("key", String(255), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", SmallInteger),
        Column("response_body", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("tenant_id", "key"),
        Index("ix_idempotency_keys_created_at", "created_at", postgresql_using="brin"),
    )
    return PlatformTables(md, outbox, inbox, consumer_versions, counters, idempotency_keys)
