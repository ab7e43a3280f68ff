"""Security headers on every response, set in one place: a Content-Security-Policy and its companions.

The policy lets a page load only the app's own scripts, styles, images and connections: no inline
script or style, no plugin, no `<base>`, no framing, forms post only here. Text from documents is
escaped by the templates; this is the second line of defence if an escape is ever missed.
CORS headers on the API and SPARQL responses are the blueprints' own and are left alone.
"""

from __future__ import annotations

from flask import Flask, Response

#: The Content-Security-Policy, one directive per entry. vis-network sets element styles through
#: the CSSOM (`element.style`), which style-src does not govern, so styles need no 'unsafe-inline';
#: its stylesheet holds a few `data:` PNG icons, hence `img-src data:`.
CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)
CONTENT_SECURITY_POLICY = "; ".join(CSP_DIRECTIVES)

#: Headers added to every response that does not set them itself.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    """Add the security headers a response does not already carry, and `Vary: Accept`.

    Entity IRIs, the API, the SPARQL endpoint and exports answer by `Accept`, so caches must key
    on it; saying it on every response keeps a page and its data apart in any cache.
    """
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.vary.add("Accept")
    return response


def register(app: Flask) -> None:
    """Install the headers on every response of an app (pages, API, SPARQL, static files, errors)."""
    app.after_request(add_security_headers)
