"""The network schema as SQLAlchemy Core tables (the migrations create them)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

SCHEMA = "network"
metadata = MetaData(schema=SCHEMA)


def _versioned() -> list[Column]:  # type: ignore[type-arg]
    return [
        Column("version", BigInteger, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    ]


def _place() -> list[Column]:  # type: ignore[type-arg]
    return [
        Column("location", Text),
        Column("latitude", Numeric(9, 6)),
        Column("longitude", Numeric(9, 6)),
        Column("capacity", Integer, nullable=False),
    ]


olts = Table(
    "olts",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("tenant_id", UUID(as_uuid=True), nullable=False),
    Column("name", String(200), nullable=False),
    Column("ip_address", String(45)),
    Column("snmp_community_encrypted", Text),
    Column("telnet_username", String(64)),
    Column("telnet_password_encrypted", Text),
    Column("location", Text),
    Column("vendor", String(100)),
    Column("is_active", Boolean, nullable=False),
    *_versioned(),
)

odcs = Table(
    "odcs",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("tenant_id", UUID(as_uuid=True), nullable=False),
    Column("olt_id", UUID(as_uuid=True), nullable=False),
    Column("name", String(200), nullable=False),
    *_place(),
    Column("is_active", Boolean, nullable=False),
    *_versioned(),
)

odps = Table(
    "odps",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("tenant_id", UUID(as_uuid=True), nullable=False),
    Column("odc_id", UUID(as_uuid=True), nullable=False),
    Column("name", String(200), nullable=False),
    *_place(),
    Column("is_active", Boolean, nullable=False),
    *_versioned(),
)

customer_placements = Table(
    "customer_placements",
    metadata,
    Column("tenant_id", UUID(as_uuid=True), primary_key=True),
    Column("customer_id", UUID(as_uuid=True), primary_key=True),
    Column("odp_id", UUID(as_uuid=True)),
    Column("odc_id", UUID(as_uuid=True)),
    Column("olt_id", UUID(as_uuid=True)),
    Column("status", String(20), nullable=False),
    Column("is_deleted", Boolean, nullable=False),
    Column("version", BigInteger, nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("tenant_id", UUID(as_uuid=True), nullable=False),
    Column("device_name", String(200), nullable=False),
    Column("device_type", String(20), nullable=False),
    Column("serial_number", String(64)),
    Column("mac_address", String(17)),
    Column("brand", String(100)),
    Column("model", String(100)),
    Column("firmware_version", String(100)),
    Column("ip_address", String(255)),
    Column("subnet_mask", String(45)),
    Column("gateway", String(45)),
    Column("location", Text),
    Column("latitude", Numeric(9, 6)),
    Column("longitude", Numeric(9, 6)),
    Column("status", String(20), nullable=False),
    Column("last_seen", DateTime(timezone=True)),
    Column("customer_id", UUID(as_uuid=True)),
    Column("parent_device_id", UUID(as_uuid=True)),
    Column("installation_date", Date),
    Column("warranty_until", Date),
    Column("purchase_price", Numeric(14, 2)),
    Column("notes", Text),
    Column("mikrotik_username", String(64)),
    Column("mikrotik_password_encrypted", Text),
    Column("mikrotik_port", Integer),
    Column("mikrotik_api_enabled", Boolean, nullable=False),
    Column("is_default_mikrotik", Boolean, nullable=False),
    Column("connection_status", String(20), nullable=False),
    Column("last_connected_at", DateTime(timezone=True)),
    Column("last_sync_at", DateTime(timezone=True)),
    Column("last_sync_result", JSONB),
    *_versioned(),
)

samples = Table(
    "samples",
    metadata,
    Column("tenant_id", UUID(as_uuid=True), nullable=False),
    Column("customer_id", UUID(as_uuid=True), nullable=False),
    Column("sampled_at", DateTime(timezone=True), nullable=False),
    Column("download_speed", Integer, nullable=False),
    Column("upload_speed", Integer, nullable=False),
    Column("download_usage", BigInteger, nullable=False),
    Column("upload_usage", BigInteger, nullable=False),
    Column("onu_status", String(32)),
    Column("signal_strength", Float),
    Column("temperature", Float),
    Column("uptime", BigInteger),
    Column("is_online", Boolean, nullable=False),
    Column("last_seen", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
