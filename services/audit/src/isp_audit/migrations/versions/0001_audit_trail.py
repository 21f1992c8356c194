"""The audit trail (append-only, hash-chained per tenant), its chain heads, the platform tables.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from isp_common.migrations import create_platform_tables, enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_COMMENT = "append-only: the service role may SELECT and INSERT, nothing else"


def upgrade(schema: str = "audit") -> None:
    create_platform_tables(op, schema)
    uuid = UUID(as_uuid=True)
    when = sa.DateTime(timezone=True)
    op.create_table(
        "audit_logs",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("customer_id", uuid),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("performed_by", sa.Text, nullable=False),
        sa.Column("ip_address", sa.Text),
        sa.Column("event_id", uuid),
        sa.Column("event_type", sa.Text),
        sa.Column("aggregate_id", uuid),
        sa.Column("correlation_id", sa.Text),
        sa.Column("occurred_at", when, nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        # The chain's order; the walk of `verify` reads it in this order.
        sa.UniqueConstraint("tenant_id", "seq", name="uq_audit_logs_tenant_seq"),
        # One row per event, whatever the inbox let through.
        sa.UniqueConstraint("event_id", name="uq_audit_logs_event_id"),
        schema=schema,
    )
    # Lists are newest first: (created_at DESC, seq DESC). created_at follows seq within a
    # tenant (the chain never goes back in time), so each index below serves its filter, any
    # date range on top, the order and the page without a sort, at any table size.
    for name, columns in {
        "ix_audit_logs_recent": "tenant_id, created_at DESC, seq DESC",
        "ix_audit_logs_customer": "tenant_id, customer_id, created_at DESC, seq DESC",
        "ix_audit_logs_category": "tenant_id, category, action, created_at DESC, seq DESC",
        "ix_audit_logs_performer": "tenant_id, performed_by, created_at DESC, seq DESC",
    }.items():
        where = " WHERE customer_id IS NOT NULL" if name == "ix_audit_logs_customer" else ""
        op.execute(f'CREATE INDEX {name} ON "{schema}".audit_logs ({columns}){where}')
    enable_tenant_rls(op, "audit_logs", schema)

    # Tamper resistance: no UPDATE, DELETE or TRUNCATE on the trail, whoever asks. (The owner
    # can still disable the trigger; the hash chain is what makes that visible.)
    op.execute(
        f"""
        CREATE FUNCTION "{schema}".refuse_audit_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit rows are append-only (% refused)', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        f'CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE OR TRUNCATE '
        f'ON "{schema}".audit_logs FOR EACH STATEMENT '
        f'EXECUTE FUNCTION "{schema}".refuse_audit_change()'
    )
    op.execute(f"COMMENT ON TABLE \"{schema}\".audit_logs IS '{APPEND_ONLY_COMMENT}'")
    # The comment is what isp_common.migrations.grant_service_role reads: it grants the service
    # role no UPDATE, DELETE or TRUNCATE on an append-only table. The revoke below covers a
    # database migrated before that grant step runs.
    op.execute(
        f"""
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'isp_{schema}') THEN
                EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON "{schema}".audit_logs '
                        'FROM "isp_{schema}"';
            END IF;
        END
        $$
        """
    )

    # One row per tenant: the newest link of its chain. Writers lock it (SELECT … FOR UPDATE
    # through an upsert) so that a tenant's rows are chained one at a time; it also remembers
    # the last hash, so removing rows from the end of the trail does not go unnoticed.
    op.create_table(
        "chain_heads",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("created_at", when),
        schema=schema,
    )
    enable_tenant_rls(op, "chain_heads", schema)


def downgrade(schema: str = "audit") -> None:
    op.drop_table("chain_heads", schema=schema)
    op.drop_table("audit_logs", schema=schema)
    op.execute(f'DROP FUNCTION IF EXISTS "{schema}".refuse_audit_change()')
