"""Settings, plans (+advanced, changelog), accounts, invoices, payments, allocations and the
platform tables.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from isp_common.migrations import create_platform_tables, enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "settings",
    "service_plans",
    "plan_changelog",
    "accounts",
    "invoices",
    "payments",
    "allocations",
)


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade(schema: str = "billing") -> None:
    create_platform_tables(op, schema)
    uuid = UUID(as_uuid=True)
    money = sa.Numeric(14, 2)

    op.create_table(
        "settings",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("isp_name", sa.String(200)),
        sa.Column("address", sa.Text),
        sa.Column("tax_number", sa.String(64)),
        sa.Column("currency", sa.String(3), nullable=False, server_default="IDR"),
        sa.Column("invoice_due_days", sa.Integer, nullable=False, server_default="7"),
        sa.Column("daily_run_hour", sa.SmallInteger, nullable=False, server_default="1"),
        sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
        sa.Column("last_daily_run_on", sa.Date),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )
    op.create_table(
        "service_plans",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("bandwidth_download", sa.Integer, nullable=False),
        sa.Column("bandwidth_upload", sa.Integer, nullable=False),
        sa.Column("monthly_price", money, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        # The advanced config (burst, FUP, cycle, grace, VLAN, QoS, …): one validated document.
        sa.Column("advanced", JSONB),
        sa.Column("advanced_created_at", sa.DateTime(timezone=True)),
        sa.Column("advanced_updated_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.BigInteger, nullable=False),
        *_timestamps(),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        schema=schema,
    )
    op.create_index(
        "uq_service_plans_name",
        "service_plans",
        ["tenant_id", "name"],
        unique=True,
        schema=schema,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "plan_changelog",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("service_plan_id", uuid, nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("old_value", JSONB),
        sa.Column("new_value", JSONB),
        sa.Column("changed_by", sa.String(200)),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
        schema=schema,
    )
    op.create_index(
        "ix_plan_changelog_plan", "plan_changelog", ["tenant_id", "service_plan_id", "seq"],
        schema=schema,
    )
    op.create_table(
        "accounts",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("customer_id", uuid, primary_key=True),
        sa.Column("customer_code", sa.String(64)),
        sa.Column("full_name", sa.String(200)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("service_plan_id", uuid),
        sa.Column("customer_version", sa.BigInteger, nullable=False),
        sa.Column("is_deleted", sa.Boolean, nullable=False, server_default="false"),
        # The billing cycle: period k starts at anchor_date + k × cycle_months.
        sa.Column("cycle_months", sa.SmallInteger, nullable=False, server_default="1"),
        sa.Column("anchor_date", sa.Date),
        sa.Column("periods_billed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_period_start", sa.Date),
        # Derived from invoices, payments and allocations by every change (exact sums).
        sa.Column("outstanding_balance", money, nullable=False, server_default="0"),
        sa.Column("credit", money, nullable=False, server_default="0"),
        sa.Column("due_date", sa.Date),
        sa.Column("last_payment_date", sa.Date),
        sa.Column("is_overdue", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
        *_timestamps(),
        schema=schema,
    )
    op.create_index(
        "ix_accounts_next_period", "accounts", ["tenant_id", "next_period_start"], schema=schema
    )
    op.create_index("ix_accounts_plan", "accounts", ["tenant_id", "service_plan_id"], schema=schema)
    op.create_table(
        "invoices",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("invoice_number", sa.String(32), nullable=False),
        sa.Column("customer_id", uuid, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source_key", sa.String(100), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("issue_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("total", money, nullable=False),
        sa.Column("amount_paid", money, nullable=False, server_default="0"),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("lines", JSONB, nullable=False),
        sa.Column("void_reason", sa.Text),
        sa.Column("voided_at", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.UniqueConstraint("tenant_id", "invoice_number", name="uq_invoices_number"),
        sa.UniqueConstraint("tenant_id", "customer_id", "source_key", name="uq_invoices_source"),
        sa.CheckConstraint("total >= 0 AND amount_paid >= 0 AND amount_paid <= total"),
        schema=schema,
    )
    # The billing run's idempotency: one subscription invoice per customer and period.
    op.create_index(
        "uq_invoices_customer_period",
        "invoices",
        ["tenant_id", "customer_id", "period_start"],
        unique=True,
        schema=schema,
        postgresql_where=sa.text("kind = 'subscription'"),
    )
    op.create_index(
        "ix_invoices_customer", "invoices", ["tenant_id", "customer_id", "due_date"], schema=schema
    )
    op.create_table(
        "payments",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("receipt_number", sa.String(32), nullable=False),
        sa.Column("customer_id", uuid, nullable=False),
        sa.Column("payment_date", sa.Date, nullable=False),
        sa.Column("amount", money, nullable=False),
        sa.Column("payment_method", sa.String(20), nullable=False),
        sa.Column("payment_for", sa.String(30), nullable=False),
        sa.Column("period_month", sa.SmallInteger),
        sa.Column("period_year", sa.SmallInteger),
        sa.Column("reference_number", sa.String(100)),
        sa.Column("notes", sa.Text),
        sa.Column("processed_by", sa.String(200)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("void_reason", sa.Text),
        sa.Column("voided_at", sa.DateTime(timezone=True)),
        sa.Column("voided_by", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "receipt_number", name="uq_payments_receipt"),
        sa.CheckConstraint("amount > 0"),
        schema=schema,
    )
    op.create_index(
        "ix_payments_customer", "payments", ["tenant_id", "customer_id", "payment_date"],
        schema=schema,
    )
    op.create_index("ix_payments_date", "payments", ["tenant_id", "payment_date"], schema=schema)
    op.create_table(
        "allocations",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("customer_id", uuid, nullable=False),
        sa.Column("payment_id", uuid, nullable=False),
        sa.Column("invoice_id", uuid, nullable=False),
        sa.Column("amount", money, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        # A reversed allocation stays as history; only live ones (NULL) count.
        sa.Column("reversed_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("amount > 0"),
        schema=schema,
    )
    op.create_index(
        "ix_allocations_live",
        "allocations",
        ["tenant_id", "customer_id"],
        schema=schema,
        postgresql_where=sa.text("reversed_at IS NULL"),
    )
    op.create_index("ix_allocations_payment", "allocations", ["tenant_id", "payment_id"], schema=schema)
    for table in TABLES:
        enable_tenant_rls(op, table, schema)
    # The daily job must find every tenant's schedule before it can act as one tenant. This
    # second, SELECT-only policy shows the settings rows (schedule, no money) to a transaction
    # that says it is the scheduler; every other table stays strictly per tenant.
    op.execute(
        f'CREATE POLICY scheduler_reads_schedule ON "{schema}"."settings" FOR SELECT '
        "USING (current_setting('app.scheduler', true) = 'on')"
    )


def downgrade(schema: str = "billing") -> None:
    for table in reversed(TABLES):
        op.drop_table(table, schema=schema)
