"""Whatever its admins do to the tenant's users (change roles, disable, enable), in any order,
the tenant keeps an active admin: every change that would take away the last one is refused
with INVALID_STATE and changes nothing, and every other change is made."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

USERS = 3
ROLE_SETS = [["admin"], ["viewer"], ["admin", "finance"], ["support"]]
changes = st.lists(
    st.tuples(
        st.integers(0, USERS - 1),
        st.one_of(
            st.sampled_from(ROLE_SETS).map(lambda roles: {"roles": roles}),
            st.sampled_from(["active", "disabled"]).map(lambda status: {"status": status}),
        ),
    ),
    min_size=1,
    max_size=8,
)


def is_active_admin(user: dict[str, Any]) -> bool:
    return user["status"] == "active" and "admin" in user["roles"]


# Feature: isp-management-system, Property 35: A tenant keeps an active admin (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=changes)
async def test_no_sequence_of_user_changes_leaves_a_tenant_without_an_active_admin(
    new_tenant: Callable[[], Tenant], steps: list[tuple[int, dict[str, Any]]]
) -> None:
    tenant = new_tenant()
    admin = tenant.client("admin")
    users = []
    for n in range(USERS):
        body = {
            "email": f"u{n}-{uuid.uuid4().hex[:6]}@example.com",
            "full_name": f"User {n}",
            "roles": ["admin"] if n == 0 else ["viewer"],
        }
        answer = await admin.post("/users", json=body)
        assert answer.status_code == 201, answer.text
        users.append(answer.json()["data"])
    for index, change in steps:
        before = [dict(u) for u in users]
        after = {**users[index], **{k: sorted(v) if k == "roles" else v for k, v in change.items()}}
        others = sum(is_active_admin(u) for i, u in enumerate(before) if i != index)
        answer = await admin.patch(f"/users/{users[index]['id']}", json=change)
        if is_active_admin(before[index]) and not is_active_admin(after) and others == 0:
            assert answer.status_code == 409, answer.text
            assert answer.json()["error"]["code"] == "INVALID_STATE"
        else:
            assert answer.status_code == 200, answer.text
            users[index] = answer.json()["data"]
        listed = (await admin.get("/users")).json()["data"]
        assert sum(is_active_admin(u) for u in listed) >= 1
        assert {u["id"]: (u["status"], u["roles"]) for u in listed} == {
            u["id"]: (u["status"], u["roles"]) for u in users
        }
