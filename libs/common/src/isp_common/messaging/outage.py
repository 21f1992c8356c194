"""Telling a database outage (hold the event, try again) from a failure of the event's handler
(use up a delivery attempt, dead-letter after the last).

Only the loss of the connection or a server that cannot serve now is an outage: those say
nothing about the event, and dead-lettering them would fill the dead-letter queue with healthy
events each time Postgres restarts. Everything else the driver raises is the handler's fault
and must end in the dead-letter queue after the bounded attempts, however it is spelled: a
misuse of the connection (asyncpg's InterfaceError "another operation is in progress", wrapped
by SQLAlchemy as InterfaceError too), a statement with the wrong parameters, a syntax error.
Holding those would keep the event, and the prefetch slot it occupies, forever.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError

from isp_common.db import UNAVAILABLE_SQLSTATES, DatabaseUnavailable

# The driver's own words for a connection that is gone (SQLAlchemy's asyncpg dialect looks for
# the same when it has no connection to ask).
_CLOSED_CONNECTION = "connection is closed"


def is_database_outage(error: BaseException) -> bool:
    """The database could not be reached, dropped the connection, or cannot serve now.

    Only errors raised by the database layer count: a handler's own ConnectionError (another
    service unreachable, say) is a failure like any other."""
    if isinstance(error, DatabaseUnavailable):
        return True
    if isinstance(error, DBAPIError):
        # SQLAlchemy asked the driver whether the connection is still open.
        if error.connection_invalidated:
            return True
        return error.orig is not None and _connection_lost(error.orig, through_driver=True)
    if isinstance(error, asyncpg.PostgresError | asyncpg.InterfaceError):
        return _connection_lost(error, through_driver=False)
    return False


def _connection_lost(error: BaseException, *, through_driver: bool) -> bool:
    """Walks the error and its causes. An OSError counts only below a driver error (the
    socket under the connection), never a handler's own."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(
            current,
            asyncpg.exceptions.ConnectionDoesNotExistError
            | asyncpg.exceptions.CannotConnectNowError,
        ):
            return True
        if through_driver and isinstance(current, OSError):
            return True
        if isinstance(current, asyncpg.InterfaceError) and _CLOSED_CONNECTION in str(current):
            return True
        state = getattr(current, "sqlstate", None)
        if isinstance(state, str) and (state.startswith("08") or state in UNAVAILABLE_SQLSTATES):
            return True
        current = current.__cause__
        through_driver = True
    return False
