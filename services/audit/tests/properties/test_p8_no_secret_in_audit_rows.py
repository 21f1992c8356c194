"""The audit part of Property 8: no secret written anywhere reaches an audit row, whether it
comes in an event's data (clear or encrypted, at any depth, under any secret-looking key) or in
a direct entry's values or description."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_common.secrets import SecretBox

from isp_audit.use_cases.record_event import record_event

if TYPE_CHECKING:
    from conftest import Tenant

SECRET_KEYS = st.sampled_from(
    [
        "password",
        "pppoe_password",
        "pppoe_password_encrypted",
        "telnet_password",
        "TelnetPassword",
        "password_encrypted",
        "snmp_community",
        "SNMPCommunity",
        "router_secret",
        "api_token",
        "credentials",
        "private_key",
    ]
)
# Secrets that no other generated text can contain: a fixed prefix and 8+ random characters.
SECRETS = st.text(
    alphabet="abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%", min_size=8, max_size=24
).map(lambda s: f"Zq{s}")
OTHER_KEYS = st.sampled_from(["router", "device", "settings", "items", "olt", "customer"])


def bury(value: Any, path: list[tuple[str, bool]], key: str) -> dict[str, Any]:
    """`{key: value}` nested under `path` (each step a key, and whether a list wraps it)."""
    node: Any = {key: value}
    for name, in_list in reversed(path):
        node = {name: [node] if in_list else node}
    return dict(node)


# Feature: isp-management-system, Property 8: Secrets never leak (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    secret=SECRETS,
    key=SECRET_KEYS,
    path=st.lists(st.tuples(OTHER_KEYS, st.booleans()), max_size=3),
    event_type=st.sampled_from(
        ["network.device.updated", "customers.customer.updated", "someone.router.changed"]
    ),
    separator=st.sampled_from(["=", ": ", " = ", ":"]),
)
async def test_no_secret_reaches_an_audit_row(
    new_tenant: Callable[[], Tenant],
    owner_engine: AsyncEngine,
    secret: str,
    key: str,
    path: list[tuple[str, bool]],
    event_type: str,
    separator: str,
) -> None:
    tenant = new_tenant()
    encrypted = SecretBox(tenant.runtime.settings.secret_key).encrypt(secret)
    data = bury(secret, path, key) | {"password_encrypted": encrypted, "name": "R1"}
    await tenant.runtime.run(tenant.id, record_event, tenant.event(event_type, data))
    answer = await tenant.client("admin").post(
        "/audit-logs",
        json={
            "category": "device",
            "action": "changed_credentials",
            "description": f"set {key}{separator}{secret} on the router",
            "old_value": f"{key}{separator}{secret}",
            "new_value": bury(secret, path, key),
        },
    )
    assert answer.status_code == 201, answer.text
    assert secret not in answer.text

    async with owner_engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT a::text FROM audit.audit_logs a WHERE tenant_id = :t"),
                {"t": tenant.id},
            )
        ).scalars()
        stored = list(rows)
    assert len(stored) == 2
    for row in stored:
        assert secret not in row
        assert encrypted not in row
