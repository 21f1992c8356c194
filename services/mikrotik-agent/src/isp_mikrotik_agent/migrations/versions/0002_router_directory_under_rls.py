"""The router directory under row-level security like every tenant table, with a read-only
policy for the lane manager's scan across tenants (the way boost's expiry scan and billing's
scheduler read across tenants): only a session that sets `app.agent_directory_scan` sees every
tenant's router ids, and only to read them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

from isp_common.migrations import enable_tenant_rls

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DIRECTORY_SCAN_SETTING = "app.agent_directory_scan"


def upgrade(schema: str = "mikrotik_agent") -> None:
    enable_tenant_rls(op, "router_directory", schema)
    op.execute(
        f'CREATE POLICY directory_scan ON "{schema}".router_directory FOR SELECT '
        f"USING (current_setting('{DIRECTORY_SCAN_SETTING}', true) = 'on')"
    )


def downgrade(schema: str = "mikrotik_agent") -> None:
    op.execute(f'DROP POLICY directory_scan ON "{schema}".router_directory')
    op.execute(f'DROP POLICY tenant_isolation ON "{schema}".router_directory')
    op.execute(f'ALTER TABLE "{schema}".router_directory NO FORCE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{schema}".router_directory DISABLE ROW LEVEL SECURITY')
