from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
REQUIRED = ("id", "customer_code", "full_name", "phone", "address", "status")

# Any Unicode a JSON client can send, and text that holds something visible; three valid
# bodies for each arbitrary one, so that most examples create a customer.
any_text = st.text(st.characters(codec="utf-8"), max_size=40)
visible_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=40
).filter(str.strip)
phones = st.from_regex(r"\A\+?[0-9][0-9 ()\-]{3,20}\Z")
valid = st.tuples(visible_text, phones, visible_text, st.none() | visible_text)
arbitrary = st.tuples(any_text, phones | any_text, any_text, st.none() | any_text)


# Feature: isp-management-system, Property 4: Detail completeness (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=st.one_of(valid, valid, valid, arbitrary))
async def test_every_customer_read_has_its_required_fields(
    new_tenant: Callable[[], Tenant],
    customer_body: Body,
    fields: tuple[str, str, str, str | None],
) -> None:
    full_name, phone, address, city = fields
    tenant = new_tenant()
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    body = customer_body(plan.id, full_name=full_name, phone=phone, address=address, city=city)
    created = await client.post("/customers", json=body)
    event(f"status {created.status_code}")
    if created.status_code == 422:
        # Refused only for a reason the fields give: blank, NUL, too long, not a phone.
        assert created.json()["error"]["code"] == "VALIDATION_ERROR"
        return
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    for read in (
        await client.get(f"/customers/{data['id']}"),
        await client.get(f"/customers/by-code/{data['customer_code']}"),
        await tenant.client("viewer").get("/customers"),
    ):
        assert read.status_code == 200, read.text
        found = read.json()["data"]
        for customer in found if isinstance(found, list) else [found]:
            for field in REQUIRED:
                assert isinstance(customer[field], str) and customer[field].strip(), field
            assert customer["full_name"] == full_name.strip()
            assert customer["address"] == address.strip()
