"""A block rendered alone (an htmx answer) has the page's macros, bound to its context."""

from __future__ import annotations

import re
from pathlib import Path

from isp_console.adapters.i18n import Formats
from isp_console.adapters.templates import TEMPLATE_DIR, render

PLAN = {
    "id": "6d1f0b5e-0000-4000-8000-000000000001",
    "name": "Fiber 50",
    "bandwidth_download": 50000,
    "bandwidth_upload": 25000,
    "monthly_price": "350000.00",
    "is_active": True,
}


def test_a_list_block_alone_renders_its_rows_with_the_macros() -> None:
    context = {
        "plans": [PLAN],
        "total": 1,
        "meta": {"page": 1, "per_page": 20, "total": 1},
        "base_url": "/console/plans?",
        "search": "fiber",
        "active": "",
        "fmt": Formats("en"),
        "speed": str,
        "csrf_token": "token-1",
    }
    html = render("en", "console/plans/list.html", context, block="rows")
    assert "Fiber 50" in html
    assert "badge-active" in html  # m.status_badge ran
    assert "<html" not in html  # only the block


def test_every_template_that_imports_the_macros_does_so_with_context() -> None:
    without = [
        str(path.relative_to(TEMPLATE_DIR))
        for path in Path(TEMPLATE_DIR).rglob("*.html")
        if re.search(r'import "shared/macros.html" as m(?! with context)', path.read_text())
    ]
    assert not without, f"their forms would post an empty CSRF token: {without}"
