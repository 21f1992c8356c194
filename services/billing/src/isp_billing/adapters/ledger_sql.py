"""The set-based statements of the ledger: the billing run, allocation and account refresh.

Each works on any number of customers in one statement, so the billing run costs the same few
round trips for one customer or 100,000. The rules they implement are stated in
docs/billing.md; the Python path shares only the calendar arithmetic (domain.cycles.add_months).
"""

# ruff: noqa: S608 -- only the schema constant and fixed fragments are interpolated, never input
from __future__ import annotations

from sqlalchemy import Boolean, Date, Integer, String, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from isp_billing.adapters.tables import SCHEMA

S = SCHEMA
_uuid = UUID(as_uuid=True)
_ids = bindparam("ids", type_=ARRAY(_uuid))


def _number(expression: str) -> str:
    """`INV-000042`: six digits at least, never truncated past a million."""
    digits = f"({expression})::text"
    return f"('INV-' || repeat('0', greatest(0, 6 - length({digits}))) || {digits})"


LOCK_INVOICE_COUNTER = text(
    f"""
    INSERT INTO {S}.counters (tenant_id, name, value) VALUES (:tenant, 'invoice', 0)
    ON CONFLICT (tenant_id, name) DO UPDATE SET value = {S}.counters.value
    RETURNING value
    """
).bindparams(bindparam("tenant", type_=_uuid))

# Period k of an account starts on anchor + k × cycle months (Postgres clamps to the month's
# end exactly as domain.cycles.add_months does). `full_months` is the number of whole months
# from the anchor to as_of, so the periods due are periods_billed … full_months / cycle, at most
# :max_periods of them (domain.cycles.MAX_PERIODS_PER_RUN).
# With :opening (the account's first invoices, for the customers in :only) the account is
# billed whatever its status now: the customer was active from the anchor on, even if billing
# hears of that only after their termination or deletion.
_DUE = f"""
    SELECT a.customer_id, p.id AS plan_id, p.name AS plan_name,
           p.monthly_price * a.cycle_months AS price, k.k,
           (a.anchor_date + make_interval(months => k.k * a.cycle_months))::date AS period_start,
           ((a.anchor_date + make_interval(months => (k.k + 1) * a.cycle_months))::date - 1)
               AS period_end
    FROM {S}.accounts a
    JOIN {S}.service_plans p ON p.id = a.service_plan_id AND p.tenant_id = a.tenant_id
    CROSS JOIN LATERAL (
        SELECT ((date_part('year', CAST(:as_of AS date)) - date_part('year', a.anchor_date)) * 12
                + date_part('month', CAST(:as_of AS date)) - date_part('month', a.anchor_date)
               )::int AS m
    ) mm
    CROSS JOIN LATERAL (
        SELECT CASE WHEN (a.anchor_date + make_interval(months => mm.m))::date > :as_of
                    THEN mm.m - 1 ELSE mm.m END AS full_months
    ) f
    CROSS JOIN LATERAL generate_series(
        a.periods_billed,
        least(f.full_months / a.cycle_months, a.periods_billed + CAST(:max_periods AS int) - 1)
    ) AS k(k)
    WHERE a.next_period_start <= :as_of
      AND ((a.status IN ('active', 'suspended') AND NOT a.is_deleted)
           OR CAST(:opening AS boolean))
      AND (CAST(:only AS uuid[]) IS NULL OR a.customer_id = ANY(CAST(:only AS uuid[])))
"""

ISSUE_DUE_INVOICES = text(
    f"""
    WITH due AS ({_DUE}),
    numbered AS (SELECT due.*, row_number() OVER (ORDER BY customer_id, k) AS n FROM due),
    issued AS (
        INSERT INTO {S}.invoices (
            id, tenant_id, invoice_number, customer_id, kind, source_key, period_start,
            period_end, issue_date, due_date, total, amount_paid, status, lines, created_at,
            updated_at
        )
        SELECT gen_random_uuid(), :tenant, {_number(":base + n")}, customer_id, 'subscription',
               'period:' || period_start, period_start, period_end, period_start,
               period_start + CAST(:due_days AS int), price, 0,
               CASE WHEN price = 0 THEN 'paid' ELSE 'open' END,
               jsonb_build_array(jsonb_build_object(
                   'kind', 'subscription',
                   'description', plan_name || ' ' || period_start || ' to ' || period_end,
                   'service_plan_id', plan_id,
                   'period_start', period_start,
                   'period_end', period_end,
                   'amount', price::text)),
               now(), now()
        FROM numbered
        ON CONFLICT DO NOTHING
        RETURNING customer_id
    ),
    advanced AS (
        UPDATE {S}.accounts a
        SET periods_billed = d.last_k + 1,
            next_period_start =
                (a.anchor_date + make_interval(months => (d.last_k + 1) * a.cycle_months))::date,
            updated_at = now()
        FROM (SELECT customer_id, max(k) AS last_k FROM due GROUP BY customer_id) d
        WHERE a.customer_id = d.customer_id
        RETURNING a.customer_id, a.credit > 0 AS has_credit
    ),
    counted AS (
        UPDATE {S}.counters SET value = :base + (SELECT count(*) FROM numbered)
        WHERE tenant_id = :tenant AND name = 'invoice'
        RETURNING value
    )
    SELECT a.customer_id, a.has_credit,
           (SELECT count(*) FROM issued) AS issued, (SELECT count(*) FROM counted) AS counted
    FROM advanced a
    """
).bindparams(
    bindparam("tenant", type_=_uuid),
    bindparam("as_of", type_=Date),
    bindparam("base", type_=Integer),
    bindparam("due_days", type_=Integer),
    bindparam("max_periods", type_=Integer),
    bindparam("only", type_=ARRAY(_uuid)),
    bindparam("opening", type_=Boolean),
)

