"""The baseline of `customers_get_by_id`: bare FastAPI + asyncpg, one primary-key SELECT.

No auth, no tenancy, no envelope, no ORM: what a hand-written endpoint on the same table and the
same server settings costs. Run as `python bench/bare_app.py --port P` with BENCH_DSN set.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
import uvicorn
from fastapi import FastAPI, HTTPException

POOL_SIZE = int(os.environ.get("BENCH_POOL_SIZE", "10"))
QUERY = "SELECT * FROM customers.customers WHERE id = $1"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(
        os.environ["BENCH_DSN"], min_size=POOL_SIZE, max_size=POOL_SIZE
    )
    try:
        yield
    finally:
        await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/customers/{customer_id}")
async def get_customer(customer_id: UUID) -> dict[str, Any]:
    row = await app.state.pool.fetchrow(QUERY, customer_id)
    if row is None:
        raise HTTPException(404)
    return dict(row)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
