"""The default graph is the merge of the documents' graphs: a triple two documents state is one triple.

Checked on the embedded store on disk, on a real Virtuoso (which keeps the merge in a graph of its
own), through the SPARQL endpoint over HTTP with a real client, and through `kg query`. Before the
merge, each query below answered once per graph holding the triple.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.rdf.namespaces import EQ, MERGE_GRAPH
from kg.settings import Settings
from kg.sparql.protocol import execute
from kg.store.base import Store
from kg.store.opening import open_store
from kg.store.remote import RemoteStore
from tests.conftest import iri
from tests.virtuoso import settings_for

G1, G2, G3 = (iri("doc", f"merge-test-{n}") for n in (1, 2, 3))
DP = [URIRef(iri("dp", f"merge-test-{n}")) for n in range(3)]
THEME = URIRef(iri("theme", "merge-test"))


def _document(dps: list[URIRef], label: str = "Merge test DP") -> Graph:
    """A document stating the same facts about the given DPs (as a summary and a strategy both do)."""
    graph = Graph()
    for n, dp in enumerate(dps):
        graph.add((dp, RDF.type, EQ.DevelopmentPartnership))
        graph.add((dp, RDFS.label, Literal(f"{label} {n}")))
        graph.add((dp, EQ.theme, THEME))
    graph.add((THEME, SKOS.notation, Literal("Z")))
    return graph


def _fill(store: Store) -> None:
    store.replace_graph(G1, _document(DP))          # all three DPs
    store.replace_graph(G2, _document(DP[:2]))      # two of them again
    store.replace_graph(G3, _document(DP[:1]))      # one of them a third time


def _rows(store: Store, where: str, select: str = "*") -> list[tuple[str | None, ...]]:
    result = store.select(f"SELECT {select} WHERE {{ {where} }}")
    return [tuple(None if row[v] is None else str(row[v]) for v in result.variables) for row in result.rows]


def _number(store: Store, query: str) -> int:
    return int(next(iter(store.select(query).rows[0].values())))  # type: ignore[arg-type]


@pytest.fixture(params=["embedded", "virtuoso"])
def merged_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store holding three documents that state the same triples, on disk or on Virtuoso."""
    if request.param == "embedded":
        with open_store(tmp_path / "store") as store:
            _fill(store)
            yield store
        return
    url = request.getfixturevalue("virtuoso_url")
    with open_store(url, settings=Settings.from_env(settings_for(url))) as store:
        for graph in (G1, G2, G3):
            store.remove_graph(graph)
        _fill(store)
        yield store
        for graph in (G1, G2, G3):
            store.remove_graph(graph)


# ---- the merge answers each query once per triple ----

def test_labels_come_once(merged_store: Store) -> None:
    ours = f"FILTER(STRSTARTS(STR(?dp), '{DP[0][:-1]}'))"
    rows = _rows(merged_store, f"?dp a eq:DevelopmentPartnership ; rdfs:label ?l {ours}")
    assert sorted(rows) == sorted((str(dp), f"Merge test DP {n}") for n, dp in enumerate(DP))


def test_counts_and_aggregates_count_each_triple_once(merged_store: Store) -> None:
    where = f"?dp a eq:DevelopmentPartnership ; eq:theme <{THEME}>"
    assert _number(merged_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}") == 3
    grouped = merged_store.select(
        f"SELECT ?t (COUNT(?dp) AS ?n) WHERE {{ ?dp eq:theme ?t FILTER(?t = <{THEME}>) }} GROUP BY ?t")
    assert [int(row["n"]) for row in grouped.rows] == [3]  # type: ignore[arg-type]
    assert _number(merged_store, f"SELECT (COUNT(?o) AS ?n) WHERE {{ <{DP[0]}> ?p ?o }}") == 3


def test_property_paths_follow_each_triple_once(merged_store: Store) -> None:
    assert _rows(merged_store, f"<{DP[0]}> eq:theme/skos:notation ?n") == [("Z",)]
    assert _rows(merged_store, f"<{DP[0]}> (eq:theme|rdf:type)/skos:notation ?n") == [("Z",)]


def test_graph_patterns_still_see_each_document(merged_store: Store) -> None:
    rows = _rows(merged_store, f"GRAPH ?g {{ <{DP[0]}> rdfs:label ?l }} FILTER(STRSTARTS(STR(?g), '{G1[:-1]}'))", "?g")
    assert sorted(rows) == [(G1,), (G2,), (G3,)]
    in_g2 = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G2}> {{ ?dp a eq:DevelopmentPartnership }} }}"
    assert _number(merged_store, in_g2) == 2


def test_removing_a_document_keeps_what_another_states(merged_store: Store) -> None:
    def labels(dp: URIRef) -> list[str | None]:
        return sorted(row[0] for row in _rows(merged_store, f"<{dp}> rdfs:label ?l", "?l"))

    merged_store.remove_graph(G1)
    assert _number(merged_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?dp eq:theme <{THEME}> }}") == 2
    merged_store.replace_graph(G2, _document(DP[:2], "Renamed DP"))
    assert labels(DP[1]) == ["Renamed DP 1"]  # the old label went with G2's old version
    assert labels(DP[0]) == ["Merge test DP 0", "Renamed DP 0"]  # G3 still says the old one
    merged_store.remove_graph(G3)
    assert labels(DP[0]) == ["Renamed DP 0"]
    merged_store.remove_graph(G2)
    assert _rows(merged_store, f"<{DP[0]}> ?p ?o", "?p") == []


