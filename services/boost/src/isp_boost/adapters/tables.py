"""The boost schema as SQLAlchemy Core tables (the migrations create them)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import UUID

SCHEMA = "boost"
metadata = MetaData(schema=SCHEMA)
_uuid = UUID(as_uuid=True)
_tz = DateTime(timezone=True)

pricing = Table(
    "pricing",
    metadata,
    Column("tenant_id", _uuid, primary_key=True),
    Column("price_per_hour", Numeric(14, 2), nullable=False),
    Column("updated_at", _tz, nullable=False),
    Column("updated_by", String(200), nullable=False),
)

customers = Table(
    "customers",
    metadata,
    Column("tenant_id", _uuid, primary_key=True),
    Column("id", _uuid, primary_key=True),
    Column("status", String(20), nullable=False),
    Column("service_plan_id", _uuid),
    Column("is_deleted", Boolean, nullable=False),
    Column("version", BigInteger, nullable=False),
)

service_plans = Table(
    "service_plans",
    metadata,
    Column("tenant_id", _uuid, primary_key=True),
    Column("id", _uuid, primary_key=True),
    Column("bandwidth_download", Integer, nullable=False),
    Column("bandwidth_upload", Integer, nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("is_deleted", Boolean, nullable=False),
    Column("version", BigInteger, nullable=False),
)

boost_requests = Table(
    "boost_requests",
    metadata,
    Column("id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("customer_id", _uuid, nullable=False),
    Column("request_number", String(32), nullable=False),
    Column("requested_speed_download", Integer, nullable=False),
    Column("requested_speed_upload", Integer, nullable=False),
    Column("duration_hours", Integer, nullable=False),
    Column("price_per_hour", Numeric(14, 2), nullable=False),
    Column("total_price", Numeric(14, 2), nullable=False),
    Column("status", String(16), nullable=False),
    Column("requested_at", _tz, nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("customer_notes", Text),
    Column("admin_notes", Text),
    Column("approved_at", _tz),
    Column("approved_by", String(200)),
    Column("rejected_at", _tz),
    Column("rejected_by", String(200)),
    Column("rejection_reason", Text),
    Column("activated_at", _tz),
    Column("expires_at", _tz),
    Column("ended_at", _tz),
    Column("end_reason", String(32)),
    Column("original_speed_download", Integer),
    Column("original_speed_upload", Integer),
    Column("version", BigInteger, nullable=False),
    Column("created_at", _tz, nullable=False),
    Column("updated_at", _tz, nullable=False),
)

boost_history = Table(
    "boost_history",
    metadata,
    Column("id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("customer_id", _uuid, nullable=False),
    Column("request_id", _uuid, nullable=False),
    Column("original_speed_download", Integer, nullable=False),
    Column("original_speed_upload", Integer, nullable=False),
    Column("boosted_speed_download", Integer, nullable=False),
    Column("boosted_speed_upload", Integer, nullable=False),
    Column("started_at", _tz, nullable=False),
    Column("expires_at", _tz, nullable=False),
    Column("ended_at", _tz),
    Column("end_reason", String(32)),
    Column("is_active", Boolean, nullable=False),
    Column("created_at", _tz, nullable=False),
)
