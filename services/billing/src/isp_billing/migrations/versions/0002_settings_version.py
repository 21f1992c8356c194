"""A version on the tenant's settings, so that billing.settings.updated orders its snapshots.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade(schema: str = "billing") -> None:
    op.add_column(
        "settings",
        sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
        schema=schema,
    )


def downgrade(schema: str = "billing") -> None:
    op.drop_column("settings", "version", schema=schema)
