"""The last TOTP time step each staff user logged in with, so that a code is good for one login
(a code seen over a shoulder cannot be replayed within its 90 seconds).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from isp_common.migrations import enable_tenant_rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade(schema: str = "identity") -> None:
    op.create_table(
        "totp_steps",
        sa.Column("tenant_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("user_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("last_step", sa.BigInteger, nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )
    enable_tenant_rls(op, "totp_steps", schema)


def downgrade(schema: str = "identity") -> None:
    op.drop_table("totp_steps", schema=schema)
