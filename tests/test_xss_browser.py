"""XSS payloads in document text stay inert text on every page kind, in headless Chromium, under the CSP.

Two hostile documents (a DP summary and a strategy) put payloads in DP names, body names, cell
text and free text; a real `kg serve` serves them. Every payload calls `kgXss`, a function the
browser exposes to the test, or opens a dialog, or fetches an outside address: none may happen.
Two defences are checked apart: escaping (no element or attribute made by a payload exists,
the payload shows as text) and the Content-Security-Policy (present, no violation reported).
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.conftest import iri

pytestmark = pytest.mark.browser

# Summaries keep text as written; strategy cells are HTML-stripped then unescaped, hence &lt;...&gt;.
SUMMARY = """Development Partnership: Hostile <img src=x onerror=kgXss`dpimg`> Partners

AIMS:
The Hostile Partners DP tested </script><script>kgXss`aim`</script> and text with \
href="javascript:kgXss`href`" in {{7*7}} places, <img src=x onerror="window.__xss=1;alert(document.domain)">.

Key Objectives
1. To check <svg onload=kgXss`svg`> is inert
2. To check " onmouseover="kgXss`attr`" x=" is inert
3. To check <a href="javascript:kgXss`link`">a javascript: link</a> is inert

Background
The DP wrote <iframe srcdoc="<script>kgXss`iframe`</script>"></iframe>, \
<img src="http://203.0.113.9/beacon.png">, {{7*7}} and ${7*7}.

Target beneficiary groups
People who type <b onmouseover=kgXss`b`>bold</b> text.

Main Outcomes
300 people saw <img src=x onerror=kgXss`outcome`> in 2004.
"""
STRATEGY = "\n".join([
    "EQUAL Theme C Mainstreaming Strategy, Round 2, 2005",
    "",
    "This strategy's prose holds <img src=x onerror=kgXss`prose`> and "
    "</script><script>kgXss`prose2`</script> and {{7*7}}.",
    "",
    "WHAT?\tWHO?\tWHEN?\tHOW?\tWHY?\tDPs involved",
    "1. Hostile &lt;svg onload=kgXss`area`&gt; area\t\t\t\t\t",
    "\t".join([
        'Cell &lt;img src=x onerror=kgXss`what`&gt; text with href="javascript:kgXss`whathref`"',
        "National: &lt;img src=x onerror=kgXss`body`&gt; Agency; "
        'Evil href="javascript:kgXss`bodyhref`" Office; &lt;svg onload=kgXss`bodysvg`&gt; Council; '
        "&lt;/script&gt;&lt;script&gt;kgXss`bodyscript`&lt;/script&gt; Board; "
        'Quote" onmouseover="kgXss`bodyattr`" x=" Unit; DTI',
        "2005 {{7*7}}",
        "&lt;/script&gt;&lt;script&gt;kgXss`how`&lt;/script&gt;",
        '" onmouseover="kgXss`why`" x="',
        "Hostile &lt;img src=x onerror=kgXss`dpimg`&gt; Partners*, "
        "&lt;/script&gt;&lt;script&gt;kgXss`dpscript`&lt;/script&gt; Trust, CareWorks",
    ]),
    "",
])

DP_LABEL = "Hostile <img src=x onerror=kgXss`dpimg`> Partners"
DP = iri("dp", "hostile-img-src-x-onerror-kgxss-dpimg-partners")
BODIES = {  # slug: label
    "img-src-x-onerror-kgxss-body-agency": "<img src=x onerror=kgXss`body`> Agency",
    "evil-href-javascript-kgxss-bodyhref-office": 'Evil href="javascript:kgXss`bodyhref`" Office',
    "svg-onload-kgxss-bodysvg-council": "<svg onload=kgXss`bodysvg`> Council",
    "script-script-kgxss-bodyscript-script-board": "</script><script>kgXss`bodyscript`</script> Board",
    "quote-onmouseover-kgxss-bodyattr-x-unit": 'Quote" onmouseover="kgXss`bodyattr`" x=" Unit',
}
BODY = iri("body", "img-src-x-onerror-kgxss-body-agency")
PAYLOAD = "<img src=x onerror=kgXss`query`>"
#: Anything a payload would have made if it had been parsed as markup.
INJECTED = ("[onerror], [onload], [onmouseover], [onclick], [srcdoc], img[src=x], img[src^='http://203'], "
            "iframe, object, embed, a[href^='javascript:' i], b, "
            "script:not([src]):not([type='application/json'])")
#: A console message a browser prints for an error status we asked for.
STATUS_NOISE = "Failed to load resource: the server responded with a status of 4"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real `kg serve` over the sample corpus plus the two hostile documents."""
    from ingest.pipeline import ingest_paths, sample_corpus
    from kg.store.opening import open_store
    from tests.server import running_server

    folder = tmp_path_factory.mktemp("xss")
    (folder / "hostile_summary.txt").write_text(SUMMARY, encoding="utf-8")
    (folder / "hostile_strategy.txt").write_text(STRATEGY, encoding="utf-8")
    with open_store(folder / "store") as opened:
        result = ingest_paths(opened, [sample_corpus(), folder / "hostile_summary.txt",
                                       folder / "hostile_strategy.txt"])
        assert result.ok, result.errors
    with running_server(folder / "store") as url:
        yield url


