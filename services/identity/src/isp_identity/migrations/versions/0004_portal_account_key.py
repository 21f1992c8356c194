"""A portal account is keyed by its tenant and customer, as every replica of another service's
aggregate is: the same customer id in two tenants is two accounts, never a key clash that would
stop one tenant's customer events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade(schema: str = "identity") -> None:
    op.drop_constraint("portal_accounts_pkey", "portal_accounts", schema=schema)
    op.create_primary_key(
        "portal_accounts_pkey", "portal_accounts", ["tenant_id", "customer_id"], schema=schema
    )


def downgrade(schema: str = "identity") -> None:
    op.drop_constraint("portal_accounts_pkey", "portal_accounts", schema=schema)
    op.create_primary_key("portal_accounts_pkey", "portal_accounts", ["customer_id"], schema=schema)
