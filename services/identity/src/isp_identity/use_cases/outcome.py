"""A use case whose refusal must still be committed (a failed login counts, a reused refresh
token revokes its family) returns its refusal instead of raising it: raising would roll back
what the refusal wrote. The route raises it after the commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from isp_common.errors import AppError

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None = None
    refusal: AppError | None = None

    def unwrap(self) -> T:
        if self.refusal is not None:
            raise self.refusal
        assert self.value is not None, "an outcome holds a value or a refusal"
        return self.value


def refused(error: AppError) -> Outcome[T]:
    return Outcome(refusal=error)
