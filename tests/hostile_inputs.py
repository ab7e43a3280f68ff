"""The hostile inputs of tests/test_hostile.py and tests/test_fuzz.py, and a plain HTTP helper.

Each builder takes the canary's URL (and a secret file's `file:` URL) so that a fetch or a read
shows up as a connection to the canary or as the secret in an answer.
"""

from __future__ import annotations

from http.client import HTTPConnection
from urllib.parse import urlsplit


def http(method: str, url: str, body: str | bytes | None = None, *, content_type: str | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60.0) -> tuple[int, dict[str, str], bytes]:
    """Send one request as given (no re-quoting of the path); return (status, headers, body)."""
    parts = urlsplit(url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    sent = dict(headers or {})
    if content_type:
        sent["Content-Type"] = content_type
    data = body.encode("utf-8") if isinstance(body, str) else body
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), data, sent)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def service_queries(canary: str) -> dict[str, str]:
    """SERVICE calls to the canary, plain and hidden in every way found to reach Oxigraph's parser."""
    body = "{ ?s ?p ?o }"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{canary}/sparql> {body} }}",
        "lower-case": f"select * where {{ service <{canary}/sparql> {body} }}",
        "silent": f"SELECT * {{ SERVICE SILENT <{canary}/sparql> {body} }}",
        "comment-between": f"SELECT * {{ SERVICE # a comment\n <{canary}/sparql> # another\n {body} }}",
        "prefixed-name": f"PREFIX c: <{canary}/> SELECT * {{ SERVICE c:sparql {body} }}",
        "relative-to-base": f"BASE <{canary}/> SELECT * {{ SERVICE <sparql> {body} }}",
        "variable-values": f"SELECT * {{ VALUES ?e {{ <{canary}/sparql> }} SERVICE ?e {body} }}",
        "variable-bind": f"SELECT * {{ BIND(<{canary}/sparql> AS ?e) SERVICE ?e {body} }}",
        "in-optional": f"SELECT * {{ ?a ?b ?c OPTIONAL {{ SERVICE <{canary}/sparql> {body} }} }}",
        "in-exists": f"SELECT * {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{canary}/sparql> {body} }} }}",
        "in-subquery": f"SELECT * {{ {{ SELECT * {{ SERVICE <{canary}/sparql> {body} }} }} }}",
        "in-minus": f"SELECT * {{ ?a ?b ?c MINUS {{ SERVICE <{canary}/sparql> {body} }} }}",
        "ask": f"ASK {{ SERVICE <{canary}/sparql> {body} }}",
        "construct": f"CONSTRUCT WHERE {{ SERVICE <{canary}/sparql> {body} }}",
        "describe": f"DESCRIBE ?s WHERE {{ SERVICE <{canary}/sparql> {body} }}",
        "glued-after-semicolon": f"SELECT * {{ ?a ?b ?c ;SERVICE<{canary}/sparql>{body} }}",
        "glued-after-true": f"SELECT * {{ ?a ?b trueSERVICE<{canary}/sparql>{body} }}",
        "glued-prefixed-name": f"PREFIX : <{canary}/> SELECT * {{ ?a ?b 1SERVICE:sparql{body} }}",
        "glued-empty-prefix": f"PREFIX : <{canary}/> SELECT * {{ ?a ?b ?c SERVICE:sparql {body} }}",
        "glued-silent": f"SELECT * {{ ?a ?b ?c SERVICESILENT<{canary}/sparql>{body} }}",
        "hidden-by-less-than": f"SELECT * {{ BIND(1 AS ?x) FILTER(?x<2)SERVICE#>\n<{canary}/sparql> {body} }}",
        "codepoint-escape": f"SELECT * {{ \\u0053ERVICE <{canary}/sparql> {body} }}",
        "escape-hides-comment": f"SELECT * {{ ?a ?b <http://x/\\u0061#> SERVICE <{canary}/sparql> {body} }}",
        "padded-spaces": f"SELECT * {{ SERVICE{' ' * 3000}<{canary}/sparql> {body} }}",
        "padded-comment": f"SELECT * {{ SERVICE #{'x' * 3000}\n<{canary}/sparql> {body} }}",
    }


