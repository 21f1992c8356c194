"""Boost requests, boost history, the tenant's pricing, the customer and plan replicas and the
platform tables.

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

ACTIVATED = "status = 'activated'"
TABLES = ("pricing", "customers", "service_plans", "boost_requests", "boost_history")
# The expiry job must find due boosts of every tenant; RLS lets a transaction see only one. This
# second, SELECT-only policy shows activated requests to a transaction that declares itself the
# expiry scan; the job then ends each boost in a normal unit of work of its tenant.
EXPIRY_SCAN_SETTING = "app.boost_expiry_scan"


def upgrade(schema: str = "boost") -> None:
    create_platform_tables(op, schema)
    uuid = UUID(as_uuid=True)
    tz = sa.DateTime(timezone=True)

    op.create_table(
        "pricing",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("price_per_hour", sa.Numeric(14, 2), nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.CheckConstraint("price_per_hour >= 0", name="ck_pricing_not_negative"),
        schema=schema,
    )
    op.create_table(
        "customers",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("id", uuid, primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("service_plan_id", uuid),
        sa.Column("is_deleted", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        schema=schema,
    )
    op.create_table(
        "service_plans",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("id", uuid, primary_key=True),
        sa.Column("bandwidth_download", sa.Integer, nullable=False),
        sa.Column("bandwidth_upload", sa.Integer, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("is_deleted", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        schema=schema,
    )
    op.create_table(
        "boost_requests",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("customer_id", uuid, nullable=False),
        sa.Column("request_number", sa.String(32), nullable=False),
        sa.Column("requested_speed_download", sa.Integer, nullable=False),
        sa.Column("requested_speed_upload", sa.Integer, nullable=False),
        sa.Column("duration_hours", sa.Integer, nullable=False),
        sa.Column("price_per_hour", sa.Numeric(14, 2), nullable=False),
        sa.Column("total_price", sa.Numeric(14, 2), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", tz, nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("customer_notes", sa.Text),
        sa.Column("admin_notes", sa.Text),
        sa.Column("approved_at", tz),
        sa.Column("approved_by", sa.String(200)),
        sa.Column("rejected_at", tz),
        sa.Column("rejected_by", sa.String(200)),
        sa.Column("rejection_reason", sa.Text),
        sa.Column("activated_at", tz),
        sa.Column("expires_at", tz),
        sa.Column("ended_at", tz),
        sa.Column("end_reason", sa.String(32)),
        sa.Column("original_speed_download", sa.Integer),
        sa.Column("original_speed_upload", sa.Integer),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'activated', 'expired', 'ended')",
            name="ck_boost_requests_status",
        ),
        # docs/properties.md, Property 23 holds in the database too, whatever writes the row.
        sa.CheckConstraint(
            "total_price = duration_hours * price_per_hour", name="ck_boost_requests_total"
        ),
        sa.CheckConstraint(
            "duration_hours BETWEEN 1 AND 720", name="ck_boost_requests_duration"
        ),
        sa.CheckConstraint(
            "requested_speed_download > 0 AND requested_speed_upload > 0",
            name="ck_boost_requests_speeds",
        ),
        sa.CheckConstraint(
            "(status IN ('activated', 'expired', 'ended')) = (activated_at IS NOT NULL)"
            " AND (activated_at IS NULL OR expires_at = activated_at"
            " + make_interval(hours => duration_hours))",
            name="ck_boost_requests_expiry",
        ),
        sa.CheckConstraint("version >= 1", name="ck_boost_requests_version"),
        schema=schema,
    )
    op.create_index(
        "uq_boost_requests_number",
        "boost_requests",
        ["tenant_id", "request_number"],
        unique=True,
        schema=schema,
    )
    # At most one active boost per customer (docs/properties.md, Property 24), whoever races
    # to activate.
    op.create_index(
        "uq_boost_requests_one_active",
        "boost_requests",
        ["tenant_id", "customer_id"],
        unique=True,
        schema=schema,
        postgresql_where=sa.text(ACTIVATED),
    )
    op.create_index(
        "ix_boost_requests_customer",
        "boost_requests",
        ["tenant_id", "customer_id", "created_at"],
        schema=schema,
    )
    op.create_index(
        "ix_boost_requests_created", "boost_requests", ["tenant_id", "created_at"], schema=schema
    )
    op.create_index(
        "ix_boost_requests_due",
        "boost_requests",
        ["expires_at"],
        schema=schema,
        postgresql_where=sa.text(ACTIVATED),
    )

    op.create_table(
        "boost_history",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("customer_id", uuid, nullable=False),
        sa.Column("request_id", uuid, nullable=False),
        sa.Column("original_speed_download", sa.Integer, nullable=False),
        sa.Column("original_speed_upload", sa.Integer, nullable=False),
        sa.Column("boosted_speed_download", sa.Integer, nullable=False),
        sa.Column("boosted_speed_upload", sa.Integer, nullable=False),
        sa.Column("started_at", tz, nullable=False),
        sa.Column("expires_at", tz, nullable=False),
        sa.Column("ended_at", tz),
        sa.Column("end_reason", sa.String(32)),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.ForeignKeyConstraint(["request_id"], [f"{schema}.boost_requests.id"]),
        sa.CheckConstraint("is_active = (ended_at IS NULL)", name="ck_boost_history_active"),
        schema=schema,
    )
    op.create_index(
        "uq_boost_history_one_active",
        "boost_history",
        ["tenant_id", "customer_id"],
        unique=True,
        schema=schema,
        postgresql_where=sa.text("is_active"),
    )
    op.create_index(
        "uq_boost_history_request", "boost_history", ["request_id"], unique=True, schema=schema
    )
    op.create_index(
        "ix_boost_history_customer",
        "boost_history",
        ["tenant_id", "customer_id", "started_at"],
        schema=schema,
    )

    for table in TABLES:
        enable_tenant_rls(op, table, schema)
    op.execute(
        f'CREATE POLICY expiry_scan ON "{schema}".boost_requests FOR SELECT '
        f"USING (current_setting('{EXPIRY_SCAN_SETTING}', true) = 'on' AND {ACTIVATED})"
    )


def downgrade(schema: str = "boost") -> None:
    for table in reversed(TABLES):
        op.drop_table(table, schema=schema)
    platform_tables(schema).metadata.drop_all(op.get_bind())
