"""The one map from exception type to HTTP status; JSON for API clients, a page for people.

A client's mistake (`kg.errors.RequestError`) is a 4xx whose message says what to change; a
server limit (`QueryLimitError`) a 503 with Retry-After when waiting helps. Our own failure is a
500 (or a 503 when the store is unavailable): the traceback goes to the server log under a short
reference, and the client sees only that reference, never a stack trace or an exception's text.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

from kg.errors import (
    KgError,
    NotFoundError,
    QueryLimitError,
    QueryStopped,
    ReadOnlyError,
    RequestError,
    ServerBusy,
    StoreError,
    WorkerCrashed,
)

log = logging.getLogger("equal-kg")

#: The status each error of the kg layer means over HTTP (the most specific class listed wins).
STATUS: dict[type[Exception], int] = {
    ReadOnlyError: 403,  # a write sent to the read-only endpoint
    NotFoundError: 404,  # a name or IRI nothing is known by
    RequestError: 400,  # a bad query or parameter
    ServerBusy: 503,  # every worker busy, the queue full
    QueryStopped: 503,  # past the time or memory limit (as Fuseki answers a timeout)
    WorkerCrashed: 500,  # a worker died for another reason
    StoreError: 503,  # the store cannot be reached or read
}
#: Headers of an HTTP exception worth keeping on our own error response (405's Allow, 503's Retry-After).
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def status_of(error: BaseException) -> int:
    """Return the HTTP status of an error: the entry of its nearest class in STATUS, else 500 (our bug)."""
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def retry_after(error: BaseException) -> int | None:
    """Return the seconds a client should wait before retrying after this error, if waiting helps."""
    if isinstance(error, QueryLimitError):
        return error.retry_after
    return 5 if isinstance(error, StoreError) else None


def wants_json() -> bool:
    """Tell whether the client asked for JSON rather than a page."""
    if request.path.startswith(("/api/", "/sparql")):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(status: int, message: str):  # type: ignore[no-untyped-def]
    """Render an error as JSON or as a page, with its status."""
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, message=message), status


def describe(error: HTTPException) -> str:
    """Say what went wrong in words that tell the client what to change."""
    if isinstance(error, RequestEntityTooLarge):
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return (f"the request body is larger than the {limit:,} bytes this service accepts (KG_MAX_BODY)"
                if limit else "the request body is too large")
    custom = error.description and error.description != type(error).description
    if isinstance(error, MethodNotAllowed) and not custom:
        allowed = ", ".join(m for m in error.valid_methods or () if m not in ("HEAD", "OPTIONS"))
        return (f"{request.method} is not allowed on {request.path}: this service is read-only "
                f"(allowed: {allowed or 'none'})")
    if isinstance(error, NotFound) and not custom:
        return f"nothing is at {request.path}"
    return error.description or error.name


def internal_error(error: BaseException, status: int = 500, what: str = "Internal error"):  # type: ignore[no-untyped-def]
    """Log our own failure with its traceback under a reference; answer with the reference only."""
    reference = secrets.token_hex(4)
    log.error("%s %s on %s %s", what, reference, request.method, request.path,
              exc_info=(type(error), error, error.__traceback__))
    return error_response(status, f"{what} (reference {reference}): it has been logged.")


def log_limit(error: BaseException) -> None:
    """Log a query stopped at a limit (a warning) or a crashed worker (an error); a busy server is not news."""
    if isinstance(error, QueryStopped):
        log.warning("SPARQL query stopped on %s: %s", request.path, error)
    elif isinstance(error, QueryLimitError) and not isinstance(error, ServerBusy):
        log.error("SPARQL worker failure on %s: %s", request.path, error)


def kg_error_response(error: KgError):  # type: ignore[no-untyped-def]
    """Answer an error of the kg layer with its status: its message for a client's mistake or a limit,
    a logged reference for a store failure."""
    status = status_of(error)
    if isinstance(error, StoreError):
        response = make_response(internal_error(error, status, "The store is unavailable"))
    elif status >= 500 and not isinstance(error, QueryLimitError):  # our own bug (EngineError)
        response = make_response(internal_error(error, status))
    else:
        log_limit(error)
        response = make_response(error_response(status, str(error)))
    wait = retry_after(error)
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


def register(app: Flask) -> None:
    """Install the error handlers on an app."""

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):  # type: ignore[no-untyped-def]
        response = make_response(error_response(error.code or 500, describe(error)))
        for name, value in error.get_headers():
            if name in _KEPT_HEADERS:
                response.headers[name] = value
        return response

    app.register_error_handler(KgError, kg_error_response)

    @app.errorhandler(Exception)
    def _ours(error: Exception):  # type: ignore[no-untyped-def]
        return internal_error(error)
