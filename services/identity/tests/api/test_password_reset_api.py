"""POST /auth/password/reset with the token an admin issued, and POST /auth/activate with a
subscriber's activation code."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import LoginWorld

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
NEW_PASSWORD = "an entirely new passphrase 77"


async def test_a_reset_token_sets_a_password_once(world: LoginWorld) -> None:
    user = await world.staff(roles=("support",), password=None)
    admin = world.tenant.client("admin")
    issued = await admin.post(f"/users/{user.id}/reset-password")
    assert issued.status_code in (200, 201), issued.text
    token = issued.json()["data"]["reset_token"]
    client = world.tenant.anonymous_client()
    weak = await client.post("/auth/password/reset", json={"token": token, "new_password": "short"})
    assert weak.status_code == 422
    done = await client.post(
        "/auth/password/reset", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 204, done.text
    again = await client.post(
        "/auth/password/reset", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert again.status_code == 401
    assert (await world.login(user.email, NEW_PASSWORD)).status_code == 200
    for bad in ("nonsense", f"{uuid.uuid4()}.secret"):
        answer = await client.post(
            "/auth/password/reset", json={"token": bad, "new_password": NEW_PASSWORD}
        )
        assert answer.status_code == 401


async def test_an_activation_code_sets_a_subscriber_s_first_password(
    world: LoginWorld, outbox_events: Events
) -> None:
    account = await world.subscriber(code="act-1", password=None, activation_code="ABCD2345")
    assert (await world.login("act-1")).status_code == 401
    client = world.tenant.anonymous_client()
    body = {"tenant": world.slug, "username": "ACT-1", "new_password": NEW_PASSWORD}
    wrong = await client.post("/auth/activate", json={**body, "activation_code": "ABCD2346"})
    assert wrong.status_code == 401
    done = await client.post("/auth/activate", json={**body, "activation_code": "abcd-2345"})
    assert done.status_code == 204, done.text
    again = await client.post("/auth/activate", json={**body, "activation_code": "ABCD2345"})
    assert again.status_code == 401
    assert (await world.login("act-1", NEW_PASSWORD)).status_code == 200
    events = await outbox_events(account.customer_id)
    assert [e["type"] for e in events][-1] == "identity.portal_account.activated"
    assert "ABCD2345" not in str(events)
