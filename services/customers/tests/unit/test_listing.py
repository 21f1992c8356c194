from __future__ import annotations

import pytest

from isp_common.errors import ValidationFailed

from isp_customers.domain.codes import format_customer_code
from isp_customers.domain.listing import SortOrder


def test_sort_parsing() -> None:
    assert SortOrder.parse("-created_at") == SortOrder("created_at", descending=True)
    assert SortOrder.parse("full_name") == SortOrder("full_name", descending=False)


@pytest.mark.parametrize("text", ["password", "-pppoe_password_encrypted", "", "id; drop"])
def test_only_whitelisted_sorts(text: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        SortOrder.parse(text)
    assert refused.value.details["fields"][0]["field"] == "sort"


def test_codes() -> None:
    assert format_customer_code(1) == "CUST-000001"
    assert format_customer_code(1_234_567) == "CUST-1234567"
