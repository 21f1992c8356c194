"""grant_type=refresh_token rotates; a spent token presented again revokes its family; logout,
a password change and a reset end sessions, and identity's own endpoints then refuse the
session's access tokens."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import jwt

if TYPE_CHECKING:
    from conftest import LoginWorld

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
PASSWORD = "correct horse battery staple 42"
NEW_PASSWORD = "an entirely new passphrase 77"


async def refresh(world: LoginWorld, token: str) -> Any:
    return await world.tenant.anonymous_client().post(
        "/auth/token", data={"grant_type": "refresh_token", "refresh_token": token}
    )


async def me(world: LoginWorld, access_token: str) -> Any:
    client = world.tenant.anonymous_client({"Authorization": f"Bearer {access_token}"})
    return await client.get("/auth/me")


def sid(access_token: str) -> uuid.UUID:
    return uuid.UUID(jwt.decode(access_token, options={"verify_signature": False})["sid"])


async def logged_in(world: LoginWorld, *roles: str) -> dict[str, Any]:
    user = await world.staff(roles=roles or ("admin",))
    answer = await world.login(user.email)
    assert answer.status_code == 200, answer.text
    return {**answer.json(), "user": user}


async def test_a_refresh_rotates_within_the_session(world: LoginWorld) -> None:
    first = await logged_in(world)
    second = await refresh(world, first["refresh_token"])
    assert second.status_code == 200, second.text
    assert second.headers["cache-control"] == "no-store"
    body = second.json()
    assert body["refresh_token"] != first["refresh_token"]
    assert sid(body["access_token"]) == sid(first["access_token"])
    assert (await me(world, body["access_token"])).status_code == 200
    third = await refresh(world, body["refresh_token"])
    assert third.status_code == 200


async def test_a_spent_refresh_token_revokes_its_family(
    world: LoginWorld, outbox_events: Events
) -> None:
    first = await logged_in(world)
    second = (await refresh(world, first["refresh_token"])).json()
    replay = await refresh(world, first["refresh_token"])
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "UNAUTHORIZED"
    assert (await refresh(world, second["refresh_token"])).status_code == 401
    assert (await me(world, second["access_token"])).status_code == 401
    events = await outbox_events(sid(first["access_token"]))
    assert [(e["type"], e["data"]["reason"]) for e in events] == [
        ("identity.session.revoked", "reuse_detected")
    ]


async def test_garbage_refresh_tokens_are_refused(world: LoginWorld) -> None:
    first = await logged_in(world)
    token_id, _, secret = first["refresh_token"].partition(".")
    for bad in ("nonsense", f"{token_id}.wrong-secret", f"{uuid.uuid4()}.{secret}", "."):
        answer = await refresh(world, bad)
        assert answer.status_code == 401, (bad, answer.text)
    assert (await refresh(world, first["refresh_token"])).status_code == 200


async def test_logout_ends_the_session(world: LoginWorld, outbox_events: Events) -> None:
    first = await logged_in(world)
    client = world.tenant.anonymous_client()
    answer = await client.post("/auth/logout", json={"refresh_token": first["refresh_token"]})
    assert answer.status_code == 204
    assert (await refresh(world, first["refresh_token"])).status_code == 401
    assert (await me(world, first["access_token"])).status_code == 401
    again = await client.post("/auth/logout", json={"refresh_token": first["refresh_token"]})
    assert again.status_code == 204
    unknown = await client.post("/auth/logout", json={"refresh_token": "not-a-token"})
    assert unknown.status_code == 204
    events = await outbox_events(sid(first["access_token"]))
    assert [e["data"]["reason"] for e in events] == ["logout"]


async def test_a_password_change_ends_every_session(
    world: LoginWorld, outbox_events: Events
) -> None:
    first = await logged_in(world)
    user = first["user"]
    other = (await world.login(user.email)).json()
    client = world.tenant.anonymous_client({"Authorization": f"Bearer {first['access_token']}"})
    wrong = await client.post(
        "/auth/password",
        json={"current_password": "not my password at all", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["details"]["fields"][0]["field"] == "current_password"
    weak = await client.post(
        "/auth/password", json={"current_password": PASSWORD, "new_password": "password123"}
    )
    assert weak.status_code == 422 and "password123" not in weak.text
    changed = await client.post(
        "/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 204, changed.text
    for session in (first, other):
        assert (await refresh(world, session["refresh_token"])).status_code == 401
        assert (await me(world, session["access_token"])).status_code == 401
    assert (await world.login(user.email)).status_code == 401
    assert (await world.login(user.email, NEW_PASSWORD)).status_code == 200
    types = [e["type"] for e in await outbox_events(user.id)]
    assert "identity.user.password_changed" in types
    assert NEW_PASSWORD not in str(await outbox_events(user.id))


async def test_a_subscriber_changes_their_password(world: LoginWorld) -> None:
    account = await world.subscriber(code="sub-77")
    session = (await world.login("sub-77")).json()
    client = world.tenant.anonymous_client({"Authorization": f"Bearer {session['access_token']}"})
    same_as_name = await client.post(
        "/auth/password", json={"current_password": PASSWORD, "new_password": "SUB-77"}
    )
    assert same_as_name.status_code == 422
    answer = await client.post(
        "/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert answer.status_code == 204, answer.text
    assert (await refresh(world, session["refresh_token"])).status_code == 401
    login = await world.login(account.customer_code, NEW_PASSWORD)
    assert login.status_code == 200


async def test_a_disabled_user_s_refresh_is_refused(world: LoginWorld) -> None:
    first = await logged_in(world, "support")
    admin = world.tenant.client("admin")
    answer = await admin.patch(f"/users/{first['user'].id}", json={"status": "disabled"})
    assert answer.status_code == 200, answer.text
    assert (await refresh(world, first["refresh_token"])).status_code == 401
    assert (await me(world, first["access_token"])).status_code == 401
