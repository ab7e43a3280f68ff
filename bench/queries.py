"""What the benchmark asks: SPARQL queries (the editor's examples and three engine probes) and HTTP requests.

The examples come from kg/sparql/examples.py unchanged, except that `dp:seem` (a DP of the sample
corpus) is replaced by a DP of the benchmarked corpus, so every example returns rows.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from timing import Request

from kg.sparql.examples import EXAMPLES, prefix_block

SPARQL_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"


def engine_probes(body: str, dp: str) -> dict[str, str]:
    """The three query shapes of issue 6's measurements, for one body slug and one DP slug."""
    probes = {
        "probe-dps-targeting-body": f"SELECT ?dp WHERE {{ ?dp eq:targets body:{body} }}",
        "probe-partners-two-shared": f"""SELECT ?other (COUNT(DISTINCT ?b) AS ?shared) WHERE {{
  dp:{dp} eq:targets ?b ; eq:theme ?t .
  ?other eq:targets ?b ; eq:theme ?t2 .
  FILTER (?other != dp:{dp} && ?t2 != ?t)
}} GROUP BY ?other HAVING (COUNT(DISTINCT ?b) >= 2) ORDER BY DESC(?shared) ?other""",
        "probe-count-group-by-body": """SELECT ?b (COUNT(DISTINCT ?dp) AS ?dps) WHERE { ?dp eq:targets ?b }
GROUP BY ?b ORDER BY DESC(?dps) ?b""",
    }
    return {name: prefix_block(text) + text for name, text in probes.items()}


def sparql_queries(body: str, dp: str) -> dict[str, str]:
    """Every query run on both engines and both endpoints: the editor's examples, then the probes."""
    queries = {f"example-{e.slug}": e.text.replace("dp:seem", f"dp:{dp}") for e in EXAMPLES}
    queries.update(engine_probes(body, dp))
    return queries


def sparql_request(name: str, query: str, path: str = "/sparql") -> Request:
    """A SPARQL protocol POST (application/sparql-query) asking for JSON results or Turtle."""
    body = "\n".join(line for line in query.splitlines() if not line.upper().startswith("PREFIX"))
    accept = TURTLE if body.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE")) else SPARQL_JSON
    return Request(name, path, query.encode("utf-8"),
                   (("Content-Type", "application/sparql-query"), ("Accept", accept)))


def _json(base: str, path: str) -> object:
    with urllib.request.urlopen(base + path, timeout=600) as response:
        return json.loads(response.read())


