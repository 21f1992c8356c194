from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pypdf import PdfReader

if TYPE_CHECKING:
    from conftest import Tenant


async def test_the_receipt_is_a_pdf_with_number_amount_words_customer_and_tenant(
    tenant: Tenant,
) -> None:
    admin = tenant.client("admin")
    await admin.put(
        "/billing/settings",
        json={"isp_name": "Nusantara Net", "address": "Jl. Braga 1", "currency": "IDR"},
    )
    plan = await tenant.plan("150000.00")
    customer = await tenant.active_customer(plan["id"], datetime.now(UTC).date())
    payment = await tenant.pay(
        customer, "150000.00", payment_method="transfer", period_month=3, period_year=2026
    )
    assert payment["receipt_url"] == f"/api/v1/payments/{payment['id']}/receipt"
    answer = await admin.get(f"/payments/{payment['id']}/receipt")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert payment["receipt_number"] in text
    assert "150,000.00" in text
    assert "one hundred fifty thousand IDR" in text
    assert "Nusantara Net" in text and "Siti Rahayu" in text
    assert "March 2026" in text and "transfer" in text


async def test_a_customer_sees_only_its_own_payments_and_receipts(tenant: Tenant) -> None:
    plan = await tenant.plan("100000.00")
    today = datetime.now(UTC).date()
    mine = await tenant.active_customer(plan["id"], today)
    theirs = await tenant.active_customer(plan["id"], today)
    await tenant.pay(mine, "10.00")
    other = await tenant.pay(theirs, "20.00")
    me = tenant.client("customer", customer_id=mine)
    listed = (await me.get("/payments")).json()["data"]
    assert {p["customer_id"] for p in listed} == {str(mine)}
    invoices = (await me.get("/invoices")).json()["data"]
    assert {i["customer_id"] for i in invoices} == {str(mine)}
    assert (await me.get(f"/payments/{other['id']}")).status_code == 404
    assert (await me.get(f"/payments/{other['id']}/receipt")).status_code == 404
    assert (await me.get(f"/customers/{theirs}/payments")).status_code == 404
    assert (await me.get("/payments", params={"customer_id": str(theirs)})).status_code == 404
    assert (await me.post("/payments", json={})).status_code == 403
    stranger = tenant.client("customer", customer_id=uuid.uuid4())
    assert (await stranger.get(f"/customers/{mine}/invoices")).status_code == 404
