"""Customers, the replicas of plans, ODPs, accounts and provisioning results, and the platform tables.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from isp_common.migrations import create_platform_tables, enable_tenant_rls
from isp_common.platform_tables import platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LIVE = "deleted_at IS NULL"
HOLDS_ROUTER_ACCOUNT = "deleted_at IS NULL AND status <> 'terminated'"
SEARCH_DOCUMENT = (
    "full_name || E'\\n' || customer_code || E'\\n' || phone || E'\\n' "
    "|| coalesce(email, '') || E'\\n' || coalesce(pppoe_username, '')"
)


def upgrade(schema: str = "customers") -> None:
    create_platform_tables(op, schema)
    # Trigram search; the extension needs the owner, which migrations run as.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")

    uuid = UUID(as_uuid=True)
    op.create_table(
        "customers",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("customer_code", sa.String(32), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("nik", sa.String(32)),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("email", sa.String(254)),
        sa.Column("photo_url", sa.String(1000)),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("rt", sa.String(8)),
        sa.Column("rw", sa.String(8)),
        sa.Column("kelurahan", sa.String(100)),
        sa.Column("kecamatan", sa.String(100)),
        sa.Column("city", sa.String(100)),
        sa.Column("postal_code", sa.String(10)),
        sa.Column("latitude", sa.Numeric(9, 6)),
        sa.Column("longitude", sa.Numeric(9, 6)),
        sa.Column("house_photo_url", sa.String(1000)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("suspension_reason", sa.Text),
        sa.Column("suspension_cause", sa.String(16)),
        sa.Column("service_plan_id", uuid),
        sa.Column("monthly_fee", sa.Numeric(14, 2)),
        sa.Column("activation_date", sa.Date),
        sa.Column("termination_date", sa.Date),
        sa.Column("termination_reason", sa.Text),
        sa.Column("odp_id", uuid),
        sa.Column("odc_id", uuid),
        sa.Column("olt_id", uuid),
        sa.Column("olt_port", sa.String(32)),
        sa.Column("onu_serial", sa.String(64)),
        sa.Column("router_id", uuid),
        sa.Column("remote_address", sa.String(15)),
        sa.Column("pppoe_username", sa.String(64)),
        sa.Column("pppoe_password_encrypted", sa.Text),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.Column("search_document", sa.Text, sa.Computed(SEARCH_DOCUMENT, persisted=True)),
        sa.CheckConstraint(
            "status IN ('pending_activation', 'active', 'suspended', 'terminated')",
            name="ck_customers_status",
        ),
        sa.CheckConstraint(
            "(status = 'suspended') = (suspension_cause IS NOT NULL)"
            " AND suspension_cause IN ('manual', 'overdue')",
            name="ck_customers_suspension_cause",
        ),
        sa.CheckConstraint("updated_at >= created_at", name="ck_customers_updated_after_created"),
        sa.CheckConstraint("version >= 1", name="ck_customers_version"),
        schema=schema,
    )
    op.create_index(
        "uq_customers_code", "customers", ["tenant_id", "customer_code"], unique=True, schema=schema
    )
    for column in ("pppoe_username", "remote_address"):
        op.create_index(
            f"uq_customers_{column}",
            "customers",
            ["tenant_id", column],
            unique=True,
            schema=schema,
            postgresql_where=sa.text(HOLDS_ROUTER_ACCOUNT),
        )
    for name, columns in {
        "created": ["tenant_id", "created_at", "id"],
        "name": ["tenant_id", "full_name", "id"],
        "status": ["tenant_id", "status"],
        "plan": ["tenant_id", "service_plan_id"],
        "odp": ["tenant_id", "odp_id"],
    }.items():
        op.create_index(
            f"ix_customers_{name}",
            "customers",
            columns,
            schema=schema,
            postgresql_where=sa.text(LIVE),
        )
    op.execute(
        f'CREATE INDEX ix_customers_search ON "{schema}".customers '
        f"USING gin (search_document public.gin_trgm_ops) WHERE {LIVE}"
    )

    op.create_table(
        "service_plans",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("id", uuid, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("bandwidth_download", sa.Integer, nullable=False),
        sa.Column("bandwidth_upload", sa.Integer, nullable=False),
        sa.Column("monthly_price", sa.Numeric(14, 2), nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("is_deleted", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        schema=schema,
    )
    op.create_table(
        "odps",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("id", uuid, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("code", sa.String(64)),
        sa.Column("odc_id", uuid),
        sa.Column("olt_id", uuid),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("is_deleted", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        schema=schema,
    )
    op.create_table(
        "accounts",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("customer_id", uuid, primary_key=True),
        sa.Column("outstanding_balance", sa.Numeric(14, 2), nullable=False),
        sa.Column("credit", sa.Numeric(14, 2), nullable=False),
        sa.Column("due_date", sa.Date),
        sa.Column("last_payment_date", sa.Date),
        sa.Column("is_overdue", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        schema=schema,
    )
    op.create_table(
        "provisioning",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("customer_id", uuid, primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("customer_version", sa.BigInteger),
        sa.Column("router_id", uuid),
        sa.Column("error", sa.Text),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )
    for table in ("customers", "service_plans", "odps", "accounts", "provisioning"):
        enable_tenant_rls(op, table, schema)


def downgrade(schema: str = "customers") -> None:
    for table in ("provisioning", "accounts", "odps", "service_plans", "customers"):
        op.drop_table(table, schema=schema)
    platform_tables(schema).metadata.drop_all(op.get_bind())
