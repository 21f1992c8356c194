"""The onboarding path end to end, in process: the operator creates a tenant, its admin sets a
password with the one-time reset token and logs in; the admin enables a subscriber with an
activation code, and the subscriber sets a password with it and logs in. The secrets handed out
once work once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from isp_common.testing.reordering import customer_history, deliver_all, history_events

from isp_identity.consumers.customers import customers_consumer

if TYPE_CHECKING:
    from conftest import Tenant

ADMIN_PASSWORD = "the admin's own long passphrase"
SUBSCRIBER_PASSWORD = "the subscriber's own passphrase"


async def test_an_admin_and_a_subscriber_get_from_one_time_secrets_to_logins(
    tenant: Tenant,
) -> None:
    slug = f"isp-{uuid.uuid4().hex[:12]}"
    body = {
        "id": str(tenant.id),
        "slug": slug,
        "name": "Onboarded",
        "admin_email": f"admin@{slug}.example",
        "admin_full_name": "Ana",
    }
    created = await tenant.client("platform_admin").post("/tenants", json=body)
    assert created.status_code == 201, created.text
    reset_token = created.json()["data"]["admin"]["password_reset"]["reset_token"]
    public = tenant.anonymous_client()
    reset = {"token": reset_token, "new_password": ADMIN_PASSWORD}
    assert (await public.post("/auth/password/reset", json=reset)).status_code == 204
    again = await public.post("/auth/password/reset", json=reset)
    assert again.status_code == 401, again.text  # used once
    login = {"grant_type": "password", "tenant": slug, "password": ADMIN_PASSWORD}
    staff = await public.post("/auth/token", data={**login, "username": body["admin_email"]})
    assert staff.status_code == 200, staff.text
    admin_token = staff.json()["access_token"]

    customer = uuid.uuid4()
    history = customer_history(
        customer, ["created"], plans=[uuid.uuid4()], activated_on=datetime.now(UTC).date()
    )
    events = history_events(tenant.id, "customers", customer, history)
    await deliver_all(customers_consumer(tenant.runtime), events, [0])
    # The admin's own RS256 token from identity manages the portal login.
    admin = tenant.anonymous_client({"Authorization": f"Bearer {admin_token}"})
    enabled = await admin.put(f"/customers/{customer}/portal-account", json={"activation": True})
    assert enabled.status_code == 200, enabled.text
    code = enabled.json()["data"]["activation_code"]
    username = f"ppp-{customer.hex[:8]}"
    activation = {
        "tenant": slug,
        "username": username,
        "activation_code": code.lower(),  # typed as it was read out
        "new_password": SUBSCRIBER_PASSWORD,
    }
    activated = await public.post("/auth/activate", json=activation)
    assert activated.status_code == 204, activated.text
    assert (await public.post("/auth/activate", json=activation)).status_code == 401
    subscriber = await public.post(
        "/auth/token", data={**login, "username": username, "password": SUBSCRIBER_PASSWORD}
    )
    assert subscriber.status_code == 200, subscriber.text
    shown = (await admin.get(f"/customers/{customer}/portal-account")).json()["data"]
    assert (shown["enabled"], shown["has_password"], shown["activation_pending"]) == (
        True,
        True,
        False,
    )
