"""The fiber tree, devices, the customer placement replica, monitoring samples (partitioned by
day) and the platform tables.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from isp_common.migrations import TENANT_PREDICATE, create_platform_tables, enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LIVE_PLACEMENT = "NOT is_deleted AND status <> 'terminated'"


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _place() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("location", sa.Text),
        sa.Column("latitude", sa.Numeric(9, 6)),
        sa.Column("longitude", sa.Numeric(9, 6)),
        sa.Column("capacity", sa.Integer, nullable=False),
    ]


def upgrade(schema: str = "network") -> None:
    create_platform_tables(op, schema)
    uuid = UUID(as_uuid=True)

    op.create_table(
        "olts",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("ip_address", sa.String(45)),
        sa.Column("snmp_community_encrypted", sa.Text),
        sa.Column("telnet_username", sa.String(64)),
        sa.Column("telnet_password_encrypted", sa.Text),
        sa.Column("location", sa.Text),
        sa.Column("vendor", sa.String(100)),
        sa.Column("is_active", sa.Boolean, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_olts_tenant_id"),
        schema=schema,
    )
    op.create_table(
        "odcs",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("olt_id", uuid, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        *_place(),
        sa.Column("is_active", sa.Boolean, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_odcs_tenant_id"),
        # RESTRICT: even a delete racing a create cannot orphan a child.
        sa.ForeignKeyConstraint(
            ["tenant_id", "olt_id"], [f"{schema}.olts.tenant_id", f"{schema}.olts.id"],
            name="fk_odcs_olt", ondelete="RESTRICT",
        ),
        sa.CheckConstraint("capacity > 0", name="ck_odcs_capacity"),
        schema=schema,
    )
    op.create_table(
        "odps",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("odc_id", uuid, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        *_place(),
        sa.Column("is_active", sa.Boolean, nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["tenant_id", "odc_id"], [f"{schema}.odcs.tenant_id", f"{schema}.odcs.id"],
            name="fk_odps_odc", ondelete="RESTRICT",
        ),
        sa.CheckConstraint("capacity > 0", name="ck_odps_capacity"),
        schema=schema,
    )
    op.create_index("ix_odcs_olt", "odcs", ["tenant_id", "olt_id"], schema=schema)
    op.create_index("ix_odps_odc", "odps", ["tenant_id", "odc_id"], schema=schema)
    for table in ("olts", "odcs", "odps"):
        op.create_index(f"ix_{table}_created", table, ["tenant_id", "created_at", "id"], schema=schema)

    # What customers.customer.* events say about where each customer hangs on the tree.
    op.create_table(
        "customer_placements",
        sa.Column("tenant_id", uuid, primary_key=True),
        sa.Column("customer_id", uuid, primary_key=True),
        sa.Column("odp_id", uuid),
        sa.Column("odc_id", uuid),
        sa.Column("olt_id", uuid),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("is_deleted", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        schema=schema,
    )
    for column in ("odp_id", "odc_id", "olt_id"):
        op.create_index(
            f"ix_customer_placements_{column}",
            "customer_placements",
            ["tenant_id", column],
            schema=schema,
            postgresql_where=sa.text(LIVE_PLACEMENT),
        )

    op.create_table(
        "devices",
        sa.Column("id", uuid, primary_key=True),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("device_name", sa.String(200), nullable=False),
        sa.Column("device_type", sa.String(20), nullable=False),
        sa.Column("serial_number", sa.String(64)),
        sa.Column("mac_address", sa.String(17)),
        sa.Column("brand", sa.String(100)),
        sa.Column("model", sa.String(100)),
        sa.Column("firmware_version", sa.String(100)),
        sa.Column("ip_address", sa.String(255)),
        sa.Column("subnet_mask", sa.String(45)),
        sa.Column("gateway", sa.String(45)),
        sa.Column("location", sa.Text),
        sa.Column("latitude", sa.Numeric(9, 6)),
        sa.Column("longitude", sa.Numeric(9, 6)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True)),
        sa.Column("customer_id", uuid),
        sa.Column("parent_device_id", uuid),
        sa.Column("installation_date", sa.Date),
        sa.Column("warranty_until", sa.Date),
        sa.Column("purchase_price", sa.Numeric(14, 2)),
        sa.Column("notes", sa.Text),
        sa.Column("mikrotik_username", sa.String(64)),
        sa.Column("mikrotik_password_encrypted", sa.Text),
        sa.Column("mikrotik_port", sa.Integer),
        sa.Column("mikrotik_api_enabled", sa.Boolean, nullable=False),
        sa.Column("is_default_mikrotik", sa.Boolean, nullable=False),
        sa.Column("connection_status", sa.String(20), nullable=False),
        sa.Column("last_connected_at", sa.DateTime(timezone=True)),
        sa.Column("last_sync_at", sa.DateTime(timezone=True)),
        sa.Column("last_sync_result", JSONB),
        *_timestamps(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_devices_tenant_id"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "parent_device_id"],
            [f"{schema}.devices.tenant_id", f"{schema}.devices.id"],
            name="fk_devices_parent",
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "device_type IN ('router', 'onu', 'switch', 'access_point')", name="ck_devices_type"
        ),
        sa.CheckConstraint(
            "status IN ('online', 'offline', 'maintenance')", name="ck_devices_status"
        ),
        sa.CheckConstraint(
            "NOT is_default_mikrotik OR device_type = 'router'", name="ck_devices_default_router"
        ),
        sa.CheckConstraint("updated_at >= created_at", name="ck_devices_updated_after_created"),
        schema=schema,
    )
    op.create_index(
        "uq_devices_serial", "devices", ["tenant_id", "serial_number"], unique=True, schema=schema,
        postgresql_where=sa.text("serial_number IS NOT NULL"),
    )
    # At most one default router per tenant, whatever the application does.
    op.create_index(
        "uq_devices_default_mikrotik", "devices", ["tenant_id"], unique=True, schema=schema,
        postgresql_where=sa.text("is_default_mikrotik"),
    )
    for name, columns in {
        "created": ["tenant_id", "created_at", "id"],
        "customer": ["tenant_id", "customer_id"],
        "parent": ["tenant_id", "parent_device_id"],
    }.items():
        op.create_index(f"ix_devices_{name}", "devices", columns, schema=schema)

    # Monitoring samples: range-partitioned by day on the sample's time, so retention drops
    # whole partitions. Partitions are made by ensure_sample_partitions (below).
    op.execute(
        f"""
        CREATE TABLE "{schema}".samples (
            tenant_id uuid NOT NULL,
            customer_id uuid NOT NULL,
            sampled_at timestamptz NOT NULL,
            download_speed integer NOT NULL,
            upload_speed integer NOT NULL,
            download_usage bigint NOT NULL,
            upload_usage bigint NOT NULL,
            onu_status varchar(32),
            signal_strength double precision,
            temperature double precision,
            uptime bigint,
            is_online boolean NOT NULL,
            last_seen timestamptz,
            created_at timestamptz NOT NULL DEFAULT now()
        ) PARTITION BY RANGE (sampled_at)
        """
    )
    op.execute(
        f'CREATE INDEX ix_samples_customer ON "{schema}".samples '
        "(tenant_id, customer_id, sampled_at)"
    )
    op.execute(f'CREATE INDEX ix_samples_time ON "{schema}".samples (tenant_id, sampled_at)')
    enable_tenant_rls(op, "samples", schema)
    # Retention deletes across tenants inside a SECURITY DEFINER function running as the owner;
    # forced RLS applies to the owner too, so the owner (and only it) may delete any sample.
    op.execute(
        f'CREATE POLICY owner_retention ON "{schema}".samples FOR ALL TO CURRENT_USER '
        "USING (true) WITH CHECK (true)"
    )
    role = f"isp_{schema}"
    # The predicate goes inside a quoted string of the function body: its quotes are doubled.
    predicate = TENANT_PREDICATE.replace("'", "''")
    op.execute(_ENSURE_PARTITIONS.format(schema=schema, predicate=predicate))
    op.execute(_RETENTION.format(schema=schema))
    for signature in ("ensure_sample_partitions(date, date)", "apply_sample_retention(timestamptz)"):
        op.execute(f'REVOKE ALL ON FUNCTION "{schema}".{signature} FROM PUBLIC')
        op.execute(f'GRANT EXECUTE ON FUNCTION "{schema}".{signature} TO "{role}"')

    for table in ("olts", "odcs", "odps", "customer_placements", "devices"):
        enable_tenant_rls(op, table, schema)


# The service's role may not make or drop tables; these two functions do it for it, as the
# owner, and nothing more. A partition is made as a plain table and then attached: ATTACH takes
# a lock that lets ingest and queries go on, where CREATE … PARTITION OF would block them.
_ENSURE_PARTITIONS = """
CREATE FUNCTION "{schema}".ensure_sample_partitions(first_day date, last_day date)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    day date := first_day;
    part text;
    made integer := 0;
