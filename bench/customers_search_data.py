"""The data of `customers_search_p95`: 100,000 customers per tenant written straight into the
table as its owner (set-based, generate_series) with Indonesian names, CUST-nnnnnn codes, 08xx
phone numbers, e-mails and PPPoE usernames, spread over about three years of created_at, plus
their account replicas; then VACUUM ANALYZE."""

from __future__ import annotations

from uuid import UUID

import asyncpg

# Pseudo-random but reproducible: a multiplicative hash of the row number picks each part.
SEED_SQL = """
WITH numbered AS (
    SELECT g,
           (g::bigint * 2654435761 + $3::bigint * 40503) % 4294967291 AS h
    FROM generate_series(1, $2::int) AS g
), people AS (
    SELECT g, h,
           (ARRAY['Budi','Siti','Agus','Dewi','Andi','Rina','Joko','Sri','Ahmad','Nur',
                  'Eko','Wati','Hendra','Yuni','Rudi','Lestari','Bambang','Fitri','Dedi',
                  'Indah','Yusuf','Ratna','Hadi','Putri','Slamet','Ayu','Iwan','Maya',
                  'Rizki','Wulan','Fajar','Nining','Taufik','Endang','Arif','Sari',
                  'Dimas','Tuti','Ujang','Neneng'])[1 + h % 40] AS first_name,
           (ARRAY['Santoso','Wijaya','Saputra','Hidayat','Pratama','Kusuma','Setiawan',
                  'Nugroho','Rahayu','Lestari','Gunawan','Susanto','Hartono','Suharto',
                  'Purnomo','Siregar','Nasution','Simanjuntak','Sihombing','Harahap',
                  'Hakim','Syahputra','Firmansyah','Kurniawan','Permana','Sutrisno',
                  'Wibowo','Utomo','Maulana','Ramadhan'])[1 + (h / 40) % 30] AS last_name
    FROM numbered
)
INSERT INTO customers.customers (
    id, tenant_id, customer_code, full_name, phone, email, address, city, status,
    suspension_cause, pppoe_username, version, created_at, updated_at
)
SELECT gen_random_uuid(), $1,
       'CUST-' || lpad(g::text, 6, '0'),
       first_name || ' ' || last_name,
       '08' || (ARRAY['11','12','13','21','22','23','52','53','57','77','78','95','96',
                      '81','82','83'])[1 + (h / 1200) % 16]
            || lpad(((h * 7919) % 100000000)::text, 8, '0'),
       CASE WHEN g % 5 = 0 THEN NULL
            ELSE lower(first_name) || '.' || lower(last_name) || (g % 97)::text || '@'
                 || (ARRAY['gmail.com','yahoo.co.id','gmail.com','outlook.com'])[1 + g % 4]
       END,
       'Jl. ' || (ARRAY['Merdeka','Sudirman','Diponegoro','Ahmad Yani','Gatot Subroto',
                        'Pahlawan','Cendana','Melati'])[1 + (h / 48000) % 8]
             || ' No. ' || (1 + g % 200)::text,
       (ARRAY['Bandung','Cimahi','Sumedang','Garut'])[1 + g % 4],
       CASE g % 20 WHEN 0 THEN 'suspended' WHEN 1 THEN 'terminated'
                   WHEN 2 THEN 'pending_activation' ELSE 'active' END,
       CASE WHEN g % 20 = 0 THEN 'overdue' END,
       lower(first_name) || g::text,
       1,
       now() - ($2::int - g) * interval '15 minutes',
       now() - ($2::int - g) * interval '15 minutes'
FROM people
"""

ACCOUNTS_SQL = """
INSERT INTO customers.accounts (
    tenant_id, customer_id, outstanding_balance, credit, due_date, last_payment_date,
    is_overdue, version
)
SELECT tenant_id, id, CASE WHEN status = 'suspended' THEN 250000 ELSE 0 END, 0,
       current_date + 10, current_date - 20, status = 'suspended', 1
FROM customers.customers
WHERE tenant_id = $1 AND status IN ('active', 'suspended')
"""


async def seed(owner_dsn: str, tenants: list[UUID], count: int) -> None:
    """Customers and their account replicas, written directly as the owner."""
    conn = await asyncpg.connect(owner_dsn)
    try:
        for number, tenant in enumerate(tenants):
            async with conn.transaction():
                await conn.execute("select set_config('app.tenant_id', $1, true)", str(tenant))
                await conn.execute(SEED_SQL, tenant, count, number)
                await conn.execute(ACCOUNTS_SQL, tenant)
        await conn.execute("VACUUM ANALYZE customers.customers")
        await conn.execute("VACUUM ANALYZE customers.accounts")
    finally:
        await conn.close()
