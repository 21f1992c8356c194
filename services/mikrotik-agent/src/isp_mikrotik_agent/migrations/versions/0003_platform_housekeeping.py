"""Platform housekeeping: `consumer_versions.updated_at` (set on every upsert), age indexes on
the inbox and idempotency keys, and the policies that let the housekeeping job (and only it, only
for rows past a floor of a day) read and delete those tables' old rows across tenants. See
`isp_common.housekeeping`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

from isp_common.housekeeping import disable_housekeeping, enable_housekeeping

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade(schema: str = "mikrotik_agent") -> None:
    enable_housekeeping(op, schema)


def downgrade(schema: str = "mikrotik_agent") -> None:
    disable_housekeeping(op, schema)
