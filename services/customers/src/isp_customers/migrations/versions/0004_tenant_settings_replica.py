"""The tenant's settings as billing publishes them (billing.settings.updated): its timezone, the
zone of every calendar date customers defaults (activation, plan change, termination).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from isp_common.migrations import enable_tenant_rls

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade(schema: str = "customers") -> None:
    op.create_table(
        "tenant_settings",
        sa.Column("tenant_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        schema=schema,
    )
    enable_tenant_rls(op, "tenant_settings", schema)


def downgrade(schema: str = "customers") -> None:
    op.drop_table("tenant_settings", schema=schema)