# Allocation, recomputed from scratch for the given customers: non-void payments (by date, then
# recording) fill non-void invoices oldest first. Both are laid end to end as intervals of a
# running sum; what a payment gives an invoice is where their intervals overlap. So the result
# is a function of the sets of payments and invoices alone: voiding a payment leaves exactly the
# allocations it would have had it never been recorded (docs/properties.md, Property 13). Only
# the difference to the live allocations is written: unchanged rows stay, vanished ones are
# marked reversed.
REALLOCATE = text(
    f"""
    WITH pay AS (
        SELECT p.id AS payment_id, p.customer_id, p.amount,
               sum(p.amount) OVER (PARTITION BY p.customer_id
                                   ORDER BY p.payment_date, p.created_at, p.id) AS p_end
        FROM {S}.payments p
        WHERE p.status = 'completed' AND p.customer_id = ANY(:ids)
    ),
    inv AS (
        SELECT i.id AS invoice_id, i.customer_id, i.total,
               sum(i.total) OVER (PARTITION BY i.customer_id
                                  ORDER BY i.issue_date, i.due_date, length(i.invoice_number),
                                           i.invoice_number) AS i_end
        FROM {S}.invoices i
        WHERE i.status <> 'void' AND i.customer_id = ANY(:ids)
    ),
    ideal AS (
        SELECT * FROM (
            SELECT p.customer_id, p.payment_id, i.invoice_id,
                   least(p.p_end, i.i_end) - greatest(p.p_end - p.amount, i.i_end - i.total)
                       AS amount
            FROM pay p JOIN inv i ON i.customer_id = p.customer_id
            WHERE p.p_end - p.amount < i.i_end AND i.i_end - i.total < p.p_end
        ) overlap
        WHERE amount > 0
    ),
    reversed AS (
        UPDATE {S}.allocations al SET reversed_at = now()
        WHERE al.reversed_at IS NULL AND al.customer_id = ANY(:ids)
          AND NOT EXISTS (
              SELECT 1 FROM ideal x
              WHERE x.payment_id = al.payment_id AND x.invoice_id = al.invoice_id
                AND x.amount = al.amount)
        RETURNING al.id
    ),
    added AS (
        INSERT INTO {S}.allocations (
            id, tenant_id, customer_id, payment_id, invoice_id, amount, created_at)
        SELECT gen_random_uuid(), :tenant, x.customer_id, x.payment_id, x.invoice_id, x.amount,
               now()
        FROM ideal x
        WHERE NOT EXISTS (
            SELECT 1 FROM {S}.allocations al
            WHERE al.reversed_at IS NULL AND al.payment_id = x.payment_id
              AND al.invoice_id = x.invoice_id AND al.amount = x.amount)
        RETURNING id
    ),
    settled AS (
        SELECT inv.invoice_id, coalesce(sum(x.amount), 0) AS paid,
               CASE WHEN coalesce(sum(x.amount), 0) >= inv.total THEN 'paid' ELSE 'open' END
                   AS status
        FROM inv LEFT JOIN ideal x ON x.invoice_id = inv.invoice_id
        GROUP BY inv.invoice_id, inv.total
    ),
    touched AS (
        UPDATE {S}.invoices v SET amount_paid = s.paid, status = s.status, updated_at = now()
        FROM settled s
        WHERE v.id = s.invoice_id AND (v.amount_paid, v.status) IS DISTINCT FROM (s.paid, s.status)
        RETURNING v.id
    )
    SELECT (SELECT count(*) FROM reversed) AS reversed, (SELECT count(*) FROM added) AS added,
           (SELECT count(*) FROM touched) AS touched
    """
).bindparams(_ids, bindparam("tenant", type_=_uuid))