def test_endpoint_queries_read_the_merge_and_keep_from(merged_store: Store) -> None:
    def answer(query: str, **dataset: list[str]) -> list[dict[str, dict[str, str]]]:
        return json.loads(execute(merged_store, query, **dataset).body)["results"]["bindings"]

    count = "SELECT (COUNT(*) AS ?n) {from_} WHERE {{ ?dp eq:theme ?t FILTER(?t = <" + str(THEME) + ">) }}"
    assert answer(count.format(from_=""))[0]["n"]["value"] == "3"
    assert answer(count.format(from_=f"FROM <{G2}>"))[0]["n"]["value"] == "2"
    assert answer(count.format(from_=""), default_graphs=[G3])[0]["n"]["value"] == "1"
    rows = answer(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{DP[1]}> a eq:DevelopmentPartnership }} }}",
                  named_graphs=[G1, G2, G3])
    assert sorted(b["g"]["value"] for b in rows) == [G1, G2]
    rows = answer(f"SELECT ?g FROM NAMED <{G2}> WHERE {{ GRAPH ?g {{ <{DP[1]}> a eq:DevelopmentPartnership }} }}")
    assert [b["g"]["value"] for b in rows] == [G2]


# ---- the embedded store: exports, counts, snapshots, older databases ----

def test_exports_and_counts_hold_the_documents_not_the_merge(store: Store) -> None:
    _fill(store)
    quads = ox.parse(store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
    graphs = [quad.graph_name for quad in quads]
    assert graphs and all(isinstance(graph, ox.NamedNode) for graph in graphs)
    assert len(graphs) == store.count() == 3 * 3 + 1 + 2 * 3 + 1 + 3 + 1
    assert {graph for _, _, _, graph in store.quads()} == {G1, G2, G3}
    merge = Graph().parse(data=store.dump("turtle"), format="turtle")
    assert len(merge) == 3 * 3 + 1
    assert store.graphs() == sorted([G1, G2, G3])


def test_a_snapshot_written_in_bulk_keeps_the_merge(tmp_path: Path) -> None:
    from kg.store.snapshots import SnapshotRoot

    root = SnapshotRoot(tmp_path / "root")
    with root.writer() as store:
        assert store.private
        store.replace_graphs([(G1, _document(DP)), (G2, _document(DP[:2]))])
    with root.writer() as store:  # replaces a stored graph in bulk: its triples leave the merge
        store.replace_graphs([(G1, _document(DP[:1], "Renamed DP")), (G3, _document(DP[2:]))])
    reader = root.open_current()
    assert reader is not None
    with reader:
        labels = sorted(r[0] for r in _rows(reader, f"<{DP[0]}> rdfs:label ?l", "?l"))
        assert labels == ["Merge test DP 0", "Renamed DP 0"]
        assert _rows(reader, f"<{DP[2]}> rdfs:label ?l", "?l") == [("Merge test DP 0",)]
        assert _number(reader, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?dp eq:theme <{THEME}> }}") == 3


def test_a_database_from_before_the_merge_is_read_as_a_union_then_merged(tmp_path: Path) -> None:
    path = tmp_path / "old"
    engine = ox.Store(str(path))  # as an older equal-kg wrote it: named graphs, empty default graph
    for graph, document in ((G1, _document(DP)), (G2, _document(DP))):
        engine.extend(ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)),
                              ox.NamedNode(str(o)) if isinstance(o, URIRef) else ox.Literal(str(o)),
                              ox.NamedNode(graph)) for s, p, o in document)
    engine.flush()
    del engine
    with open_store(path, read_only=True) as old:
        assert not old.merged  # still answers, as the union it used to be
        assert _number(old, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{DP[0]}> a ?t }}") == 2
    with open_store(path) as writable:
        assert writable.merged
    with open_store(path, read_only=True) as merged:
        assert merged.merged
        assert _number(merged, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{DP[0]}> a ?t }}") == 1
        assert merged.count() == 2 * (3 * 3 + 1)


# ---- Virtuoso keeps the merge in a graph of its own ----

def test_virtuoso_keeps_the_merge_in_its_own_graph(virtuoso_url: str) -> None:
    with open_store(virtuoso_url, settings=Settings.from_env(settings_for(virtuoso_url))) as store:
        assert isinstance(store, RemoteStore) and store.merge_graph == MERGE_GRAPH
        store.replace_graph(G1, _document(DP))
        store.replace_graph(G2, _document(DP))
        try:
            assert MERGE_GRAPH not in store.graphs()
            assert sorted({graph for _, _, _, graph in store.quads() if graph in (G1, G2)}) == [G1, G2]
            assert _number(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{DP[0]}> a ?t }}") == 1
        finally:
            store.remove_graph(G1)
            store.remove_graph(G2)
        assert not store.ask(f"ASK {{ GRAPH <{MERGE_GRAPH}> {{ <{DP[0]}> ?p ?o }} }}")


# ---- over HTTP and on the command line, on the sample corpus and the test documents ----

LABELS = "SELECT ?dp ?l WHERE { ?dp a eq:DevelopmentPartnership ; rdfs:label ?l }"


def test_the_endpoint_answers_each_dp_once(server_url: str) -> None:
    client = SPARQLWrapper(server_url + "/sparql")
    client.setQuery("PREFIX eq: <https://w3id.org/equal-kg/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                    + LABELS)
    client.setReturnFormat(JSON)
    rows = [(b["dp"]["value"], b["l"]["value"]) for b in client.query().convert()["results"]["bindings"]]
    assert len(rows) == len(set(rows)) > 10


def test_kg_query_answers_each_dp_once(sample_store_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "web.cli", "query", "--store", str(sample_store_path),
                           "--format", "csv", LABELS], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "KG_INDEX": str(sample_store_path.parent / "index")})
    assert done.returncode == 0, done.stderr
    rows = list(io.StringIO(done.stdout))[1:]
    assert len(rows) == len(set(rows)) > 10