def pick_entities(base: str) -> dict[str, str]:
    """Choose what to ask about from the running service: a heavily targeted body, DWP, a long-tail
    body, a typical DP (median number of bodies), the DP with most bodies, and a DP that targets DTI."""
    bodies = [b for b in _json(base, "/api/bodies")["bodies"] if b["dps"] > 0]  # type: ignore[index]
    dps = sorted((d for d in _json(base, "/api/dps")["dps"] if d["bodies_targeted"]),  # type: ignore[index]
                 key=lambda d: (d["bodies_targeted"], d["slug"]))
    slugs = {b["slug"] for b in bodies}
    tail = [b for b in bodies if b["dps"] == bodies[-1]["dps"]]
    query = prefix_block("body:") + "SELECT ?dp WHERE { ?dp eq:targets body:dti } ORDER BY ?dp LIMIT 1"
    rows = _json(base, "/sparql?" + urllib.parse.urlencode({"query": query, "format": "json"}))
    dti_dps = [r["dp"]["value"].rsplit("/", 1)[-1] for r in rows["results"]["bindings"]]  # type: ignore[index]
    typical = dps[len(dps) // 2]
    return {
        "heavy_body": bodies[0]["slug"], "heavy_body_dps": str(bodies[0]["dps"]),
        "dwp_body": "dwp" if "dwp" in slugs else bodies[min(1, len(bodies) - 1)]["slug"],
        "tail_body": sorted(tail, key=lambda b: b["slug"])[0]["slug"], "tail_body_dps": str(tail[0]["dps"]),
        "dp": typical["slug"], "dp_bodies": str(typical["bodies_targeted"]),
        "heavy_dp": dps[-1]["slug"], "heavy_dp_bodies": str(dps[-1]["bodies_targeted"]),
        "dti_dp": dti_dps[0] if dti_dps else typical["slug"],
        "dps": str(len(dps)), "bodies": str(len(bodies)),
    }


#: Search queries of every kind the search page accepts: (name, q, facets).
SEARCHES = (
    ("search-word", "procurement", ()),
    ("search-phrase", '"social enterprise"', ()),
    ("search-wildcard", "procure*", ()),
    ("search-fielded", "who:ODPM", ()),
    ("search-typo", "socail enterprize", ()),
    ("search-facet", "enterprise", ("theme:D", "kind:row")),
    ("search-boolean", "training AND (employers OR skills) NOT prison", ()),
)


def service_requests(picked: dict[str, str]) -> dict[str, list[Request]]:
    """The HTTP requests timed on our service, by group (entity pages, other HTML pages, API, entity RDF,
    search, partners, network)."""
    def search(name: str, q: str, facets: tuple[str, ...]) -> Request:
        params = [("q", q), *(("facet", f) for f in facets)]
        return Request(name, "/api/search?" + urllib.parse.urlencode(params))

    heavy, dwp, tail, dp = picked["heavy_body"], picked["dwp_body"], picked["tail_body"], picked["dp"]
    return {
        "pages": [Request("body-page-heavy", f"/id/body/{heavy}"), Request("body-page-dwp", f"/id/body/{dwp}"),
                  Request("body-page-tail", f"/id/body/{tail}"), Request("dp-page", f"/id/dp/{dp}"),
                  Request("dp-page-heavy", f"/id/dp/{picked['heavy_dp']}")],
        "api": [Request("body-json-heavy", f"/api/bodies/{heavy}"), Request("body-json-dwp", f"/api/bodies/{dwp}"),
                Request("body-json-tail", f"/api/bodies/{tail}"), Request("dp-json", f"/api/dps/{dp}"),
                Request("dp-json-heavy", f"/api/dps/{picked['heavy_dp']}")],
        "rdf": [Request("body-jsonld-heavy", f"/id/body/{heavy}.jsonld"),
                Request("body-turtle-heavy", f"/id/body/{heavy}.ttl"),
                Request("body-turtle-heavy-page2", f"/id/body/{heavy}.ttl?page=2"),
                Request("dp-jsonld", f"/id/dp/{dp}.jsonld")],
        "html": [Request("home-page", "/"), Request("dp-list-page", "/dps"),
                 Request("dp-list-page-sorted", "/dps?sort=bodies&page=3"), Request("body-list-page", "/bodies"),
                 Request("partners-page", "/partners"), Request("partners-page-dp", f"/partners?dp={dp}"),
                 Request("partners-page-bodies", "/partners?body=DTI,ODPM"),
                 Request("matrix-page", "/network/matrix"),
                 Request("search-page", "/search?" + urllib.parse.urlencode({"q": "procurement"})),
                 Request("query-page", "/query"), Request("theme-page", "/id/theme/D"),
                 Request("body-list-all-page-2", "/bodies?all=1&sort=name&page=2"),
                 Request("policy-area-list-page", "/policy-areas"), Request("document-list-page", "/documents"),
                 Request("document-list-filtered", "/documents?kind=summary&sort=kind&page=2"),
                 Request("network-whole-page", "/network")],
        "suggest": [Request(f"suggest-{name}", "/api/suggest?" + urllib.parse.urlencode({"q": typed, "kind": kind}))
                    for name, typed, kind in (("acronym", "dti", "dp,body"), ("typo", "opdm", "body"),
                                              ("misspelt", "jobcenter plus", "body"), ("words", "social ent", ""),
                                              ("dp-prefix", dp[:5], "dp"), ("dp-typo", "brigth", "dp"),
                                              ("letter", "s", ""))],
        "search": [search(*s) for s in SEARCHES],
        "partners": [Request("partners-dp", f"/api/partners?dp={dp}&scope=other-first"),
                     Request("partners-dp-heavy", f"/api/partners?dp={picked['heavy_dp']}&scope=other-first"),
                     Request("partners-bodies", "/api/partners?body=DTI,ODPM")],
        "network": [Request("network-theme", "/network/theme/D"),
                    Request("network-body", f"/network/body/{dwp}"),
                    Request("network-ego-dp", "/network/ego?iri=" + urllib.parse.quote(
                        f"https://w3id.org/equal-kg/id/dp/{dp}", safe="")),
                    Request("network-data-json", "/network/graph.json?theme=D&cap=300")],
    }


def mix(groups: dict[str, list[Request]]) -> list[Request]:
    """The request mix of the throughput run: every page, API, search, partners and network request."""
    return [r for name in ("pages", "html", "api", "rdf", "search", "suggest", "partners", "network")
            for r in groups[name]]
