"""Page parameters (`page` from 1, `per_page` 1–100) and the `meta` of a list answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def limit(self) -> int:
        return self.per_page


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    request: PageRequest

    def meta(self) -> dict[str, Any]:
        return {"page": self.request.page, "per_page": self.request.per_page, "total": self.total}
