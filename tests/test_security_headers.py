"""Every response of a real `kg serve` carries the security headers, and every page fits its CSP.

Plain HTTP: each route of the app (the test fails when a route has no sample here), error
responses, static files. Pages are parsed to check they hold nothing the policy would block
(inline script, inline handler, style attribute or element). CORS on the API and SPARQL stays.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from tests.conftest import iri
from web.headers import CONTENT_SECURITY_POLICY, SECURITY_HEADERS

SELECT = quote("SELECT ?dp WHERE { ?dp eq:targets body:dti } LIMIT 3")
#: A sample request for every route of the app: rule -> paths (pages first).
SAMPLES: dict[str, list[str]] = {
    "/": ["/"],
    "/dps": ["/dps"],
    "/bodies": ["/bodies", "/bodies?all=1"],
    "/themes": ["/themes", "/themes?sort=dps"],
    "/policy-areas": ["/policy-areas", "/policy-areas?theme=D", "/policy-areas?sort=nope"],
    "/documents": ["/documents", "/documents?kind=strategy", "/documents?page=x"],
    "/vocabulary": ["/vocabulary"],
    "/id/<path:path>": ["/id/dp/seem", "/id/body/odpm", "/id/theme/D", "/id/doc/theme-d-mainstreaming-strategy-2005",
                        "/id/dp/seem.jsonld", "/id/body/dti.ttl", "/id/dp/seem.nt", "/id/dp/no-such-dp"],
    "/search": ["/search", "/search?q=procurement", "/search?q=%22unclosed"],
    "/query": ["/query", f"/query?query={SELECT}", "/query?query=SELEC"],
    "/sparql": ["/sparql", f"/sparql?query={SELECT}", f"/sparql?query={SELECT}&format=xml", "/sparql?query=SELEC"],
    "/export": ["/export"],
    "/export/graph.<suffix>": ["/export/graph.ttl", "/export/graph.nope"],
    "/ns": ["/ns", "/ns?format=turtle"],
    "/ns/context.jsonld": ["/ns/context.jsonld"],
    "/network": ["/network", "/network?cap=x"],
    "/network/theme/<letter>": ["/network/theme/D", "/network/theme/Z"],
    "/network/body/<slug>": ["/network/body/dti", "/network/body/nobody"],
    "/network/ego": [f"/network/ego?iri={quote(iri('dp', 'seem'))}", "/network/ego", "/network/ego?name=SEEM",
                     "/network/ego?name=nobody+at+all"],
    "/network/matrix": ["/network/matrix"],
    "/network/graph.<fmt>": ["/network/graph.graphml", "/network/graph.gexf", "/network/graph.json"],
    "/network/vis/<name>": ["/network/vis/vis-network.min.js", "/network/vis/vis-network.css"],
    "/partners": ["/partners", "/partners?dp=careworks", "/partners?dp=nobody"],
    "/api/partners": ["/api/partners?dp=careworks"],
    "/api/openapi.json": ["/api/openapi.json"],
    "/api/stats": ["/api/stats"],
    "/api/dps": ["/api/dps", "/api/dps?format=csv"],
    "/api/dps/<slug>": ["/api/dps/seem"],
    "/api/bodies": ["/api/bodies"],
    "/api/bodies/<slug>": ["/api/bodies/dti"],
    "/api/bodies/<slug>/dps": ["/api/bodies/dti/dps"],
    "/api/themes": ["/api/themes"],
    "/api/themes/<letter>": ["/api/themes/D"],
    "/api/documents": ["/api/documents"],
    "/api/policy-areas": ["/api/policy-areas", "/api/policy-areas?format=csv"],
    "/api/suggest": ["/api/suggest?q=dti", "/api/suggest?q=opdm&kind=body", "/api/suggest?q=x&kind=castle"],
    "/api/search": ["/api/search?q=procurement", "/api/search?q=%22unclosed"],
    "/static/<path:filename>": ["/static/style.css", "/static/network.js", "/static/editor.js",
                                "/static/favicon.svg", "/static/missing.js"],
}
PATHS = [path for paths in SAMPLES.values() for path in paths]


def fetch(url: str, method: str = "GET", data: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Send a request; return status, headers (lower-case names) and body, for errors too."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def assert_secure(headers: dict[str, str], where: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name.lower()) == value, (where, name, headers.get(name.lower()))


class _Blockable(HTMLParser):
    """Collect what a page holds that its CSP would block: inline scripts, handlers, styles."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.found += [f"<{tag} {name}=>" for name in names if name.startswith("on") or name == "style"]
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "a" and (names.get("href") or "").strip().lower().startswith("javascript:"):
            self.found.append("javascript: link")
        for name in ("src", "action", "href") if tag == "link" else ("src", "action"):
            value = (names.get(name) or "").strip()
            if value.startswith(("http://", "https://", "//")):
                self.found.append(f"<{tag} {name}={value}> loads from elsewhere")


def test_every_route_has_a_sample(client) -> None:
    rules = {rule.rule for rule in client.application.url_map.iter_rules()}
    assert rules - set(SAMPLES) == set(), "add a sample request for each new route to SAMPLES"
    assert set(SAMPLES) - rules == set()


def test_the_policy_allows_only_the_app_itself() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "*" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_headers(server_url: str, path: str) -> None:
    status, headers, body = fetch(server_url + path)
    assert status < 500, (path, status)
    assert_secure(headers, path)
    media = headers.get("content-type", "")
    if media.startswith("text/html"):
        page = _Blockable()
        page.feed(body.decode("utf-8"))
        assert page.found == [], (path, page.found)


def test_only_pages_are_html(server_url: str) -> None:
    """Downloads of document text never come as HTML, so a browser never renders them as a page."""
    for path in ["/id/dp/seem.jsonld", "/id/body/dti.ttl", "/export/graph.ttl", "/network/graph.graphml",
                 "/network/graph.json", f"/sparql?query={SELECT}&format=csv", "/api/dps?format=csv",
                 "/api/search?q=procurement"]:
        status, headers, _ = fetch(server_url + path)
        assert status == 200 and not headers["content-type"].startswith("text/html"), (path, headers["content-type"])
        assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("method", "path", "data", "headers", "status"), [
    ("GET", "/no/such/page", None, {}, 404),
    ("GET", "/no/such/page", None, {"Accept": "application/json"}, 404),
    ("PUT", "/", b"x", {}, 405),
    ("DELETE", "/sparql", None, {}, 405),
    ("POST", "/sparql", b"INSERT DATA { <a:a> <a:b> <a:c> }", {"Content-Type": "application/sparql-update"}, 403),
    ("POST", "/sparql", b"query=SELEC", {"Content-Type": "application/x-www-form-urlencoded"}, 400),
    ("POST", "/sparql", b"x" * 2_000_000, {"Content-Type": "application/sparql-query"}, 413),
])
def test_errors_carry_the_headers(server_url: str, method, path, data, headers, status) -> None:
    got, response_headers, _ = fetch(server_url + path, method, data, headers)
    assert got == status
    assert_secure(response_headers, f"{method} {path}")


def test_cors_on_the_api_and_sparql_is_unchanged(server_url: str) -> None:
    for path in [f"/sparql?query={SELECT}", "/api/dps", "/ns/context.jsonld"]:
        _, headers, _ = fetch(server_url + path, headers={"Origin": "http://elsewhere.example"})
        assert headers.get("access-control-allow-origin") == "*", path
        assert_secure(headers, path)
    status, headers, _ = fetch(server_url + "/sparql", "OPTIONS", headers={
        "Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert status in (200, 204) and "POST" in headers.get("access-control-allow-methods", "")
