from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

prices = st.sampled_from(["100000.00", "150000.00", "150000.50", "0.00"])
patches = st.fixed_dictionaries(
    {},
    optional={
        "description": st.one_of(st.none(), st.sampled_from(["Fibre", "Fibre home"])),
        "bandwidth_download": st.sampled_from([10_000, 20_000]),
        "bandwidth_upload": st.sampled_from([5_000, 10_000]),
        "monthly_price": prices,
        "is_active": st.booleans(),
    },
)
advanced = st.fixed_dictionaries(
    {},
    optional={
        "burst_rate_download": st.sampled_from([30_000, 40_000]),
        "billing_cycle": st.sampled_from(["monthly", "quarterly"]),
        "grace_period_days": st.integers(0, 3),
        "vlan_id": st.sampled_from([100, 200]),
        "area_coverage": st.sampled_from([[], ["Bandung"], ["Bandung", "Cimahi"]]),
        "traffic_shaping": st.sampled_from([None, {"mode": "pcq"}]),
        "auto_apply_to_mikrotik": st.booleans(),
    },
)
changes = st.lists(
    st.one_of(
        st.tuples(st.just("patch"), patches),
        st.tuples(st.just("advanced"), advanced),
        st.tuples(st.just("toggle"), st.just({})),
    ),
    min_size=1,
    max_size=5,
)

ADVANCED_DEFAULTS = {
    "burst_rate_download": None,
    "billing_cycle": "monthly",
    "grace_period_days": 0,
    "vlan_id": None,
    "area_coverage": [],
    "traffic_shaping": None,
    "auto_apply_to_mikrotik": True,
}


# Feature: isp-management-system, Property 9: Plan changelog (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=changes)
async def test_every_change_logs_each_changed_field_with_old_and_new(
    new_tenant: Callable[[], Tenant], steps: list[tuple[str, dict[str, Any]]]
) -> None:
    tenant = new_tenant()
    plan = await tenant.plan("150000.00", description="Fibre")
    client = tenant.client("admin")
    plan_id = plan["id"]
    current: dict[str, Any] = {
        k: plan[k]
        for k in (
            "description",
            "bandwidth_download",
            "bandwidth_upload",
            "monthly_price",
            "is_active",
        )
    }
    current_advanced: dict[str, Any] | None = None
    expected: list[tuple[str, Any, Any]] = []
    for kind, body in steps:
        if kind == "patch":
            answer = await client.patch(f"/service-plans/{plan_id}", json=body)
            for name, value in body.items():
                if current[name] != value:
                    expected.append((name, current[name], value))
                    current[name] = value
        elif kind == "toggle":
            answer = await client.post(f"/service-plans/{plan_id}/toggle")
            expected.append(("is_active", current["is_active"], not current["is_active"]))
            current["is_active"] = not current["is_active"]
        else:
            answer = await client.put(f"/service-plans/{plan_id}/advanced", json=body)
            full = answer.json()["data"]["advanced"]
            new_values = {
                k: full[k] for k in full if k not in ("service_plan_id", "created_at", "updated_at")
            }
            for name, value in new_values.items():
                before = current_advanced.get(name) if current_advanced else None
                if before != value:
                    expected.append((f"advanced.{name}", before, value))
            current_advanced = new_values
            for name, value in {**ADVANCED_DEFAULTS, **body}.items():
                assert full[name] == value
        assert answer.status_code == 200, answer.text
    detail = (await client.get(f"/service-plans/{plan_id}")).json()["data"]
    logged = [(e["field"], e["old_value"], e["new_value"]) for e in detail["changelog"]]
    # Within one change the order of fields is the model's; across changes, the changes'.
    assert sorted(map(repr, logged)) == sorted(map(repr, expected))
    assert len(logged) == len(expected)
    for name, value in current.items():
        assert detail[name] == value
