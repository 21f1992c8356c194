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
    shown_once,
)
from isp_common.web.query import MAX_PAGE, PageParams

__all__ = [
    "MAX_PAGE",
    "Envelope",
    "ListEnvelope",
    "PageParams",
    "RequestModel",
    "accepted",
    "create_app",
    "create_ops_app",
    "created",
    "ok",
    "ok_page",
    "require",
    "shown_once",
]
