"""Routers, plans, subscribers' desired state, tenant settings, the operation log, and the
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


def upgrade(schema: str = "mikrotik_agent") -> None:
    create_platform_tables(op, schema)
    uuid = UUID(as_uuid=True)
    now = sa.text("now()")
    tz = sa.DateTime(timezone=True)

    op.create_table(
        "routers",
        sa.Column("id", uuid, primary_key=True),  # the network device's id
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("host", sa.String(255)),
        sa.Column("port", sa.Integer, nullable=False, server_default="8728"),
        sa.Column("username", sa.String(100)),
        sa.Column("password_encrypted", sa.Text),
        sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("is_deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("device_version", sa.BigInteger, nullable=False),
        sa.Column("connection_status", sa.String(16), nullable=False, server_default="unknown"),
        sa.Column("last_connected_at", tz),
        sa.Column("last_error", sa.Text),
        sa.Column("last_sync_at", tz),
        sa.Column("last_sync_result", JSONB),
        sa.Column("sync_requested_at", tz),
        sa.Column("event_version", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at", tz, nullable=False, server_default=now),
        sa.Column("updated_at", tz, nullable=False, server_default=now),
        schema=schema,
    )
    enable_tenant_rls(op, "routers", schema)
    # At most one default router per tenant as the agent sees it (the last event wins).
    op.create_index("ix_routers_tenant", "routers", ["tenant_id"], schema=schema)

    # Which tenant each router belongs to, for the lane manager that runs every tenant's routers.
    # Ids only (no address, no credential, no customer), read across tenants by the lane manager
    # (0002 puts it under RLS with a read-only policy for that scan).
    op.create_table(
        "router_directory",
        sa.Column("router_id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("is_deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        schema=schema,
    )

    op.create_table(
        "plans",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("bandwidth_download", sa.Integer, nullable=False),
        sa.Column("bandwidth_upload", sa.Integer, nullable=False),
        sa.Column("burst_rate_download", sa.Integer),
        sa.Column("burst_rate_upload", sa.Integer),
        sa.Column("burst_threshold", sa.Integer),
        sa.Column("burst_time", sa.Integer),
        sa.Column("queue_name_template", sa.String(200)),
        sa.Column("is_deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("version", sa.BigInteger, nullable=False),
        schema=schema,
    )
    enable_tenant_rls(op, "plans", schema)

    op.create_table(
        "subscribers",
        sa.Column("customer_id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("customer_code", sa.String(64), nullable=False, server_default=""),
        sa.Column("status", sa.String(32)),  # None until the customer event arrives
        sa.Column("is_deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("pppoe_username", sa.String(100)),
        sa.Column("pppoe_password_encrypted", sa.Text),
        sa.Column("remote_address", sa.String(64)),
        sa.Column("plan_id", uuid),
        sa.Column("router_id", uuid),  # as the customer names it; None: the default router
        sa.Column("target_router_id", uuid),  # resolved: where the subscriber must be
        sa.Column("placed_router_id", uuid),  # where the agent last put its objects
        sa.Column("customer_version", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("boost_id", uuid),
        sa.Column("boost_upload", sa.Integer),
        sa.Column("boost_download", sa.Integer),
        sa.Column("boost_expires_at", tz),
        # Rises with every change of the desired state; reconciled_revision is the one the
        # router was last brought to. Different: the subscriber is dirty.
        sa.Column("revision", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("reconciled_revision", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("reported_version", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("event_version", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("provisioning_status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("last_error", sa.Text),
        sa.Column("updated_at", tz, nullable=False, server_default=now),
        schema=schema,
    )
    enable_tenant_rls(op, "subscribers", schema)
    op.create_index(
        "ix_subscribers_target", "subscribers", ["tenant_id", "target_router_id"], schema=schema
    )
    op.create_index(
        "ix_subscribers_dirty",
        "subscribers",
        ["tenant_id", "target_router_id"],
        schema=schema,
        postgresql_where=sa.text(
            "revision > reconciled_revision OR placed_router_id IS DISTINCT FROM target_router_id"
        ),
    )
    op.create_index("ix_subscribers_plan", "subscribers", ["tenant_id", "plan_id"], schema=schema)

    op.create_table(
        "settings",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("suspension_mode", sa.String(16), nullable=False),
        sa.Column("isolation_profile", sa.String(100), nullable=False),
        sa.Column("isolation_address_list", sa.String(100), nullable=False),
        sa.Column("updated_at", tz, nullable=False, server_default=now),
        schema=schema,
    )
    enable_tenant_rls(op, "settings", schema)

    op.create_table(
        "operations",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("router_id", uuid, nullable=False),
        sa.Column("customer_id", uuid),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("menu", sa.String(64), nullable=False),
        sa.Column("object_name", sa.String(255), nullable=False),
        sa.Column("request", JSONB, nullable=False),  # what was sent, secrets masked
        sa.Column("outcome", sa.String(16), nullable=False),  # ok | failed
        sa.Column("error", sa.Text),
        sa.Column("at", tz, nullable=False, server_default=now),
        schema=schema,
    )
    enable_tenant_rls(op, "operations", schema)
    op.create_index(
        "ix_operations_router", "operations", ["tenant_id", "router_id", "id"], schema=schema
    )
    op.create_index(
        "ix_operations_customer", "operations", ["tenant_id", "customer_id", "id"], schema=schema
    )


def downgrade(schema: str = "mikrotik_agent") -> None:
    for table in ("operations", "settings", "subscribers", "plans", "router_directory", "routers"):
        op.drop_table(table, schema=schema)
