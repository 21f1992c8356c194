from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_boost.use_cases.apply_replicas import apply_customer_snapshot
from isp_boost.use_cases.expire_due import expire_due_boosts

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
TICK = timedelta(microseconds=1)


@dataclass
class Model:
    statuses: list[str]
    active: int | None = None  # index of the activated request


def _index(model: Model, pick: int) -> int | None:
    """Counting from the newest request, so that commands mostly meet requests that can move."""
    return len(model.statuses) - 1 - pick % len(model.statuses) if model.statuses else None


_request = st.tuples(
    st.just("request"),
    st.integers(20_001, 200_000),
    st.integers(10_000, 100_000),
    st.integers(1, 720),
    st.booleans(),  # approved at once
)
_approved_request = st.tuples(
    st.just("request"),
    st.integers(20_001, 200_000),
    st.integers(10_000, 100_000),
    st.integers(1, 720),
    st.just(True),
)
_decision = st.tuples(
    st.sampled_from(["activate", "activate", "activate", "approve", "reject"]),
    st.integers(0, 1),
)
# Weighted (a branch listed twice is drawn twice as often) towards the way to an active boost,
# where the interesting rules are.
commands = st.lists(
    st.one_of(
        _request,
        _decision,
        _decision,
        st.tuples(st.just("deactivate")),
        st.tuples(st.just("expire"), st.booleans()),  # True: just before its time; False: at it
        st.tuples(st.just("switch_plan")),
    ),
    min_size=3,
    max_size=12,
)


# Feature: isp-management-system, Property 24: Boost lifecycle (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=st.lists(_approved_request, min_size=1, max_size=3), steps=commands)
async def test_one_active_boost_that_expires_on_time_and_gives_back_the_plan(
    new_tenant: Callable[[], Tenant],
    boost_body: Body,
    outbox_events: Events,
    owner_engine: AsyncEngine,
    first: list[tuple[Any, ...]],
    steps: list[tuple[Any, ...]],
) -> None:
    """`first` makes a few approved requests, `steps` then drives them."""
    tenant = new_tenant()
    plans = [
        await tenant.seed_plan(bandwidth_download=10_000, bandwidth_upload=5_000),
        await tenant.seed_plan(bandwidth_download=20_000, bandwidth_upload=10_000),
    ]
    customer = await tenant.seed_customer(plans[0])
    plan_index, customer_version = 0, 1
    await tenant.set_price("1000.00")
    client = tenant.client("admin")
    ids: list[str] = []
    model = Model(statuses=[])

    for step in [*first, *steps]:
        name = step[0]
        ended: int | None = None
        if name == "request":
            body = boost_body(
                customer.id,
                requested_speed_download=step[1],
                requested_speed_upload=step[2],
                duration_hours=step[3],
            )
            answer = await client.post("/speed-boosts", json=body)
            assert answer.status_code == 201, answer.text
            ids.append(answer.json()["data"]["id"])
            model.statuses.append("pending")
            if step[4]:
                approved = await client.post(f"/speed-boosts/{ids[-1]}/approve")
                assert approved.status_code == 200, approved.text
                model.statuses[-1] = "approved"
        elif name in ("approve", "reject", "activate"):
            i = _index(model, step[1])
            if i is None:
                continue
            status = model.statuses[i]
            payload = {"reason": "busy"} if name == "reject" else None
            answer = await client.post(f"/speed-boosts/{ids[i]}/{name}", json=payload)
            allowed = {
                "approve": status == "pending",
                "reject": status in ("pending", "approved"),
                "activate": status == "approved",
            }[name]
            if name == "activate" and allowed and model.active is not None:
                event("a second activation refused")
                assert answer.status_code == 409, answer.text
                assert answer.json()["error"]["code"] == "CONFLICT"
            elif allowed:
                assert answer.status_code == 200, answer.text
                model.statuses[i] = {
                    "approve": "approved",
                    "reject": "rejected",
                    "activate": "activated",
                }[name]
                if name == "activate":
                    event("a boost activated")
                    model.active = i
            else:
                assert answer.status_code == 409, answer.text
                assert answer.json()["error"]["code"] == "INVALID_STATE"
        elif name == "deactivate":
            answer = await client.post(f"/customers/{customer.id}/speed-boost/deactivate")
            if model.active is None:
                assert answer.status_code == 404
            else:
                assert answer.status_code == 200, answer.text
                ended, model.statuses[model.active] = model.active, "ended"
        elif name == "expire":
            if model.active is None:
                continue
            active = (await client.get(f"/speed-boosts/{ids[model.active]}")).json()["data"]
            expires_at = datetime.fromisoformat(active["expires_at"])
            when = expires_at - TICK if step[1] else expires_at
            done = await tenant.runtime.run(tenant.id, expire_due_boosts, when)
            if step[1]:
                assert done == []
            else:
                assert [str(r.id) for r in done] == [ids[model.active]]
                ended, model.statuses[model.active] = model.active, "expired"
        elif name == "switch_plan":
            plan_index, customer_version = 1 - plan_index, customer_version + 1
            await tenant.runtime.run(
                tenant.id,
                apply_customer_snapshot,
                customer.model_copy(
                    update={"service_plan_id": plans[plan_index].id, "version": customer_version}
                ),
            )
        if ended is not None:
            event(f"a boost {model.statuses[ended]}")
            model.active = None
            # The subscriber goes back to the plan it is on now.
            last = (await outbox_events(uuid.UUID(ids[ended])))[-1]
            assert last["type"] == "boost.boost.ended"
            data = last["data"]
            plan = plans[plan_index]
            assert (data["original_speed_download"], data["original_speed_upload"]) == (
                plan.bandwidth_download,
                plan.bandwidth_upload,
            )
            assert data["status"] == model.statuses[ended]

        await _check(tenant, client, owner_engine, customer.id, ids, model)


async def _check(
    tenant: Tenant,
    client: Any,
    owner_engine: AsyncEngine,
    customer_id: uuid.UUID,
    ids: list[str],
    model: Model,
) -> None:
    listed = (await client.get("/speed-boosts", params={"per_page": 100})).json()["data"]
    assert {r["id"]: r["status"] for r in listed} == dict(zip(ids, model.statuses, strict=True))
    async with owner_engine.connect() as conn:
        active_rows = (
            await conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM boost.boost_history"
                    "        WHERE tenant_id = :t AND is_active) AS history,"
                    "       (SELECT count(*) FROM boost.boost_requests"
                    "        WHERE tenant_id = :t AND status = 'activated') AS requests"
                ),
                {"t": tenant.id},
            )
        ).one()
    expected = 0 if model.active is None else 1
    assert (active_rows.history, active_rows.requests) == (expected, expected)
    answer = await client.get(f"/customers/{customer_id}/speed-boost")
    if model.active is None:
        assert answer.status_code == 404
        return
    boost = answer.json()["data"]
    request = next(r for r in listed if r["id"] == ids[model.active])
    assert boost["request_id"] == request["id"]
    started = datetime.fromisoformat(boost["started_at"])
    assert datetime.fromisoformat(boost["expires_at"]) == started + timedelta(
        hours=request["duration_hours"]
    )
    assert boost["expires_at"] == request["expires_at"]
    assert (boost["boosted_speed_download"], boost["boosted_speed_upload"]) == (
        request["requested_speed_download"],
        request["requested_speed_upload"],
    )
