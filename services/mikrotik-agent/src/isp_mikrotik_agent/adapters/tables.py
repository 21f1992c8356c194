"""The mikrotik_agent schema as SQLAlchemy Core tables (the migrations create them)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

SCHEMA = "mikrotik_agent"
metadata = MetaData(schema=SCHEMA)
_uuid = UUID(as_uuid=True)
_tz = DateTime(timezone=True)

routers = Table(
    "routers",
    metadata,
    Column("id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("name", String(200), nullable=False),
    Column("host", String(255)),
    Column("port", Integer, nullable=False),
    Column("username", String(100)),
    Column("password_encrypted", Text),
    Column("is_default", Boolean, nullable=False),
    Column("is_deleted", Boolean, nullable=False),
    Column("device_version", BigInteger, nullable=False),
    Column("connection_status", String(16), nullable=False),
    Column("last_connected_at", _tz),
    Column("last_error", Text),
    Column("last_sync_at", _tz),
    Column("last_sync_result", JSONB),
    Column("sync_requested_at", _tz),
    Column("event_version", BigInteger, nullable=False),
    Column("created_at", _tz, nullable=False),
    Column("updated_at", _tz, nullable=False),
)

router_directory = Table(
    "router_directory",
    metadata,
    Column("router_id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("is_deleted", Boolean, nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("bandwidth_download", Integer, nullable=False),
    Column("bandwidth_upload", Integer, nullable=False),
    Column("burst_rate_download", Integer),
    Column("burst_rate_upload", Integer),
    Column("burst_threshold", Integer),
    Column("burst_time", Integer),
    Column("queue_name_template", String(200)),
    Column("is_deleted", Boolean, nullable=False),
    Column("version", BigInteger, nullable=False),
)

subscribers = Table(
    "subscribers",
    metadata,
    Column("customer_id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("customer_code", String(64), nullable=False),
    Column("status", String(32)),
    Column("is_deleted", Boolean, nullable=False),
    Column("pppoe_username", String(100)),
    Column("pppoe_password_encrypted", Text),
    Column("remote_address", String(64)),
    Column("plan_id", _uuid),
    Column("router_id", _uuid),
    Column("target_router_id", _uuid),
    Column("placed_router_id", _uuid),
    Column("customer_version", BigInteger, nullable=False),
    Column("boost_id", _uuid),
    Column("boost_upload", Integer),
    Column("boost_download", Integer),
    Column("boost_expires_at", _tz),
    Column("revision", BigInteger, nullable=False),
    Column("reconciled_revision", BigInteger, nullable=False),
    Column("reported_version", BigInteger, nullable=False),
    Column("event_version", BigInteger, nullable=False),
    Column("provisioning_status", String(16), nullable=False),
    Column("last_error", Text),
    Column("updated_at", _tz, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("tenant_id", _uuid, primary_key=True),
    Column("suspension_mode", String(16), nullable=False),
    Column("isolation_profile", String(100), nullable=False),
    Column("isolation_address_list", String(100), nullable=False),
    Column("updated_at", _tz, nullable=False),
)

operations = Table(
    "operations",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("router_id", _uuid, nullable=False),
    Column("customer_id", _uuid),
    Column("action", String(16), nullable=False),
    Column("menu", String(64), nullable=False),
    Column("object_name", String(255), nullable=False),
    Column("request", JSONB, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("error", Text),
    Column("at", _tz, nullable=False),
)
