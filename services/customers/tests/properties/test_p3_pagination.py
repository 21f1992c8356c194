from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
FIRST_NAMES = ["Ani", "Budi", "Citra", "Dewi", "Eko", "Fajar"]
LAST_NAMES = ["Santoso", "Wijaya", "Lestari", "Hidayat", "Anggraini"]


@dataclass(frozen=True)
class Catalogue:
    tenant: Tenant
    customers: list[dict[str, Any]]  # as the service answered the last write to each
    plan_ids: list[str]
    odp_ids: list[str]


@pytest.fixture(scope="module")
async def catalogue(new_tenant: Callable[[], Tenant], customer_body: Body) -> Catalogue:
    """28 customers over 2 plans, 2 ODPs (or none) and every status, with varied names."""
    tenant = new_tenant()
    plans = [str((await tenant.seed_plan(name=f"Plan {n}")).id) for n in range(2)]
    odps = [str((await tenant.seed_odp(capacity=100)).id) for _ in range(2)]
    client = tenant.client("admin")
    customers = []
    for n in range(28):
        name = f"{FIRST_NAMES[n % 6]} {LAST_NAMES[n % 5]}"
        body = customer_body(
            plans[n % 2],
            full_name=name,
            phone=f"+62 81{n % 3} {1000 + n}",
            email=f"{name.split()[0].lower()}.{n}@example.id" if n % 4 else None,
            pppoe_username=f"{name.split()[0].lower()}.p{n}" if n % 3 else None,
            odp_id=odps[n % 3] if n % 3 < 2 else None,
        )
        data = (await client.post("/customers", json=body)).json()["data"]
        url = f"/customers/{data['id']}"
        for step, payload in [
            ("activate", {}),
            ("suspend", {"reason": "x"}),
            ("terminate", {"reason": "x"}),
        ][: n % 4]:
            data = (await client.post(f"{url}/{step}", json=payload)).json()["data"]
        customers.append(data)
    return Catalogue(tenant, customers, plans, odps)


def _haystack(customer: dict[str, Any]) -> str:
    fields = ("full_name", "customer_code", "phone", "email", "pppoe_username")
    return "\n".join(customer[f] or "" for f in fields).lower()


def _matches(customer: dict[str, Any], query: dict[str, Any]) -> bool:
    return (
        query.get("search", "").lower() in _haystack(customer)
        and query.get("status", customer["status"]) == customer["status"]
        and query.get("service_plan_id", customer["service_plan_id"]) == customer["service_plan_id"]
        and query.get("odp_id", customer["odp_id"]) == customer["odp_id"]
    )


known_terms = st.sampled_from(
    ["a", "an", "BUD", "santoso", "cust-0000", "+62 811", "example", ".p1", "i", "zzz"]
)
search_terms = st.one_of(
    known_terms, known_terms, st.text("abcdeiknorstuwy0123456789.-+ @", min_size=1, max_size=2)
)
queries = st.fixed_dictionaries(
    {},
    optional={
        "search": search_terms,
        "status": st.sampled_from(["pending_activation", "active", "suspended", "terminated"]),
        "service_plan_id": st.integers(0, 2),
        "odp_id": st.integers(0, 2),
        "sort": st.sampled_from(
            [
                "created_at",
                "-created_at",
                "full_name",
                "-full_name",
                "customer_code",
                "-customer_code",
                "status",
                "-status",
                "updated_at",
                "-updated_at",
            ]
        ),
    },
)


# Feature: isp-management-system, Property 3: Pagination correctness (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw_query=queries, per_page=st.integers(1, 30))
async def test_walking_the_pages_meets_every_match_once(
    catalogue: Catalogue, raw_query: dict[str, Any], per_page: int
) -> None:
    query = dict(raw_query)
    for key, known in (("service_plan_id", catalogue.plan_ids), ("odp_id", catalogue.odp_ids)):
        if key in query:  # one of ours, or one nobody has
            query[key] = known[query[key]] if query[key] < len(known) else str(uuid.uuid4())
    expected = {c["id"] for c in catalogue.customers if _matches(c, query)}
    event("no match" if not expected else "one page" if len(expected) <= per_page else "pages")
    client = catalogue.tenant.client("viewer")
    seen: list[str] = []
    pages = max(1, math.ceil(len(expected) / per_page))
    for page in range(1, pages + 2):  # one page past the end, which must be empty
        answer = await client.get(
            "/customers", params={**query, "page": page, "per_page": per_page}
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["meta"] == {"page": page, "per_page": per_page, "total": len(expected)}
        items = [c["id"] for c in body["data"]]
        assert len(items) == (min(per_page, len(expected) - len(seen)) if page <= pages else 0)
        seen.extend(items)
    assert len(seen) == len(set(seen))
    assert set(seen) == expected
