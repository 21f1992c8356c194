"""What the customer page works out from the API's answers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from isp_console.domain.customer_page import (
    PERIOD_FORMAT,
    allowed_actions,
    human_bytes,
    is_pending,
    lifecycle_body,
    payment_body,
    payment_field_errors,
    timeline,
    usage_chart,
    usage_summary,
)


@pytest.mark.parametrize(
    ("status", "cause", "expected"),
    [
        ("pending_activation", None, ("activate", "terminate", "change-plan", "delete")),
        ("active", None, ("suspend", "terminate", "change-plan", "delete")),
        ("suspended", "manual", ("activate", "terminate", "change-plan", "delete")),
        ("suspended", "overdue", ("terminate", "change-plan", "delete")),
        ("terminated", None, ("delete",)),
        ("something_new", None, ("delete",)),
    ],
)
def test_the_actions_follow_the_status(
    status: str, cause: str | None, expected: tuple[str, ...]
) -> None:
    assert allowed_actions(status, cause) == expected


def test_a_stale_cause_on_an_active_customer_is_ignored() -> None:
    assert allowed_actions("active", "manual") == allowed_actions("active")


def test_only_a_pending_provisioning_refreshes() -> None:
    assert is_pending("pending")
    assert not is_pending("provisioned")
    assert not is_pending("failed")
    assert not is_pending(None)


def test_the_timeline_merges_routers_newest_first() -> None:
    one = [{"id": 1, "at": "2026-12-04T10:00:00Z"}, {"id": 3, "at": "2026-12-04T12:00:00Z"}]
    two = [{"id": 2, "at": "2026-12-04T12:00:00Z"}, {"id": 9, "at": "2026-12-03T09:00:00Z"}]
    assert [op["id"] for op in timeline([one, two])] == [3, 2, 1, 9]
    assert len(timeline([one, two], limit=2)) == 2


BUCKETS = [
    {
        "bucket_start": "2026-12-04T10:00:00Z",
        "samples": 4,
        "avg_download_speed": 20000.5,
        "max_download_speed": 30000,
        "avg_upload_speed": 5000,
        "max_upload_speed": 8000,
        "download_usage": 1_500_000_000,
        "upload_usage": 200_000_000,
        "online_samples": 3,
    },
    {
        "bucket_start": "2026-12-04T11:00:00Z",
        "samples": 4,
        "avg_download_speed": None,
        "max_download_speed": 10,
        "avg_upload_speed": 0.0,
        "max_upload_speed": 9000,
        "download_usage": 0,
        "upload_usage": 0,
        "online_samples": 0,
    },
]


def test_the_usage_chart_draws_average_speeds_in_mbits() -> None:
    chart = usage_chart(BUCKETS, lambda start: start[11:16], "Down", "Up")
    assert chart["labels"] == ["10:00", "11:00"]
    assert chart["series"][0] == {"label": "Down", "values": [20.0, None]}
    assert chart["series"][1] == {"label": "Up", "values": [5.0, 0.0]}


def test_the_usage_summary_sums_and_peaks() -> None:
    summary = usage_summary(BUCKETS)
    assert summary.samples == 8
    assert summary.peak_download_kbps == 30000
    assert summary.peak_upload_kbps == 9000
    assert summary.download_bytes == 1_500_000_000
    assert summary.online_percent == Decimal("38")


def test_no_bucket_is_an_empty_summary() -> None:
    summary = usage_summary([])
    assert summary.samples == 0
    assert summary.online_percent is None


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1500, "1.5 KB"),
        (4_500_000_000, "4.5 GB"),
        (2 * 10**12, "2.0 TB"),
    ],
)
def test_bytes_in_words(count: int, text: str) -> None:
    assert human_bytes(count) == text


def test_the_payment_form_becomes_the_api_body() -> None:
    body, errors = payment_body(
        "c1",
        {
            "amount": " 150 000.50 ",
            "payment_method": "cash",
            "payment_for": "monthly_subscription",
            "period": "2026-12",
            "reference_number": "",
            "notes": "paid at the office",
            "payment_date": "",
        },
    )
    assert errors == {}
    assert body == {
        "customer_id": "c1",
        "amount": "150000.50",
        "payment_method": "cash",
        "payment_for": "monthly_subscription",
        "period_year": 2026,
        "period_month": 12,
        "notes": "paid at the office",
    }


def test_an_empty_amount_is_left_for_the_api_to_refuse() -> None:
    body, _ = payment_body("c1", {"payment_method": "cash"})
    assert body["amount"] == ""


def test_a_period_that_is_not_year_month_is_refused_at_its_field() -> None:
    _, errors = payment_body("c1", {"amount": "1", "period": "December"})
    assert errors == {"period": PERIOD_FORMAT}


def test_the_api_field_errors_land_on_the_form_fields() -> None:
    errors = payment_field_errors(
        {"amount": "Value error, must be more than zero", "period_month": "at most 12"}
    )
    assert errors == {"amount": "must be more than zero", "period": "at most 12"}


def test_lifecycle_bodies_leave_out_empty_optional_fields() -> None:
    assert lifecycle_body("activate", {"activation_date": ""}) == {}
    assert lifecycle_body("suspend", {"reason": " late "}) == {"reason": "late"}
    assert lifecycle_body("suspend", {}) == {"reason": ""}  # the API names the missing reason
    assert lifecycle_body("terminate", {"reason": "moved", "termination_date": "2026-12-31"}) == {
        "reason": "moved",
        "termination_date": "2026-12-31",
    }
    assert lifecycle_body("change-plan", {"new_plan_id": "p2", "reason": ""}) == {
        "new_plan_id": "p2"
    }
    assert lifecycle_body("delete", {"reason": "x"}) == {}