def dataset_queries(canary: str, secret: str) -> dict[str, list[tuple[str, str]]]:
    """Query parameters naming the canary or a local file as graphs: answered from the store alone."""
    select = "SELECT * {{ {} }}"
    return {
        "from-http": [("query", f"SELECT * FROM <{canary}/g> WHERE {{ ?s ?p ?o }}")],
        "from-named-http": [("query", f"SELECT * FROM NAMED <{canary}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")],
        "from-file": [("query", f"SELECT * FROM <{secret}> WHERE {{ ?s ?p ?o }}")],
        "from-etc-passwd": [("query", "SELECT * FROM <file:///etc/passwd> FROM NAMED <file:///etc/passwd> "
                                      "WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")],
        "graph-file": [("query", select.format(f"GRAPH <{secret}> {{ ?s ?p ?o }}"))],
        "default-graph-uri-http": [("query", select.format("?s ?p ?o")), ("default-graph-uri", f"{canary}/g")],
        "named-graph-uri-http": [("query", select.format("GRAPH ?g { ?s ?p ?o }")), ("named-graph-uri", f"{canary}/g")],
        "default-graph-uri-file": [("query", select.format("?s ?p ?o")), ("default-graph-uri", secret)],
        "named-graph-uri-file": [("query", select.format("GRAPH ?g { ?s ?p ?o }")), ("named-graph-uri", secret)],
        "ask-from-file": [("query", f"ASK FROM <{secret}> {{ ?s ?p ?o }}")],
    }


