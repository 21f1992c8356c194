"""The tenant's profile as identity last published it (name, timezone, currency, version), and
which of the seeded settings the tenant set itself, so identity.tenant.* seeds the others.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ("tenant_name", "tenant_timezone", "tenant_currency", "tenant_version", "own_fields")


def upgrade(schema: str = "billing") -> None:
    op.add_column("settings", sa.Column("tenant_name", sa.String(200)), schema=schema)
    op.add_column("settings", sa.Column("tenant_timezone", sa.String(64)), schema=schema)
    op.add_column("settings", sa.Column("tenant_currency", sa.String(3)), schema=schema)
    op.add_column(
        "settings",
        sa.Column("tenant_version", sa.BigInteger, nullable=False, server_default="0"),
        schema=schema,
    )
    op.add_column(
        "settings",
        sa.Column("own_fields", ARRAY(sa.String(32)), nullable=False, server_default="{}"),
        schema=schema,
    )


def downgrade(schema: str = "billing") -> None:
    for column in reversed(COLUMNS):
        op.drop_column("settings", column, schema=schema)
