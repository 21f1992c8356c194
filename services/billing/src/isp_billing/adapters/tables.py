"""The billing schema as SQLAlchemy Core tables (the migrations create them)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

SCHEMA = "billing"
metadata = MetaData(schema=SCHEMA)
_uuid = UUID(as_uuid=True)
_money = Numeric(14, 2)

settings = Table(
    "settings",
    metadata,
    Column("tenant_id", _uuid, primary_key=True),
    Column("isp_name", String(200)),
    Column("address", Text),
    Column("tax_number", String(64)),
    Column("currency", String(3), nullable=False),
    Column("invoice_due_days", Integer, nullable=False),
    Column("daily_run_hour", SmallInteger, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("last_daily_run_on", Date),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", BigInteger, nullable=False, server_default="0"),
    # The tenant's profile as identity last published it, and the seeded fields the tenant set
    # itself (domain.settings.SEEDED_FIELDS).
    Column("tenant_name", String(200)),
    Column("tenant_timezone", String(64)),
    Column("tenant_currency", String(3)),
    Column("tenant_version", BigInteger, nullable=False, server_default="0"),
    Column("own_fields", ARRAY(String(32)), nullable=False, server_default="{}"),
)

service_plans = Table(
    "service_plans",
    metadata,
    Column("id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("name", String(100), nullable=False),
    Column("description", Text),
    Column("bandwidth_download", Integer, nullable=False),
    Column("bandwidth_upload", Integer, nullable=False),
    Column("monthly_price", _money, nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("advanced", JSONB),
    Column("advanced_created_at", DateTime(timezone=True)),
    Column("advanced_updated_at", DateTime(timezone=True)),
    Column("version", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True)),
)

plan_changelog = Table(
    "plan_changelog",
    metadata,
    Column("id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("service_plan_id", _uuid, nullable=False),
    Column("field", String(64), nullable=False),
    Column("old_value", JSONB(none_as_null=True)),
    Column("new_value", JSONB(none_as_null=True)),
    Column("changed_by", String(200)),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("seq", BigInteger),
)

accounts = Table(
    "accounts",
    metadata,
    Column("tenant_id", _uuid, primary_key=True),
    Column("customer_id", _uuid, primary_key=True),
    Column("customer_code", String(64)),
    Column("full_name", String(200)),
    Column("status", String(20), nullable=False),
    Column("service_plan_id", _uuid),
    Column("customer_version", BigInteger, nullable=False),
    Column("is_deleted", Boolean, nullable=False),
    Column("cycle_months", SmallInteger, nullable=False),
    Column("anchor_date", Date),
    Column("periods_billed", Integer, nullable=False),
    Column("next_period_start", Date),
    Column("outstanding_balance", _money, nullable=False),
    Column("credit", _money, nullable=False),
    Column("due_date", Date),
    Column("last_payment_date", Date),
    Column("is_overdue", Boolean, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("invoice_number", String(32), nullable=False),
    Column("customer_id", _uuid, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("source_key", String(100), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("total", _money, nullable=False),
    Column("amount_paid", _money, nullable=False),
    Column("status", String(10), nullable=False),
    Column("lines", JSONB, nullable=False),
    Column("void_reason", Text),
    Column("voided_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("receipt_number", String(32), nullable=False),
    Column("customer_id", _uuid, nullable=False),
    Column("payment_date", Date, nullable=False),
    Column("amount", _money, nullable=False),
    Column("payment_method", String(20), nullable=False),
    Column("payment_for", String(30), nullable=False),
    Column("period_month", SmallInteger),
    Column("period_year", SmallInteger),
    Column("reference_number", String(100)),
    Column("notes", Text),
    Column("processed_by", String(200)),
    Column("status", String(10), nullable=False),
    Column("void_reason", Text),
    Column("voided_at", DateTime(timezone=True)),
    Column("voided_by", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

allocations = Table(
    "allocations",
    metadata,
    Column("id", _uuid, primary_key=True),
    Column("tenant_id", _uuid, nullable=False),
    Column("customer_id", _uuid, nullable=False),
    Column("payment_id", _uuid, nullable=False),
    Column("invoice_id", _uuid, nullable=False),
    Column("amount", _money, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("reversed_at", DateTime(timezone=True)),
)
