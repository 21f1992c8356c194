"""The library's test schema: the platform tables and two tenant tables.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from isp_common.migrations import create_platform_tables, enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade(schema: str) -> None:
    create_platform_tables(op, schema)
    op.create_table(
        "widgets",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        schema=schema,
    )
    enable_tenant_rls(op, "widgets", schema)


def downgrade(schema: str) -> None:
    op.drop_table("widgets", schema=schema)
