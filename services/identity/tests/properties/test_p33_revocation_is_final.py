"""Property 33 (docs/properties.md): whatever sequence of logins, refreshes (fresh or replayed),
logouts and password changes, a token whose session was revoked is never usable again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import LoginWorld

PASSWORDS = ("first passphrase of the property", "second passphrase of the property")

Operation = tuple[str, int]
operations = st.lists(
    st.tuples(
        st.sampled_from(["login", "refresh", "logout", "change_password"]),
        st.integers(min_value=0, max_value=50),
    ),
    min_size=1,
    max_size=8,
)


@dataclass
class Issued:
    family: int
    refresh_token: str
    access_token: str
    spent: bool = False


@dataclass
class Model:
    """What should be usable: families revoked, tokens spent."""

    issued: list[Issued] = field(default_factory=list)
    revoked: set[int] = field(default_factory=set)
    families: int = 0
    password: int = 0

    def live(self) -> list[Issued]:
        return [t for t in self.issued if t.family not in self.revoked]


async def apply(world: LoginWorld, email: str, model: Model, operation: Operation) -> None:
    kind, pick = operation
    client = world.tenant.anonymous_client()
    if kind == "login" or not model.issued:
        answer = await world.login(email, PASSWORDS[model.password])
        assert answer.status_code == 200, answer.text
        model.issued.append(Issued(model.families, **_tokens(answer.json())))
        model.families += 1
        return
    token = model.issued[pick % len(model.issued)]
    if kind == "refresh":
        answer = await client.post(
            "/auth/token",
            data={"grant_type": "refresh_token", "refresh_token": token.refresh_token},
        )
        if token.family in model.revoked:
            assert answer.status_code == 401, answer.text
        elif token.spent:
            assert answer.status_code == 401, answer.text
            model.revoked.add(token.family)  # reuse: the whole family ends
        else:
            assert answer.status_code == 200, answer.text
            token.spent = True
            model.issued.append(Issued(token.family, **_tokens(answer.json())))
    elif kind == "logout":
        answer = await client.post("/auth/logout", json={"refresh_token": token.refresh_token})
        assert answer.status_code == 204
        model.revoked.add(token.family)  # any token of the family names it, spent or not
    else:
        live = model.live()
        if not live:
            return
        caller = world.tenant.anonymous_client(
            {"Authorization": f"Bearer {live[pick % len(live)].access_token}"}
        )
        new = 1 - model.password
        answer = await caller.post(
            "/auth/password",
            json={"current_password": PASSWORDS[model.password], "new_password": PASSWORDS[new]},
        )
        assert answer.status_code == 204, answer.text
        model.password = new
        model.revoked |= {t.family for t in model.issued}


def _tokens(body: dict[str, Any]) -> dict[str, str]:
    return {"refresh_token": body["refresh_token"], "access_token": body["access_token"]}


# Feature: isp-management-system, Property 33: Revocation is final (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
async def test_no_token_is_usable_after_its_session_was_revoked(
    new_fast_world: Callable[[], Awaitable[LoginWorld]], steps: list[Operation]
) -> None:
    world = await new_fast_world()
    user = await world.staff(roles=("support",), password=PASSWORDS[0])
    model = Model()
    for step in steps:
        await apply(world, user.email, model, step)
    anonymous = world.tenant.anonymous_client()
    # /auth/me first: it changes nothing, while a refresh of a spent token would.
    for token in model.issued:
        me = await world.tenant.anonymous_client(
            {"Authorization": f"Bearer {token.access_token}"}
        ).get("/auth/me")
        expected = 401 if token.family in model.revoked else 200
        assert me.status_code == expected, (steps, me.text)
    for token in model.issued:
        if token.family in model.revoked:
            answer = await anonymous.post(
                "/auth/token",
                data={"grant_type": "refresh_token", "refresh_token": token.refresh_token},
            )
            assert answer.status_code == 401, steps
