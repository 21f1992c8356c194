"""Narrows the SECURITY DEFINER functions the service role may call as the owner.

`apply_sample_retention(cutoff)` deleted whatever was older than the caller's cut-off, in every
tenant: with a cut-off of now, all monitoring data. The cut-off is now clamped inside the
function to at most now() minus the floor in `sample_retention_floor`, a table only the owner
can change (forced RLS with an owner-only policy: the service role's grants see no row), seeded
from ISP_NETWORK_MONITORING_RETENTION_DAYS when this migration runs. The function answers the
cut-off it applied.

`ensure_sample_partitions(first, last)` made tables for any 401 days, any year: it now refuses
ranges ending more than 62 days ahead or starting more than ten years back.

Revision ID: 0003_retention_floor
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

from isp_network.bootstrap import NetworkSettings

revision = "0003_retention_floor"
down_revision = "0002"
branch_labels = None
depends_on = None

_RETENTION = """
CREATE FUNCTION "{schema}".apply_sample_retention(cutoff timestamptz)
RETURNS TABLE (dropped integer, trimmed bigint, applied_cutoff timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    part record;
    upper_bound timestamptz;
    floor_days integer;
BEGIN
{clamp}    dropped := 0;
    PERFORM pg_advisory_xact_lock(hashtext('{schema}.sample_partitions'));
    FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = '"{schema}".samples'::regclass
          AND c.relname ~ '^samples_p[0-9]{{8}}$'
    LOOP
        upper_bound := (to_date(substr(part.relname, 10), 'YYYYMMDD') + 1)::text || ' 00:00:00+00';
        IF upper_bound <= applied_cutoff THEN
            EXECUTE format('DROP TABLE %I.%I', '{schema}', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    -- Only the partition that holds the cut-off itself still has older rows.
    DELETE FROM "{schema}".samples WHERE sampled_at < applied_cutoff;
    GET DIAGNOSTICS trimmed = ROW_COUNT;
    RETURN NEXT;
END
$fn$
"""

_CLAMP = """    SELECT min_days INTO floor_days FROM "{schema}".sample_retention_floor;
    -- No row (the owner deleted it): keep everything rather than trust the caller.
    applied_cutoff := least(cutoff, now() - make_interval(days => coalesce(floor_days, 36500)));
"""
_RETENTION = _RETENTION.replace("{clamp}", _CLAMP)

_PARTITION_GUARD = """
    IF last_day < first_day OR last_day - first_day > 400 THEN
        RAISE EXCEPTION 'partition range % .. % refused', first_day, last_day;
    END IF;
"""
_NARROW_GUARD = """
    IF last_day < first_day OR last_day - first_day > 400
       OR last_day > current_date + 62 OR first_day < current_date - 3660 THEN
        RAISE EXCEPTION 'partition range % .. % refused', first_day, last_day;
    END IF;
"""


def upgrade(schema: str = "network") -> None:
    role = f"isp_{schema}"
    op.execute(
        f'CREATE TABLE "{schema}".sample_retention_floor ('
        "one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row), "
        "min_days integer NOT NULL CHECK (min_days >= 0))"
    )
    op.execute(f'ALTER TABLE "{schema}".sample_retention_floor ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{schema}".sample_retention_floor FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY owner_only ON "{schema}".sample_retention_floor FOR ALL TO CURRENT_USER '
        "USING (true) WITH CHECK (true)"
    )
    floor_days = int(NetworkSettings().network_monitoring_retention_days)
    op.execute(f'INSERT INTO "{schema}".sample_retention_floor (min_days) VALUES ({floor_days})')
    op.execute(f'DROP FUNCTION "{schema}".apply_sample_retention(timestamptz)')
    op.execute(_RETENTION.format(schema=schema))
    _narrow_partitions(schema, _PARTITION_GUARD, _NARROW_GUARD)
    signature = "apply_sample_retention(timestamptz)"
    op.execute(f'REVOKE ALL ON FUNCTION "{schema}".{signature} FROM PUBLIC')
    op.execute(f'GRANT EXECUTE ON FUNCTION "{schema}".{signature} TO "{role}"')


def _narrow_partitions(schema: str, old: str, new: str) -> None:
    """Rewrites the guard in the function's own body (the rest of it is left as it is)."""
    conn = op.get_bind()
    body = conn.exec_driver_sql(
        "SELECT pg_get_functiondef(p.oid) FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        f"WHERE n.nspname = '{schema}' AND p.proname = 'ensure_sample_partitions'"
    ).scalar_one()
    guard_old, guard_new = old.strip(), new.strip()
    if guard_old not in body:
        raise RuntimeError("ensure_sample_partitions is not the function 0001 made")
    op.execute(body.replace(guard_old, guard_new))


def downgrade(schema: str = "network") -> None:
    role = f"isp_{schema}"
    _narrow_partitions(schema, _NARROW_GUARD, _PARTITION_GUARD)
    op.execute(f'DROP FUNCTION "{schema}".apply_sample_retention(timestamptz)')
    unclamped = _RETENTION.replace(_CLAMP, "    applied_cutoff := cutoff;\n")
    op.execute(unclamped.format(schema=schema))
    signature = "apply_sample_retention(timestamptz)"
    op.execute(f'REVOKE ALL ON FUNCTION "{schema}".{signature} FROM PUBLIC')
    op.execute(f'GRANT EXECUTE ON FUNCTION "{schema}".{signature} TO "{role}"')
    op.execute(f'DROP TABLE "{schema}".sample_retention_floor')
