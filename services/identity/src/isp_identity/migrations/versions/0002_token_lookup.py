"""A refresh token, a logout and a password-reset link carry a token id but no tenant: under
the login lookup setting (and only in isp_common.db.cross_tenant_read, read-only) those token
tables show every tenant's rows, so identity can find whose token it is. The secret half is
still checked in that tenant's own unit of work.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LOGIN_LOOKUP_SETTING = "app.identity_login"
TABLES = ("refresh_tokens", "one_time_tokens")


def upgrade(schema: str = "identity") -> None:
    for table in TABLES:
        op.execute(
            f'CREATE POLICY login_lookup ON "{schema}".{table} FOR SELECT '
            f"USING (current_setting('{LOGIN_LOOKUP_SETTING}', true) = 'on')"
        )


def downgrade(schema: str = "identity") -> None:
    for table in TABLES:
        op.execute(f'DROP POLICY IF EXISTS login_lookup ON "{schema}".{table}')
