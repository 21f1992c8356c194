"""The payment receipt as a PDF (fpdf2): the tenant's name on top, the receipt number, the
customer, the amount in digits and in words, the period and the method."""

from __future__ import annotations

from fpdf import FPDF

from isp_billing.domain.receipt import Receipt
from isp_billing.domain.words import amount_in_words

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _latin1(text: str) -> str:
    """The core PDF fonts hold Latin-1: anything else is shown as '?' rather than failing."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _money(amount: object) -> str:
    return f"{amount:,.2f}"


def render_receipt(receipt: Receipt) -> bytes:
    payment, settings, account = receipt.payment, receipt.settings, receipt.account
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=10)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(
        0,
        8,
        _latin1(settings.isp_name or "Internet Service Provider"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 9)
    for text in (
        settings.address,
        f"Tax number: {settings.tax_number}" if settings.tax_number else None,
    ):
        if text:
            pdf.multi_cell(0, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 13)
    title = "PAYMENT RECEIPT" + (" (VOID)" if payment.status.value == "void" else "")
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    customer = account.full_name if account and account.full_name else str(payment.customer_id)
    code = f" ({account.customer_code})" if account and account.customer_code else ""
    period = (
        f"{_MONTHS[payment.period_month - 1]} {payment.period_year}"
        if payment.period_month and payment.period_year
        else ", ".join(a.invoice_number for a in payment.allocations) or "-"
    )
    rows = [
        ("Receipt number", payment.receipt_number),
        ("Date", payment.payment_date.isoformat()),
        ("Customer", customer + code),
        ("Amount", f"{settings.currency} {_money(payment.amount)}"),
        ("In words", amount_in_words(payment.amount, settings.currency)),
        ("Period", period),
        ("Payment for", payment.payment_for.value.replace("_", " ")),
        ("Method", payment.payment_method.value),
        ("Reference", payment.reference_number or "-"),
    ]
    if payment.void_reason:
        rows.append(("Void reason", payment.void_reason))
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(40, 7, label)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 7, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