BEGIN
    IF last_day < first_day OR last_day - first_day > 400 THEN
        RAISE EXCEPTION 'partition range % .. % refused', first_day, last_day;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('{schema}.sample_partitions'));
    WHILE day <= last_day LOOP
        part := 'samples_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(format('%I.%I', '{schema}', part)) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I.%I (LIKE %I.samples INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                '{schema}', part, '{schema}');
            EXECUTE format(
                'ALTER TABLE %I.%I ADD CONSTRAINT %I CHECK (sampled_at >= %L AND sampled_at < %L)',
                '{schema}', part, part || '_range',
                day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
            EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', '{schema}', part);
            EXECUTE format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', '{schema}', part);
            EXECUTE format(
                'CREATE POLICY tenant_isolation ON %I.%I USING ({predicate}) WITH CHECK ({predicate})',
                '{schema}', part);
            EXECUTE format(
                'ALTER TABLE %I.samples ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                '{schema}', '{schema}', part,
                day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
            made := made + 1;
        END IF;
        day := day + 1;
    END LOOP;
    RETURN made;
END
$fn$
"""

_RETENTION = """
CREATE FUNCTION "{schema}".apply_sample_retention(cutoff timestamptz)
RETURNS TABLE (dropped integer, trimmed bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    part record;
    upper_bound timestamptz;
BEGIN
    dropped := 0;
    PERFORM pg_advisory_xact_lock(hashtext('{schema}.sample_partitions'));
    FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = '"{schema}".samples'::regclass
          AND c.relname ~ '^samples_p[0-9]{{8}}$'
    LOOP
        upper_bound := (to_date(substr(part.relname, 10), 'YYYYMMDD') + 1)::text || ' 00:00:00+00';
        IF upper_bound <= cutoff THEN
            EXECUTE format('DROP TABLE %I.%I', '{schema}', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    -- Only the partition that holds the cut-off itself still has older rows.
    DELETE FROM "{schema}".samples WHERE sampled_at < cutoff;
    GET DIAGNOSTICS trimmed = ROW_COUNT;
    RETURN NEXT;
END
$fn$
"""


def downgrade(schema: str = "network") -> None:
    op.execute(f'DROP FUNCTION IF EXISTS "{schema}".apply_sample_retention(timestamptz)')
    op.execute(f'DROP FUNCTION IF EXISTS "{schema}".ensure_sample_partitions(date, date)')
    op.execute(f'DROP TABLE IF EXISTS "{schema}".samples')
    for table in ("devices", "customer_placements", "odps", "odcs", "olts"):
        op.drop_table(table, schema=schema)
