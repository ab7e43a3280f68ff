"""One map from exception type to HTTP status; JSON for API clients, a page for people."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kg.store import QueryError, StoreError

log = logging.getLogger("equal-kg")

#: Exceptions raised by the kg layer, and the status each one means over HTTP.
STATUS: dict[type[Exception], int] = {QueryError: 400, ValueError: 400, StoreError: 503}


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


def register(app: Flask) -> None:
    """Install the error handlers on an app."""

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):  # type: ignore[no-untyped-def]
        return error_response(error.code or 500, error.description or error.name)

    for exception, status in STATUS.items():
        app.register_error_handler(exception, lambda error, status=status: error_response(status, str(error)))

    @app.errorhandler(Exception)
    def _ours(error: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s", request.path)
        return error_response(500, "Internal error: it has been logged.")
