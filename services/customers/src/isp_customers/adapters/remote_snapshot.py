"""GET one resource of another service, forwarding the caller's token, as a contract snapshot
(what the billing and network clients build on)."""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from isp_common.errors import ExternalServiceError
from isp_common.logging import get_logger

M = TypeVar("M", bound=BaseModel)
log = get_logger(__name__)


async def fetch_snapshot(
    http: httpx.AsyncClient, service: str, url: str, bearer_token: str | None, model: type[M]
) -> M | None:
    """The envelope's `data` as `model`; None on 404; EXTERNAL_SERVICE_ERROR when the service is
    unreachable, slow, failing or answers something that is not the contract."""
    headers = {"Authorization": f"Bearer {bearer_token}"} if bearer_token else {}
    try:
        response = await http.get(url, headers=headers)
    except httpx.HTTPError as exc:
        log.warning("reference_lookup_failed", service=service, error=type(exc).__name__)
        raise ExternalServiceError(f"{service} did not answer", {"service": service}) from exc
    if response.status_code == httpx.codes.NOT_FOUND:
        return None
    if response.status_code != httpx.codes.OK:
        log.warning("reference_lookup_failed", service=service, status=response.status_code)
        raise ExternalServiceError(
            f"{service} answered {response.status_code}",
            {"service": service, "status": response.status_code},
        )
    try:
        return model.model_validate(response.json()["data"])
    except (ValueError, KeyError, TypeError, ValidationError) as exc:
        raise ExternalServiceError(
            f"{service} answered something unexpected", {"service": service}
        ) from exc