class Probe:
    """A browser page that records payload calls, dialogs, CSP violations, errors and outside requests."""

    def __init__(self, context, base: str) -> None:  # type: ignore[no-untyped-def]
        self.base = base
        self.calls: list[object] = []
        self.violations: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        context.expose_function("kgXss", lambda *args: self.calls.append(args))
        context.expose_function("kgCsp", lambda text: self.violations.append(text))
        context.add_init_script("document.addEventListener('securitypolicyviolation', e => kgCsp("
                                "e.violatedDirective + ' blocked ' + e.blockedURI + ' in ' + e.sourceFile))")
        context.route("**/*", self._guard)
        self.page = context.new_page()
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda msg: msg.type == "error" and not msg.text.startswith(STATUS_NOISE)
                     and self.errors.append(msg.text))

    def _guard(self, route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith((self.base, "data:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def visit(self, path: str, status: int | tuple[int, ...] = 200,
              shows: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
        """Open a page, check its status, CSP header and that payloads stayed text; return the page."""
        response = self.page.goto(self.base + path)
        statuses = status if isinstance(status, tuple) else (status,)
        assert response is not None and response.status in statuses, (path, response and response.status)
        assert "script-src 'self'" in response.headers.get("content-security-policy", ""), path
        self.page.wait_for_load_state("load")
        self.assert_inert(path)
        text = self.page.evaluate("() => document.body.textContent")
        for expected in shows:
            assert expected in text, (path, expected)
        return self.page

    def assert_inert(self, where: str) -> None:
        injected = self.page.evaluate("s => Array.from(document.querySelectorAll(s), e => e.outerHTML)", INJECTED)
        assert injected == [], (where, injected)
        assert self.page.evaluate("() => window.__xss") is None, where

    def assert_clean(self) -> None:
        """Nothing ran, opened, leaked or was refused by the CSP, and the pages' own scripts raised nothing."""
        assert self.calls == [], self.calls
        assert self.dialogs == [], self.dialogs
        assert self.violations == [], self.violations
        assert self.outside == [], self.outside
        assert self.errors == [], self.errors


@pytest.fixture
def probe(browser, hostile_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    yield Probe(context, hostile_url)
    context.close()


def test_home_index_and_entity_pages(probe) -> None:  # type: ignore[no-untyped-def]
    probe.visit("/")
    probe.visit("/dps", shows=(DP_LABEL,))
    probe.visit("/bodies", shows=tuple(BODIES.values()))
    probe.visit("/bodies?all=1", shows=tuple(BODIES.values()))
    probe.visit("/themes")
    probe.visit("/id/theme/C", shows=(DP_LABEL,))
    probe.visit("/id/dp/" + DP.rsplit("/", 1)[1], shows=(
        DP_LABEL, "</script><script>kgXss`aim`</script>", 'href="javascript:kgXss`href`"', "{{7*7}}",
        "<svg onload=kgXss`svg`>", '" onmouseover="kgXss`attr`" x="', "<b onmouseover=kgXss`b`>bold</b>"))
    for slug, label in BODIES.items():
        probe.visit(f"/id/body/{slug}", shows=(label, DP_LABEL))
    probe.visit("/id/body/dti", shows=(DP_LABEL,))
    probe.visit("/id/doc/hostile-summary", shows=(DP_LABEL, "<iframe srcdoc=", "${7*7}"))
    page = probe.visit("/id/doc/hostile-strategy", shows=(
        "<img src=x onerror=kgXss`prose`>", "<img src=x onerror=kgXss`what`>", "</script><script>kgXss`how`",
        '" onmouseover="kgXss`why`" x="', "2005 {{7*7}}"))
    # the "written ..." tooltips of the entities read from a cell are attributes: still the plain text
    titles = page.eval_on_selector_all("div.read a[title]", "links => links.map(a => a.title)")
    assert 'written “Quote" onmouseover="kgXss`bodyattr`" x=" Unit”' in titles
    probe.visit("/id/doc/hostile-strategy/cell/7-what", shows=("<img src=x onerror=kgXss`what`>",))
    probe.visit("/id/policy-area/hostile-svg-onload-kgxss-area-area", shows=("Hostile <svg onload=kgXss`area`> area",))
    probe.visit("/id/activity/hostile-strategy-1", shows=(DP_LABEL,))
    probe.visit("/vocabulary")
    probe.visit("/export")
    probe.assert_clean()


def test_search_results_and_highlights(probe) -> None:  # type: ignore[no-untyped-def]
    page = probe.visit("/search?q=kgXss", shows=(DP_LABEL,))
    marks = page.locator("p.snippet mark")
    assert marks.count() > 0
    assert {m.lower() for m in marks.all_inner_texts()} == {"kgxss"}
    snippets = "\n".join(page.locator("p.snippet").all_inner_texts())
    assert "onerror=kgXss" in snippets and "<" in snippets
    probe.visit("/search?q=onmouseover")
    probe.visit("/search?q=" + quote(PAYLOAD))
    assert page.input_value("#q") == PAYLOAD and PAYLOAD in page.title()
    probe.visit("/search?q=" + quote('"' + PAYLOAD), status=(200, 400))  # the form shows the message
    assert page.locator("p.search-error").count() == 1 and PAYLOAD in page.title()
    probe.assert_clean()


def test_sparql_editor_shows_payloads_as_text_and_still_runs(probe) -> None:  # type: ignore[no-untyped-def]
    labels = 'SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(CONTAINS(?label, "kgXss")) }'
    page = probe.visit("/query?query=" + quote(labels), shows=(DP_LABEL, *BODIES.values()))
    # the editor's own script works under the CSP: Ctrl+Enter runs what is typed
    page.fill("#query", 'SELECT ?label WHERE { body:svg-onload-kgxss-bodysvg-council rdfs:label ?label }')
    with page.expect_navigation():
        page.press("#query", "Control+Enter")
    assert page.locator("table.result-table td").all_inner_texts() == ["<svg onload=kgXss`bodysvg`> Council"]
    probe.assert_inert("editor after running")
    weird = ('SELECT * WHERE { BIND(IRI("javascript:kgXss`iri`") AS ?link) '
             f'BIND("{PAYLOAD}" AS ?text) BIND(STRDT("{PAYLOAD}", <javascript:alert(2)>) AS ?typed) }}')
    page = probe.visit("/query?query=" + quote(weird), shows=(PAYLOAD,))
    assert page.locator("table.result-table a").count() == 0  # a javascript: IRI is not made a link
    probe.visit("/query?query=" + quote(f"SELECT {PAYLOAD}"), status=400)
    probe.visit("/sparql?query=" + quote(f"SELECT {PAYLOAD}"), status=400)
    probe.assert_clean()


def _network_data(page) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(page.locator("#network-data").text_content())


def _hover_tooltips(probe: Probe, path: str) -> int:
    """Draw a view, hover every hostile node and check its tooltip and details are plain text."""
    page = probe.visit(path)
    page.wait_for_selector("#network[data-drawn=true] canvas", timeout=15000)
    assert int(page.get_attribute("#network", "data-nodes")) > 0
    hostile = [n for n in _network_data(page)["nodes"] if "kgXss" in n["fullLabel"]]
    box = page.locator("#network").bounding_box()
    for node in hostile:
        page.mouse.move(0, 0)
        spot = page.evaluate("""id => { const net = window.equalKgNetwork;
            net.focus(id, {scale: 2.5, animation: false}); net.redraw();
            return net.canvasToDOM(net.getPosition(id)); }""", node["id"])
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        page.wait_for_function("label => (document.querySelector('div.vis-tooltip') || {}).innerText"
                               "?.startsWith(label)", arg=node["fullLabel"], timeout=5000)
        assert page.locator("div.vis-tooltip *:not(div.net-tip)").count() == 0
        page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
        assert page.locator("#net-details p.net-tip").inner_text(timeout=5000).startswith(node["fullLabel"])
        page.mouse.click(box["x"] + 3, box["y"] + 3)  # a tap elsewhere: the next node's click is no double-click
        probe.assert_inert(f"{path}, over {node['fullLabel']}")
    return len(hostile)


@pytest.mark.parametrize("path", [
    "/network", "/network/theme/C", "/network/body/dti", f"/network/ego?iri={quote(BODY)}",
    f"/network/ego?iri={quote(DP)}&radius=2", "/network?level=national&cap=40",
])
def test_network_views_tooltips_are_plain_text(probe, path) -> None:  # type: ignore[no-untyped-def]
    assert _hover_tooltips(probe, path) > 0
    probe.assert_clean()


def test_matrix_and_partners(probe) -> None:  # type: ignore[no-untyped-def]
    page = probe.visit("/network/matrix", shows=tuple(BODIES.values()))
    titles = page.eval_on_selector_all("table.matrix a[title]", "links => links.map(a => a.title)")
    assert any(DP_LABEL in t for t in titles)
    probe.visit("/partners", shows=())
    page = probe.visit("/partners?dp=" + quote(DP), shows=(DP_LABEL,))
    assert page.locator("input[name=dp]").input_value() == DP_LABEL  # the hostile name, as a value
    probe.visit("/partners?body=" + quote(BODY), shows=(DP_LABEL, BODIES[BODY.rsplit("/", 1)[1]]))
    probe.visit("/partners?dp=careworks", shows=(DP_LABEL, "WHO: National: <img src=x onerror=kgXss`body`> Agency;"))
    probe.assert_clean()


@pytest.mark.parametrize(("path", "status", "echo"), [
    ("/id/dp/" + quote(PAYLOAD), 400, PAYLOAD),
    ("/id/body/" + quote("x<svg onload=kgXss`p`>"), 400, "<svg onload=kgXss`p`>"),
    ("/network/body/" + quote("<svg onload=kgXss`nb`>"), 404, "<svg onload=kgXss`nb`>"),
    ("/network/theme/" + quote("<"), 404, "'<'"),
    ("/network/ego?iri=" + quote(PAYLOAD), 400, ""),
    ("/network?cap=" + quote(PAYLOAD), 400, PAYLOAD),
    ("/network?min_shared=" + quote('"><script>kgXss`ms`</script>'), 400, '"><script>kgXss`ms`</script>'),
    ("/partners?dp=" + quote(PAYLOAD), 404, PAYLOAD),
    ("/partners?body=" + quote(PAYLOAD), 404, PAYLOAD),
    ("/api/dps/" + quote(PAYLOAD), 400, PAYLOAD),
    ("/api/search?q=" + quote('"' + PAYLOAD), 400, ""),
])
def test_error_pages_echo_input_as_text(probe, path, status, echo) -> None:  # type: ignore[no-untyped-def]
    probe.visit(path, status=status, shows=(echo,))
    probe.assert_clean()
