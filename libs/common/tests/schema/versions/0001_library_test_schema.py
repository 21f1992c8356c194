"""The library's test schema: the platform tables and two tenant tables (`widgets` for the
unit of work and the web edge, `effects` for the event path). Each test package migrates it
under a schema name of its own.

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
    # Deliberately no unique key on event_id: an effect applied twice must show as two rows.
    op.create_table(
        "effects",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False),
        sa.Column("aggregate_id", UUID(as_uuid=True), nullable=False),
        sa.Column("aggregate_version", sa.BigInteger, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        schema=schema,
    )
    enable_tenant_rls(op, "effects", schema)


def downgrade(schema: str) -> None:
    op.drop_table("effects", schema=schema)
    op.drop_table("widgets", schema=schema)
