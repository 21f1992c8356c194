"""Tenants, staff users, portal accounts, refresh token families, one-time tokens, login
throttling, signing keys and the platform tables.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from isp_common.housekeeping import enable_housekeeping
from isp_common.migrations import create_platform_tables, enable_tenant_rls
from isp_common.platform_tables import platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# A login names its tenant by slug before any tenant is known: under this setting (and only
# in isp_common.db.cross_tenant_read) the tenants table shows every tenant's row.
LOGIN_LOOKUP_SETTING = "app.identity_login"
TABLES = (
    "tenants",
    "users",
    "portal_accounts",
    "token_families",
    "refresh_tokens",
    "one_time_tokens",
    "login_throttle",
    "signing_keys",
)


def upgrade(schema: str = "identity") -> None:
    create_platform_tables(op, schema)
    enable_housekeeping(op, schema)
    uuid = UUID(as_uuid=True)
    timestamp = sa.DateTime(timezone=True)
    op.create_table(
        "tenants",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("slug", sa.String(63), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("updated_at", timestamp, nullable=False),
        sa.CheckConstraint("tenant_id = id", name="ck_tenants_own_tenant"),
        sa.CheckConstraint("status IN ('active', 'disabled')", name="ck_tenants_status"),
        sa.CheckConstraint("slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'", name="ck_tenants_slug"),
        sa.UniqueConstraint("slug", name="uq_tenants_slug"),
        schema=schema,
    )
    op.create_table(
        "users",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("roles", ARRAY(sa.String(32)), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("password_changed_at", timestamp),
        sa.Column("totp_secret_encrypted", sa.Text),
        sa.Column("totp_enabled", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("updated_at", timestamp, nullable=False),
        sa.CheckConstraint("status IN ('active', 'disabled')", name="ck_users_status"),
        sa.CheckConstraint("email = lower(email)", name="ck_users_email_lower"),
        sa.CheckConstraint(
            "NOT totp_enabled OR totp_secret_encrypted IS NOT NULL", name="ck_users_totp"
        ),
        schema=schema,
    )
    op.create_index("uq_users_email", "users", ["tenant_id", "email"], unique=True, schema=schema)
    op.create_table(
        "portal_accounts",
        sa.Column("customer_id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("customer_code", sa.String(64), nullable=False),
        sa.Column("pppoe_username", sa.String(128)),
        sa.Column("phone", sa.String(32)),
        sa.Column("customer_status", sa.String(32), nullable=False),
        sa.Column("customer_deleted", sa.Boolean, nullable=False),
        sa.Column("customer_version", sa.BigInteger, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("password_changed_at", timestamp),
        sa.Column("activation_code_hash", sa.Text),
        sa.Column("activation_expires_at", timestamp),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("updated_at", timestamp, nullable=False),
        schema=schema,
    )
    for column in ("customer_code", "pppoe_username", "phone"):
        op.create_index(
            f"ix_portal_accounts_{column}", "portal_accounts", ["tenant_id", column], schema=schema
        )
    op.create_table(
        "token_families",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", uuid, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("revoked_at", timestamp),
        sa.Column("revoked_reason", sa.String(32)),
        sa.CheckConstraint("subject_kind IN ('user', 'customer')", name="ck_families_kind"),
        schema=schema,
    )
    op.create_index(
        "ix_token_families_subject",
        "token_families",
        ["tenant_id", "subject_kind", "subject_id"],
        schema=schema,
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("family_id", uuid, nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("used_at", timestamp),
        sa.ForeignKeyConstraint(
            ["family_id"], [f"{schema}.token_families.id"], ondelete="CASCADE"
        ),
        schema=schema,
    )
    op.create_index("ix_refresh_tokens_family", "refresh_tokens", ["family_id"], schema=schema)
    op.create_table(
        "one_time_tokens",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("user_id", uuid, nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("used_at", timestamp),
        schema=schema,
    )
    op.create_table(
        "login_throttle",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure_at", timestamp, nullable=False),
        sa.Column("locked_until", timestamp),
        schema=schema,
    )
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("private_key_encrypted", sa.Text, nullable=False),
        sa.Column("public_jwk", JSONB, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("signs_until", timestamp, nullable=False),
        sa.Column("verifies_until", timestamp, nullable=False),
        sa.CheckConstraint("verifies_until >= signs_until", name="ck_signing_keys_window"),
        schema=schema,
    )
    for table in TABLES:
        enable_tenant_rls(op, table, schema)
    op.execute(
        f'CREATE POLICY login_lookup ON "{schema}".tenants FOR SELECT '
        f"USING (current_setting('{LOGIN_LOOKUP_SETTING}', true) = 'on')"
    )


def downgrade(schema: str = "identity") -> None:
    for table in reversed(TABLES):
        op.drop_table(table, schema=schema)
    platform_tables(schema).metadata.drop_all(op.get_bind())
