"""Property 34 (docs/properties.md): presenting any spent refresh token of a chain again revokes
the whole family, once."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import jwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import LoginWorld

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]


# Feature: isp-management-system, Property 34: Refresh token reuse (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), chain=st.integers(min_value=1, max_value=5), replays=st.integers(1, 2))
async def test_a_spent_refresh_token_presented_again_revokes_its_family(
    new_fast_world: Callable[[], Awaitable[LoginWorld]],
    outbox_events: Events,
    data: st.DataObject,
    chain: int,
    replays: int,
) -> None:
    world = await new_fast_world()
    user = await world.staff(roles=("viewer",), password="a passphrase for property 34")
    login = await world.login(user.email, "a passphrase for property 34")
    assert login.status_code == 200, login.text
    tokens = [login.json()]
    client = world.tenant.anonymous_client()

    async def refresh(refresh_token: str) -> Any:
        return await client.post(
            "/auth/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token}
        )

    for _ in range(chain):
        answer = await refresh(tokens[-1]["refresh_token"])
        assert answer.status_code == 200, answer.text
        tokens.append(answer.json())
    spent = data.draw(st.integers(min_value=0, max_value=chain - 1), label="spent")
    for _ in range(replays):
        assert (await refresh(tokens[spent]["refresh_token"])).status_code == 401
    newest = tokens[-1]
    assert (await refresh(newest["refresh_token"])).status_code == 401
    me = await world.tenant.anonymous_client(
        {"Authorization": f"Bearer {newest['access_token']}"}
    ).get("/auth/me")
    assert me.status_code == 401
    family = uuid.UUID(
        jwt.decode(newest["access_token"], options={"verify_signature": False})["sid"]
    )
    events = await outbox_events(family)
    assert [(e["type"], e["data"]["reason"]) for e in events] == [
        ("identity.session.revoked", "reuse_detected")
    ]
