"""Tickets, their activities, the tenant's SLA policy, the customer replica and the platform tables.

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

STATUSES = "'open', 'in_progress', 'resolved', 'closed'"
TABLES = ("tickets", "ticket_activities", "sla_policies", "customers")


def upgrade(schema: str = "tickets") -> None:
    create_platform_tables(op, schema)
    uuid = UUID(as_uuid=True)
    timestamp = sa.DateTime(timezone=True)
    op.create_table(
        "tickets",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("ticket_number", sa.String(32), nullable=False),
        sa.Column("customer_id", uuid),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("assigned_to", sa.String(200)),
        sa.Column("sla_due_at", timestamp, nullable=False),
        sa.Column("resolved_at", timestamp),
        sa.Column("resolution_notes", sa.Text),
        sa.Column("closed_at", timestamp),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("updated_at", timestamp, nullable=False),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_tickets_status"),
        sa.CheckConstraint(
            "category IN ('technical', 'billing', 'complaint', 'request')",
            name="ck_tickets_category",
        ),
        sa.CheckConstraint(
            "priority IN ('low', 'medium', 'high', 'urgent')", name="ck_tickets_priority"
        ),
        # resolved_at is there exactly while the resolution stands (closing keeps it).
        sa.CheckConstraint(
            "(status = 'resolved' AND resolved_at IS NOT NULL)"
            " OR (status IN ('open', 'in_progress') AND resolved_at IS NULL)"
            " OR status = 'closed'",
            name="ck_tickets_resolved_at",
        ),
        sa.CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="ck_tickets_closed_at"),
        sa.CheckConstraint("updated_at >= created_at", name="ck_tickets_updated_after_created"),
        sa.CheckConstraint("version >= 1", name="ck_tickets_version"),
        schema=schema,
    )
    op.create_index(
        "uq_tickets_number", "tickets", ["tenant_id", "ticket_number"], unique=True, schema=schema
    )
    for name, columns in {
        "created": ["tenant_id", "created_at", "id"],
        "status": ["tenant_id", "status"],
        "customer": ["tenant_id", "customer_id"],
        "assigned": ["tenant_id", "assigned_to"],
    }.items():
        op.create_index(f"ix_tickets_{name}", "tickets", columns, schema=schema)

    op.create_table(
        "ticket_activities",
        sa.Column("seq", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("id", uuid, nullable=False, unique=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column(
            "ticket_id",
            uuid,
            sa.ForeignKey(f"{schema}.tickets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("activity_type", sa.String(20), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("performed_by", sa.String(200), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16)),
        sa.Column("created_at", timestamp, nullable=False),
        schema=schema,
    )
    op.create_index(
        "ix_ticket_activities_ticket",
        "ticket_activities",
        ["tenant_id", "ticket_id", "seq"],
        schema=schema,
    )

    op.create_table(
        "sla_policies",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("low_hours", sa.Integer, nullable=False),
        sa.Column("medium_hours", sa.Integer, nullable=False),
        sa.Column("high_hours", sa.Integer, nullable=False),
        sa.Column("urgent_hours", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", timestamp, nullable=False),
        sa.CheckConstraint(
            "least(low_hours, medium_hours, high_hours, urgent_hours) >= 1",
            name="ck_sla_policies_positive",
        ),
        schema=schema,
    )

    op.create_table(
        "customers",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("id", uuid, primary_key=True),
        sa.Column("customer_code", sa.String(32), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("is_deleted", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        schema=schema,
    )
    for table in TABLES:
        enable_tenant_rls(op, table, schema)


def downgrade(schema: str = "tickets") -> None:
    for table in reversed(TABLES):
        op.drop_table(table, schema=schema)
    platform_tables(schema).metadata.drop_all(op.get_bind())
