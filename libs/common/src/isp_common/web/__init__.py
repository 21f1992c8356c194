"""The HTTP edge every service shares: app factory, envelope, auth dependency, error handlers."""

from isp_common.web.app import create_app, create_ops_app
from isp_common.web.auth import require
from isp_common.web.envelope import (
    Envelope,
    ListEnvelope,
    RequestModel,
    accepted,
    created,
    ok,
    ok_page,
)

__all__ = [
    "Envelope",
    "ListEnvelope",
    "RequestModel",
    "accepted",
    "create_app",
    "create_ops_app",
    "created",
    "ok",
    "ok_page",
    "require",
]
