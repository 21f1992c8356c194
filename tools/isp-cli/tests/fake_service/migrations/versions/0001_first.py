"""The platform tables and one tenant table.

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
        "things",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
        schema=schema,
    )
    enable_tenant_rls(op, "things", schema)


def downgrade(schema: str) -> None:
    op.drop_table("things", schema=schema)
