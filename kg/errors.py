"""The errors a request or a store can meet in `kg`, in one place at the bottom of the package.

Two families tell the web layer what happened: a `RequestError` is the client's mistake (the
message says what to change), a `QueryLimitError` a limit of the server. `StoreError` means the
store itself cannot be used, `EngineError` that the engine refused a query of our own. Anything
else that escapes is our own bug too (a `ValueError` for a programming mistake, such as an
unknown entity kind), never the client's.
This module imports nothing from `kg`.
"""

from __future__ import annotations


class KgError(Exception):
    """Base of the errors raised on purpose by `kg`."""


class StoreError(KgError):
    """The store cannot be opened or written (in use, unreadable, bad location, engine unreachable)."""


class EngineError(KgError):
    """The engine could not run a query the code wrote: a bug of ours, never the client's mistake."""


class RequestError(KgError):
    """A request cannot be answered as given: a bad query, parameter or name; the message says why."""


class NotFoundError(RequestError):
    """Nothing is known by the name or IRI a request gives."""


class QueryError(RequestError):
    """A SPARQL query is malformed or not allowed; the message says why."""


class ReadOnlyError(QueryError):
    """An update or another write was sent to the read-only endpoint."""


class SearchError(RequestError):
    """A search request cannot be run as given; the message says how to fix it."""


class QueryLimitError(KgError):
    """A query was not answered because of a server limit; `retry_after` is when to retry (s), if it helps."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[type, tuple[str, int | None]]:
        return type(self), (str(self), self.retry_after)  # crosses the worker pipe whole


class QueryStopped(QueryLimitError):
    """A query ran past the time or memory limit: it was stopped and its worker replaced."""


class QueryTimeout(QueryStopped):
    """A query ran longer than the timeout."""


class ServerBusy(QueryLimitError):
    """All workers are busy and the queue is full, or no worker came free in time."""


class WorkerCrashed(QueryLimitError):
    """A worker died during a query for another reason; it has been replaced."""
