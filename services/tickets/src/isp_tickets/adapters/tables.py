"""The tickets schema as SQLAlchemy Core tables (the migrations create them)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import UUID

SCHEMA = "tickets"
metadata = MetaData(schema=SCHEMA)
_UUID = UUID(as_uuid=True)
_TIMESTAMP = DateTime(timezone=True)

tickets = Table(
    "tickets",
    metadata,
    Column("id", _UUID, primary_key=True),
    Column("tenant_id", _UUID, nullable=False),
    Column("ticket_number", String(32), nullable=False),
    Column("customer_id", _UUID),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("category", String(16), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("assigned_to", String(200)),
    Column("sla_due_at", _TIMESTAMP, nullable=False),
    Column("resolved_at", _TIMESTAMP),
    Column("resolution_notes", Text),
    Column("closed_at", _TIMESTAMP),
    Column("version", BigInteger, nullable=False),
    Column("created_at", _TIMESTAMP, nullable=False),
    Column("updated_at", _TIMESTAMP, nullable=False),
)

ticket_activities = Table(
    "ticket_activities",
    metadata,
    Column("seq", BigInteger, primary_key=True),  # an identity: the order they were written
    Column("id", _UUID, nullable=False),
    Column("tenant_id", _UUID, nullable=False),
    Column("ticket_id", _UUID, nullable=False),
    Column("activity_type", String(20), nullable=False),
    Column("description", Text, nullable=False),
    Column("performed_by", String(200), nullable=False),
    Column("from_status", String(16)),
    Column("to_status", String(16)),
    Column("created_at", _TIMESTAMP, nullable=False),
)

sla_policies = Table(
    "sla_policies",
    metadata,
    Column("tenant_id", _UUID, primary_key=True),
    Column("low_hours", Integer, nullable=False),
    Column("medium_hours", Integer, nullable=False),
    Column("high_hours", Integer, nullable=False),
    Column("urgent_hours", Integer, nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", _TIMESTAMP, nullable=False),
)

customers = Table(
    "customers",
    metadata,
    Column("tenant_id", _UUID, primary_key=True),
    Column("id", _UUID, primary_key=True),
    Column("customer_code", String(32), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("is_deleted", Boolean, nullable=False),
    Column("version", BigInteger, nullable=False),
)
