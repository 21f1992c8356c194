"""Which database errors mean "the database cannot serve now" (503, hold the event) rather
than "this request or event is wrong" (its own error)."""

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError

from isp_common.db import is_unavailable
from isp_common.messaging.outage import is_database_outage


def _wrapped(error: Exception) -> DBAPIError:
    """As SQLAlchemy's asyncpg dialect raises it: a DBAPIError around the driver's error."""
    try:
        raise RuntimeError("adapted") from error
    except RuntimeError as adapted:
        return DBAPIError("SELECT 1", {}, adapted)


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.TooManyConnectionsError("remaining connection slots are reserved"),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"),
        ConnectionRefusedError(111, "refused"),
    ],
    ids=["no-slot", "starting", "shutdown", "closed", "refused"],
)
def test_the_database_not_serving_is_unavailable(error: Exception) -> None:
    assert is_unavailable(error)
    assert is_unavailable(_wrapped(error))
    assert is_database_outage(_wrapped(error))


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.UniqueViolationError("duplicate key"),
        asyncpg.exceptions.UndefinedTableError("relation does not exist"),
        asyncpg.exceptions.QueryCanceledError("canceling statement due to statement timeout"),
        ValueError("a handler's own bug"),
    ],
    ids=["unique", "undefined-table", "statement-timeout", "handler-bug"],
)
def test_a_wrong_request_is_not_an_outage(error: Exception) -> None:
    assert not is_unavailable(error)
    assert not is_unavailable(_wrapped(error))
    assert not is_database_outage(_wrapped(error))
