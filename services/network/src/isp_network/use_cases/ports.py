"""What the use cases work on. The unit of work is the adapters' one: its repositories are the
ports (typed here only, so nothing in use_cases/ runs adapter code itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from isp_network.adapters.unit_of_work import NetworkUnitOfWork as UnitOfWork
else:  # pragma: no cover - annotations only
    UnitOfWork = object

__all__ = ["UnitOfWork"]