#: SPARQL Update operations; `{canary}` and `{secret}` are filled in.
UPDATES = {
    "insert-data": "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "insert-data-graph": "INSERT DATA { GRAPH <https://w3id.org/equal-kg/graph/curated> "
                         "{ <http://x/a> <http://x/b> 1 } }",
    "delete-data": "PREFIX eq: <https://w3id.org/equal-kg/ns#> "
                   "DELETE DATA { <https://w3id.org/equal-kg/id/dp/seem> a eq:DevelopmentPartnership }",
    "delete-where": "PREFIX eq: <https://w3id.org/equal-kg/ns#> DELETE WHERE { ?s a eq:DevelopmentPartnership }",
    "delete-insert": "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "with": "WITH <https://w3id.org/equal-kg/graph/curated> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "load-http": "LOAD <{canary}/data.ttl>",
    "load-silent-into": "LOAD SILENT <{canary}/data.ttl> INTO GRAPH <http://x/g>",
    "load-file": "LOAD <{secret}>",
    "clear-all": "CLEAR ALL",
    "drop-all": "DROP ALL",
    "drop-curated": "DROP GRAPH <https://w3id.org/equal-kg/graph/curated>",
    "create": "CREATE GRAPH <http://x/g>",
    "add-move-copy": "ADD DEFAULT TO <http://x/g> ; MOVE <http://x/g> TO DEFAULT ; COPY DEFAULT TO <http://x/h>",
    "comment-first": "# a comment\nPREFIX x: <http://x/>\ninsert data { x:a x:b x:c }",
    "escaped-keyword": "\\u0049NSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
}

#: Queries the parser refuses, each for another reason.
MALFORMED_QUERIES = [
    "SELECT ?s WHERE {\n ?s ?p", "SELECT", "ASK {", "SELECT * { ?s ?p ?o } LIMIT -1",
    "SELECT * { ?s <\x00> ?o }", "SELECT (1 AS ?x) (2 AS ?x) {}", "CONSTRUCT { ?s ?p } WHERE {}",
    "SELECT * { ?s ?p ?o } GROUP BY", "PREFIX : SELECT * {}", "SELECT * { undeclared:x ?p ?o }",
    "{" * 3000, "SELECT * { FILTER(" + "(" * 3000 + ")", "JSON { }", "\x00", "%",
]


def billion_laughs(canary: str, secret: str) -> str:
    """RDF/XML with nested entities (10^9 `lol`s if expanded) and external ones (the canary, a file)."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n ' + "\n ".join(entities)
            + f'\n <!ENTITY ext SYSTEM "{canary}/entity.xml">\n <!ENTITY file SYSTEM "{secret}">\n]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
            ' <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;&ext;&file;</ex:p></rdf:Description>\n'
            '</rdf:RDF>\n')


def jsonld_document(canary: str, secret: str) -> str:
    """JSON-LD whose @context is remote (the canary), imports another and names a local file."""
    return ('{"@context": ["' + canary + '/context.jsonld", {"@import": "' + canary + '/import.jsonld"}, "'
            + secret + '"],\n "@id": "http://example.org/a", "name": "x"}\n')


def gsp_bodies(canary: str) -> dict[str, str]:
    """Bodies a Graph Store Protocol client would send, by media type."""
    return {
        "text/turtle": "<http://x/a> <http://x/b> <http://x/c> .",
        "application/n-triples": "<http://x/a> <http://x/b> <http://x/c> .",
        "application/ld+json": jsonld_document(canary, "file:///etc/passwd"),
        "application/rdf+xml": billion_laughs(canary, "file:///etc/passwd"),
    }


def hostile_documents(canary: str, secret: str) -> dict[str, str]:
    """Files given to `kg ingest`: RDF formats the readers must never parse as RDF."""
    xml = billion_laughs(canary, secret)
    summary = (xml.split("<rdf:RDF")[0] + "Laughing Gas Development Partnership\n\nAim\n"
               "The Laughing Gas DP said &lol9; and &ext; and &file; to lone parents.\n")
    return {"hostile.jsonld": jsonld_document(canary, secret), "hostile.rdf": xml, "hostile.xml": xml,
            "entities.txt": xml, "summary-with-entities.xml": summary}


#: Requests with malformed search syntax and parameters (pre-encoded, invalid escapes kept).
ODD_PARAMETERS = [
    *(f"{path}?{query}" for path in ("/search", "/api/search") for query in (
        "q=social&page=-1", "q=social&page=0", "q=social&page_size=1000000000", "q=social&page_size=-5",
        "q=social&page=abc", "q=social&page=1e9", "q=social&page=99999999999999999999999",
        "q=social&page=500&page_size=100", "q=x&facet=x", "q=x&facet=:", "q=x&facet=theme:", "q=x&facet=%00",
        "q=x&facet=colour:red", "q=x&" + "&".join(f"facet=theme:{n}" for n in range(200)),
        "q=" + "a" * 10000, "q=" + "a%20" * 3000, "q=%00", "q=a%00b", "q=%ff%fe", "q=%c3%28", "q=%ed%a0%80",
        "q=%C0%80", "q=((((((((((", "q=%22", "q=*", "q=who:", "q=a~99", "q=a^x", "q=[a%20TO", "q={a%20TO%20b]",
        "q=nosuchfield:x", "q=theme:(x", "q=/regex/", "q=a~-1", "q=" + "%22a" * 300, "q=AND%20OR%20NOT")),
    "/network?cap=-1", "/network?cap=999999999999", "/network?min_shared=-5", "/network?theme=%00",
    "/network?level=%ff", "/network/ego?iri=%00&radius=99", "/network/ego?iri=x&radius=-1",
    "/network/graph.json?cap=abc", "/network/matrix?limit=-1", "/network/matrix?limit=99999999999",
    "/network/theme/%ff", "/partners?body=%00", "/api/partners?dp=%ff", "/api/partners?body=,,,",
    "/api/partners?dp=seem&limit=-1&scope=%00", "/api/dps?format=%00", "/api/bodies/%ff", "/api/themes/%00",
    "/id/%00", "/id/dp/%ff", "/id/" + "a" * 5000, "/id/../../etc/passwd", "/static/../app.py",
    "/static/%2e%2e/%2e%2e/etc/passwd", "/network/vis/..%2f..%2fetc%2fpasswd", "/ns?format=%00",
    "/sparql?query=ASK%7B%7D&format=%ff", "/sparql?query=ASK%7B%7D&format=bogus",
    "/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri", "/sparql?query=ASK%7B%7D&named-graph-uri=%00",
    "/sparql?query=%ff%fe", "/query?query=%ed%a0%80", "/export/graph.%00", "/no/such/page",
]
