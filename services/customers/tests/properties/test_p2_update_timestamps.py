from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]

any_text = st.text(max_size=20)
patches = st.fixed_dictionaries(
    {},
    optional={
        "city": st.one_of(st.none(), any_text),
        "full_name": any_text,
        "phone": st.sampled_from(["+62 811 000 1", "+62 811 000 2", "nope"]),
        "email": st.one_of(st.none(), st.sampled_from(["a@b.id", "c@d.id"])),
        "rt": st.one_of(st.none(), st.text(max_size=10)),
    },
)
operations = st.lists(
    st.one_of(
        patches.map(lambda body: ("PATCH", "", body)),
        st.sampled_from(
            [
                ("POST", "/activate", {}),
                ("POST", "/suspend", {"reason": "check"}),
                ("POST", "/terminate", {"reason": "gone"}),
            ]
        ),
    ),
    min_size=1,
    max_size=6,
)


def _time(data: dict[str, Any], field: str) -> datetime:
    return datetime.fromisoformat(data[field])


# Feature: isp-management-system, Property 2: Update timestamp consistency (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
async def test_updated_at_never_moves_backwards(
    new_tenant: Callable[[], Tenant],
    customer_body: Body,
    steps: list[tuple[str, str, dict[str, Any]]],
) -> None:
    tenant = new_tenant()
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    before = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    url = f"/customers/{before['id']}"
    created_at = _time(before, "created_at")
    for method, path, body in steps:
        answer = await client.request(method, url + path, json=body)
        assert answer.status_code in (200, 409, 422), answer.text
        after = (await client.get(url)).json()["data"]
        assert _time(after, "created_at") == created_at
        assert _time(after, "updated_at") >= created_at
        assert _time(after, "updated_at") >= _time(before, "updated_at")
        if after["version"] != before["version"]:
            assert after["version"] == before["version"] + 1
            assert _time(after, "updated_at") > _time(before, "updated_at")
        else:
            assert after["updated_at"] == before["updated_at"]
        before = after
