"""What a customer list may filter and sort on."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from isp_customers.domain.errors import invalid_field
from isp_customers.domain.status import CustomerStatus

SORTABLE_FIELDS = frozenset({"created_at", "updated_at", "full_name", "customer_code", "status"})
DEFAULT_SORT = "-created_at"


@dataclass(frozen=True)
class SortOrder:
    field: str
    descending: bool

    @classmethod
    def parse(cls, text: str) -> SortOrder:
        """`full_name` ascending, `-created_at` descending; only SORTABLE_FIELDS."""
        descending = text.startswith("-")
        field = text.removeprefix("-").removeprefix("+")
        if field not in SORTABLE_FIELDS:
            allowed = ", ".join(sorted(SORTABLE_FIELDS))
            raise invalid_field("sort", f"sort by one of {allowed}, prefixed by - to descend")
        return cls(field, descending)


@dataclass(frozen=True)
class CustomerFilter:
    search: str | None = None
    status: CustomerStatus | None = None
    service_plan_id: UUID | None = None
    odp_id: UUID | None = None
    kelurahan: str | None = None  # the whole name, in any case
    # A subscriber's own token lists only itself.
    only_customer_id: UUID | None = None
