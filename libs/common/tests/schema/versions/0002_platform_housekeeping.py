"""The platform housekeeping column, indexes and policies, as every service migrates them.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from isp_common.housekeeping import disable_housekeeping, enable_housekeeping

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade(schema: str) -> None:
    enable_housekeeping(op, schema)


def downgrade(schema: str) -> None:
    disable_housekeeping(op, schema)
