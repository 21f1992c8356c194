"""Placement on the fiber tree: the ODP decides the ODC and OLT unless the request names them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from isp_customers.domain.references import Odp


def with_fiber_path(fields: Mapping[str, Any], odp: Odp) -> dict[str, Any]:
    placed = dict(fields)
    if odp.odc_id is not None and not placed.get("odc_id"):
        placed["odc_id"] = odp.odc_id
    if odp.olt_id is not None and not placed.get("olt_id"):
        placed["olt_id"] = odp.olt_id
    return placed
