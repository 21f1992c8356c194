"""The baseline of `customers_search_p95`: bare FastAPI + asyncpg sending the SQL the customers
service sends for a search page - BEGIN with the tenant setting, the count, the page with its
read-model joins, COMMIT - without its auth, unit of work, SQLAlchemy and envelope. The tenant
comes in `X-Tenant`. Run as `python bench/bare_search_app.py --port P` with BENCH_DSN set.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg

# The same SQL as SqlCustomerRepository.page with a search and the default sort (-created_at).
_LIVE_MATCH = "customers.deleted_at IS NULL AND customers.search_document ILIKE $1 ESCAPE '\\'"
BARE_COUNT_SQL = f"SELECT count(*) FROM customers.customers WHERE {_LIVE_MATCH}"
BARE_PAGE_SQL = f"""
SELECT customers.*, accounts.outstanding_balance, accounts.due_date, accounts.last_payment_date,
       provisioning.status AS provisioning_status,
       provisioning.customer_version AS provisioned_version
FROM customers.customers
LEFT OUTER JOIN customers.accounts
  ON accounts.tenant_id = customers.tenant_id AND accounts.customer_id = customers.id
LEFT OUTER JOIN customers.provisioning
  ON provisioning.tenant_id = customers.tenant_id AND provisioning.customer_id = customers.id
WHERE {_LIVE_MATCH}
ORDER BY customers.created_at DESC, customers.id DESC
LIMIT $2 OFFSET $3
"""


def contains_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def serve_bare(port: int) -> None:
    import uvicorn
    from fastapi import FastAPI, Header, Query

    pool_size = int(os.environ.get("BENCH_POOL_SIZE", "10"))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(
            os.environ["BENCH_DSN"], min_size=pool_size, max_size=pool_size
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/v1/customers")
    async def search(
        x_tenant: UUID = Header(),
        search: str = Query(),
        page: int = Query(1),
        per_page: int = Query(20),
    ) -> dict[str, Any]:
        pattern = contains_pattern(search)
        async with app.state.pool.acquire() as conn:
            # As the service's unit of work: BEGIN and the tenant setting in one round trip.
            await conn.execute(f"BEGIN; SELECT set_config('app.tenant_id', '{x_tenant}', true)")
            try:
                total = await conn.fetchval(BARE_COUNT_SQL, pattern)
                rows = await conn.fetch(BARE_PAGE_SQL, pattern, per_page, (page - 1) * per_page)
            finally:
                await conn.execute("COMMIT")
        return {"data": [dict(row) for row in rows], "meta": {"page": page, "total": total}}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    serve_bare(parser.parse_args().port)
