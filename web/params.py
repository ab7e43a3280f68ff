"""Query-string parameters read one way everywhere: a bad value is the client's error, named."""

from __future__ import annotations

from flask import request

from kg.errors import RequestError


def whole_number(name: str, default: int, minimum: int | None = None,
                 error: type[RequestError] = RequestError) -> int:
    """Read `?name=N` as a whole number (`default` when absent); `error` names the parameter otherwise.

    A search page shows its errors in the page, so it asks for its own error type (SearchError).
    """
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or (minimum is not None and value < minimum):
        since = f" from {minimum}" if minimum is not None else ""
        raise error(f"{name} must be a whole number{since}, not {raw!r}")
    return value