# The accounts' derived state (outstanding, credit, due date, last payment, overdue) from the
# ledger, and one event per account that changed: overdue or settled when the verdict flips,
# updated otherwise. With :check false the overdue verdict is left as it was. The envelopes are
# spelled out here rather than built by raise_event, to stay one statement for the whole tenant;
# tests/integration/test_account_events_match_contract.py decodes every one with the contract.
REFRESH_ACCOUNTS = text(
    f"""
    WITH target AS (
        SELECT a.customer_id, a.is_overdue AS was_overdue,
               coalesce((p.advanced->>'grace_period_days')::int, 0) AS grace
        FROM {S}.accounts a
        LEFT JOIN {S}.service_plans p ON p.id = a.service_plan_id AND p.tenant_id = a.tenant_id
        WHERE CAST(:ids AS uuid[]) IS NULL OR a.customer_id = ANY(CAST(:ids AS uuid[]))
    ),
    inv AS (
        SELECT i.customer_id, sum(i.total - i.amount_paid) AS outstanding,
               min(i.due_date) AS due_date,
               bool_or(i.due_date + t.grace < CAST(:today AS date)) AS overdue
        FROM {S}.invoices i JOIN target t ON t.customer_id = i.customer_id
        WHERE i.status = 'open'
        GROUP BY i.customer_id
    ),
    pay AS (
        SELECT p.customer_id, sum(p.amount) AS paid, max(p.payment_date) AS last_payment_date
        FROM {S}.payments p JOIN target t ON t.customer_id = p.customer_id
        WHERE p.status = 'completed'
        GROUP BY p.customer_id
    ),
    alloc AS (
        SELECT al.customer_id, sum(al.amount) AS allocated
        FROM {S}.allocations al JOIN target t ON t.customer_id = al.customer_id
        WHERE al.reversed_at IS NULL
        GROUP BY al.customer_id
    ),
    computed AS (
        SELECT t.customer_id, t.was_overdue,
               coalesce(inv.outstanding, 0) AS outstanding,
               coalesce(pay.paid, 0) - coalesce(alloc.allocated, 0) AS credit,
               inv.due_date, pay.last_payment_date,
               CASE WHEN :check THEN coalesce(inv.overdue, false) ELSE t.was_overdue END
                   AS overdue
        FROM target t
        LEFT JOIN inv ON inv.customer_id = t.customer_id
        LEFT JOIN pay ON pay.customer_id = t.customer_id
        LEFT JOIN alloc ON alloc.customer_id = t.customer_id
    ),
    changed AS (
        UPDATE {S}.accounts a
        SET outstanding_balance = c.outstanding, credit = c.credit, due_date = c.due_date,
            last_payment_date = c.last_payment_date, is_overdue = c.overdue,
            version = a.version + 1, updated_at = now()
        FROM computed c
        WHERE a.customer_id = c.customer_id
          AND (a.outstanding_balance, a.credit, a.due_date, a.last_payment_date, a.is_overdue)
              IS DISTINCT FROM (c.outstanding, c.credit, c.due_date, c.last_payment_date,
                                c.overdue)
        RETURNING a.customer_id, a.outstanding_balance, a.credit, a.due_date,
                  a.last_payment_date, a.is_overdue, a.version, c.was_overdue
    ),
    typed AS (
        SELECT c.*, gen_random_uuid() AS event_id,
               CASE WHEN c.is_overdue AND NOT c.was_overdue THEN 'billing.account.overdue'
                    WHEN c.was_overdue AND NOT c.is_overdue THEN 'billing.account.settled'
                    ELSE 'billing.account.updated' END AS type
        FROM changed c
    ),
    published AS (
        INSERT INTO {S}.outbox (id, tenant_id, type, payload)
        SELECT e.event_id, :tenant, e.type, jsonb_build_object(
            'id', e.event_id, 'type', e.type, 'version', 1, 'occurred_at', now(),
            'tenant_id', CAST(:tenant AS uuid), 'producer', 'billing',
            'aggregate_id', e.customer_id, 'aggregate_version', e.version,
            'correlation_id', coalesce(:correlation_id, e.event_id::text),
            'causation_id', :causation_id, 'actor', CAST(:actor AS jsonb),
            'data', jsonb_build_object(
                'customer_id', e.customer_id,
                'outstanding_balance', e.outstanding_balance::text,
                'credit', e.credit::text,
                'due_date', e.due_date,
                'last_payment_date', e.last_payment_date,
                'is_overdue', e.is_overdue,
                'version', e.version))
        FROM typed e
        RETURNING type
    )
    SELECT type, count(*) AS events FROM published GROUP BY type
    """
).bindparams(
    bindparam("ids", type_=ARRAY(_uuid)),
    bindparam("tenant", type_=_uuid),
    bindparam("today", type_=Date),
    bindparam("check", type_=Boolean),
    bindparam("correlation_id", type_=String),
    bindparam("causation_id", type_=String),
    bindparam("actor", type_=JSONB),
)
