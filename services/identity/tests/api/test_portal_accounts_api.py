"""/customers/{id}/portal-account: staff enable a subscriber's login with a password or a
one-time activation code, disable it, and see its state; no secret is answered but the code,
once."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from isp_common.testing.reordering import customer_history, deliver_all, history_events

from isp_identity.consumers.customers import customers_consumer
from isp_identity.domain.one_time_tokens import ACTIVATION_ALPHABET

if TYPE_CHECKING:
    from conftest import Tenant

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
PASSWORD = "a subscriber's long passphrase"


async def known_customer(tenant: Tenant, *verbs: str) -> uuid.UUID:
    """A customer whose events (created, then `verbs`) have reached identity."""
    customer = uuid.uuid4()
    history = customer_history(
        customer,
        ["created", *verbs],
        plans=[uuid.uuid4()],
        activated_on=datetime.now(UTC).date(),
    )
    events = history_events(tenant.id, "customers", customer, history)
    await deliver_all(customers_consumer(tenant.runtime), events, range(len(events)))
    return customer


def path(customer: uuid.UUID) -> str:
    return f"/customers/{customer}/portal-account"


async def test_a_known_customer_has_a_disabled_account_until_staff_enable_it(
    tenant: Tenant,
) -> None:
    customer = await known_customer(tenant, "activated")
    shown = await tenant.client("support").get(path(customer))
    assert shown.status_code == 200, shown.text
    data = shown.json()["data"]
    assert (data["enabled"], data["has_password"], data["activation_pending"]) == (
        False,
        False,
        False,
    )
    assert data["customer_code"] == f"cust-{customer.hex[:8]}"
    assert data["pppoe_username"] == f"ppp-{customer.hex[:8]}"
    assert data["customer_status"] == "active"


async def test_staff_set_a_password_which_is_never_answered(
    tenant: Tenant, outbox_events: Events
) -> None:
    customer = await known_customer(tenant)
    answer = await tenant.client("support").put(path(customer), json={"password": PASSWORD})
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert (data["enabled"], data["has_password"], data["activation_code"]) == (True, True, None)
    events = await outbox_events(customer)
    assert [e["type"] for e in events] == ["identity.portal_account.enabled"]
    assert events[0]["data"]["has_password"] is True
    for text in (answer.text, str(events), (await tenant.client("admin").get(path(customer))).text):
        assert PASSWORD not in text and "argon2" not in text


async def test_an_activation_code_is_answered_once_and_replaces_the_password(
    tenant: Tenant, outbox_events: Events
) -> None:
    customer = await known_customer(tenant)
    admin = tenant.client("admin")
    await admin.put(path(customer), json={"password": PASSWORD})
    answer = await admin.put(path(customer), json={"activation": True})
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    code = data["activation_code"]
    assert len(code) == 8 and set(code) <= set(ACTIVATION_ALPHABET)
    assert (data["enabled"], data["has_password"], data["activation_pending"]) == (
        True,
        False,
        True,
    )
    assert data["activation_expires_at"]
    shown = await admin.get(path(customer))
    assert "activation_code" not in shown.json()["data"] and code not in shown.text
    assert code not in str(await outbox_events(customer))
    again = (await admin.put(path(customer), json={"activation": True})).json()["data"]
    assert again["activation_code"] != code


async def test_a_weak_password_or_a_muddled_body_is_refused(tenant: Tenant) -> None:
    customer = await known_customer(tenant)
    admin = tenant.client("admin")
    for body in (
        {"password": "qwertyuiop"},
        {"password": f"ppp-{customer.hex[:8]}".upper()},  # the login name itself
        {"password": "x7"},
        {},
        {"activation": False},
        {"password": PASSWORD, "activation": True},
        {"activation": True, "extra": 1},
    ):
        answer = await admin.put(path(customer), json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert str(body.get("password", "\x00")) not in answer.text


async def test_disabling_takes_the_login_and_any_code_away(
    tenant: Tenant, outbox_events: Events
) -> None:
    customer = await known_customer(tenant)
    admin = tenant.client("admin")
    await admin.put(path(customer), json={"activation": True})
    answer = await admin.delete(path(customer))
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert (data["enabled"], data["activation_pending"]) == (False, False)
    again = await admin.delete(path(customer))
    assert again.json()["data"]["version"] == data["version"]  # nothing more changed
    types = [e["type"] for e in await outbox_events(customer)]
    assert types == ["identity.portal_account.enabled", "identity.portal_account.disabled"]


async def test_a_terminated_customer_cannot_be_enabled_and_an_unknown_one_is_not_found(
    tenant: Tenant,
) -> None:
    admin = tenant.client("admin")
    terminated = await known_customer(tenant, "activated", "terminated")
    refused = await admin.put(path(terminated), json={"password": PASSWORD})
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "INVALID_STATE"
    deleted = await known_customer(tenant, "deleted")
    unknown = uuid.uuid4()
    for customer in (deleted, unknown):
        assert (await admin.get(path(customer))).status_code == 404
        assert (await admin.put(path(customer), json={"activation": True})).status_code == 404
        assert (await admin.delete(path(customer))).status_code == 404


async def test_only_admins_and_support_manage_portal_logins(tenant: Tenant) -> None:
    customer = await known_customer(tenant)
    clients = [tenant.client(role) for role in ("finance", "technician", "viewer")]
    clients.append(tenant.client("customer", customer_id=customer))
    for client in clients:
        assert (await client.get(path(customer))).status_code == 403
        assert (await client.put(path(customer), json={"activation": True})).status_code == 403
        assert (await client.delete(path(customer))).status_code == 403
