"""Who may do what: roles, tenants (404, never 403) and a subscriber's own token."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


async def _customer(tenant: Tenant, customer_body: Body, **fields: Any) -> dict[str, Any]:
    plan = await tenant.seed_plan()
    answer = await tenant.client("admin").post("/customers", json=customer_body(plan.id, **fields))
    return dict(answer.json()["data"])


def _writes(customer: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    url = f"/customers/{customer['id']}"
    return [
        ("POST", "/customers", {"full_name": "x"}),
        ("PATCH", url, {"city": "Jakarta"}),
        ("DELETE", url, None),
        ("POST", f"{url}/activate", {}),
        ("POST", f"{url}/suspend", {"reason": "x"}),
        ("POST", f"{url}/terminate", {"reason": "x"}),
        ("POST", f"{url}/change-plan", {"new_plan_id": str(uuid.uuid4())}),
    ]


async def test_no_token_is_401_everywhere(tenant: Tenant, customer_body: Body) -> None:
    customer = await _customer(tenant, customer_body)
    anonymous = tenant.anonymous_client()
    reads = [("GET", "/customers", None), ("GET", f"/customers/{customer['id']}", None)]
    for method, url, body in [*reads, *_writes(customer)]:
        answer = await anonymous.request(method, url, json=body)
        assert answer.status_code == 401, (method, url)
        assert answer.json()["error"]["code"] == "UNAUTHORIZED"
    forged = tenant.anonymous_client({"Authorization": "Bearer not-a-jwt"})
    assert (await forged.get("/customers")).status_code == 401


@pytest.mark.parametrize("role", ["finance", "technician", "viewer"])
async def test_read_only_roles_cannot_write(tenant: Tenant, customer_body: Body, role: str) -> None:
    customer = await _customer(tenant, customer_body)
    client = tenant.client(role)
    assert (await client.get(f"/customers/{customer['id']}")).status_code == 200
    for method, url, body in _writes(customer):
        answer = await client.request(method, url, json=body)
        assert answer.status_code == 403, (role, method, url)
        assert answer.json()["error"]["code"] == "FORBIDDEN"


async def test_another_tenant_sees_nothing_and_gets_404(
    new_tenant: Callable[[], Tenant], customer_body: Body
) -> None:
    owner, stranger = new_tenant(), new_tenant()
    customer = await _customer(owner, customer_body)
    client = stranger.client("admin")
    url = f"/customers/{customer['id']}"
    assert (await client.get(url)).status_code == 404
    assert (await client.get(f"/customers/by-code/{customer['customer_code']}")).status_code == 404
    listed = await client.get("/customers", params={"search": customer["full_name"]})
    assert listed.json()["meta"]["total"] == 0
    for method, path, body in _writes(customer)[1:]:
        answer = await client.request(method, path, json=body)
        assert answer.status_code == 404, (method, path)
        assert answer.json()["error"]["code"] == "NOT_FOUND"
    still = (await owner.client("admin").get(url)).json()["data"]
    assert still["status"] == "pending_activation" and still["version"] == 1


async def test_a_subscriber_sees_only_itself_and_writes_nothing(
    tenant: Tenant, customer_body: Body
) -> None:
    me = await _customer(tenant, customer_body)
    neighbour = await _customer(tenant, customer_body)
    client = tenant.client("customer", customer_id=uuid.UUID(me["id"]))
    assert (await client.get(f"/customers/{me['id']}")).status_code == 200
    assert (await client.get(f"/customers/by-code/{me['customer_code']}")).status_code == 200
    assert (await client.get(f"/customers/{neighbour['id']}")).status_code == 404
    assert (await client.get(f"/customers/by-code/{neighbour['customer_code']}")).status_code == 404
    listed = (await client.get("/customers")).json()
    assert [c["id"] for c in listed["data"]] == [me["id"]]
    assert listed["meta"]["total"] == 1
    for method, url, body in _writes(me):
        assert (await client.request(method, url, json=body)).status_code == 403, (method, url)
