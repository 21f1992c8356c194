"""The audit schema's own tables in SQLAlchemy Core (the migration is their definition)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import UUID

metadata = MetaData(schema="audit")

audit_logs = Table(
    "audit_logs",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("tenant_id", UUID(as_uuid=True), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("category", String(32), nullable=False),
    Column("action", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("customer_id", UUID(as_uuid=True)),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("performed_by", Text, nullable=False),
    Column("ip_address", Text),
    Column("event_id", UUID(as_uuid=True)),
    Column("event_type", Text),
    Column("aggregate_id", UUID(as_uuid=True)),
    Column("correlation_id", Text),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

chain_heads = Table(
    "chain_heads",
    metadata,
    Column("tenant_id", UUID(as_uuid=True), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True)),
)
