"""The endpoint's fast path: the engine serialises a SELECT answer capped by a LIMIT, and the row cap still holds.

Answers must be the same, row for row, as the engine's own answer to the query as written, in
every results format, at and around the cap, with literals that look like row separators.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import QueryError
from kg.rdf.sparql_text import with_limit
from kg.sparql.protocol import execute
from kg.store.base import Store
from kg.store.opening import open_store

ROWS = 12
P = URIRef("http://example.org/p")
#: Literals holding what the row counting looks for: JSON's `},{`, a CSV line break, XML's `<result>`.
TRICKY = ['a},{"b', "line\nbreak", "<result>", 'quote " and, comma']


@pytest.fixture(scope="module")
def rows_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    graph = Graph()
    for n in range(ROWS):
        graph.add((URIRef(f"http://example.org/s{n:02d}"), P, Literal(TRICKY[n % len(TRICKY)] + f" {n}")))
    with open_store(Path(tmp_path_factory.mktemp("thin")) / "store") as store:
        store.replace_graph("https://w3id.org/equal-kg/id/doc/thin", graph)
    with open_store(Path(store.location), read_only=True) as reader:
        yield reader


QUERY = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"


def _rows(body: bytes, fmt: str) -> list[list[str]]:
    if fmt == "json":
        return [[b[v]["value"] for v in ("s", "o")] for b in json.loads(body)["results"]["bindings"]]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode())))[1:]
    results = ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, fmt.upper()))
    return [[s["s"].value, s["o"].value] for s in results]


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
@pytest.mark.parametrize("cap", [ROWS - 1, ROWS, ROWS + 1])
def test_the_row_cap_holds_in_every_format(rows_store: Store, fmt: str, cap: int) -> None:
    answer = execute(rows_store, QUERY, results_format=fmt, max_rows=cap)
    expected = [[f"http://example.org/s{n:02d}", TRICKY[n % len(TRICKY)] + f" {n}"] for n in range(ROWS)]
    assert _rows(answer.body, fmt) == expected[:cap]
    assert answer.truncated is (cap < ROWS)
    if fmt == "json":
        assert json.loads(answer.body)["truncated"] is (cap < ROWS)
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(answer.body.decode())))) == min(cap, ROWS) + 1


def test_a_query_with_its_own_limit_offset_or_values_answers_as_written(rows_store: Store) -> None:
    def rows(query: str, cap: int = 100) -> list[list[str]]:
        return _rows(execute(rows_store, query, max_rows=cap).body, "json")

    assert [r[0][-2:] for r in rows(QUERY + " LIMIT 3 OFFSET 2")] == ["02", "03", "04"]
    assert len(rows(QUERY + " LIMIT 500", cap=5)) == 5
    values = "SELECT ?s ?o WHERE { ?s ?p ?o } VALUES ?s { <http://example.org/s03> <http://example.org/s07> }"
    assert sorted(r[0][-2:] for r in rows(values)) == ["03", "07"]
    grouped = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p HAVING (COUNT(*) > 1)"
    assert json.loads(execute(rows_store, grouped).body)["results"]["bindings"][0]["n"]["value"] == str(ROWS)


def test_a_malformed_query_is_reported_where_the_user_wrote_it(rows_store: Store) -> None:
    with pytest.raises(QueryError, match="1:"):
        execute(rows_store, "SELECT ?s WHERE { ?s ?p }")


@pytest.mark.parametrize(("query", "capped"), [
    ("SELECT ?s { ?s ?p ?o }", "SELECT ?s { ?s ?p ?o }\nLIMIT 11\n"),
    ("PREFIX x: <http://x/> SELECT * WHERE { { SELECT ?s { ?s ?p ?o } LIMIT 50 } } # LIMIT 3",
     "PREFIX x: <http://x/> SELECT * WHERE { { SELECT ?s { ?s ?p ?o } LIMIT 50 } } # LIMIT 3\nLIMIT 11\n"),
    ("SELECT * { ?s ?p ?o } LIMIT 10", "SELECT * { ?s ?p ?o } LIMIT 10"),
    ("SELECT * { ?s ?p ?o } OFFSET 5 LIMIT 99", "SELECT * { ?s ?p ?o } OFFSET 5 LIMIT 11"),
    ("SELECT * { ?s ?p '}' }", "SELECT * { ?s ?p '}' }\nLIMIT 11\n"),
    ("SELECT (EXISTS { ?s ?p ?o } AS ?e) { }", None),
    ("SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p HAVING (EXISTS { ?p ?q ?r })", None),
    ("CONSTRUCT WHERE { ?s ?p ?o }", None),
    ("DESCRIBE <http://x/>", None),
    ("SELECT * { ?s ?p ?o", None),
])
def test_with_limit_caps_the_top_level_query_only(query: str, capped: str | None) -> None:
    assert with_limit(query, 11) == capped
