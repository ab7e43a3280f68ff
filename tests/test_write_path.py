"""The ingest write path: collecting graphs, N-Quads lines, batches loaded while the next one is built."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from ingest import pipeline
from ingest.built_graph import document_graph
from ingest.pipeline import ingest_paths, sample_corpus
from kg.memory import limit_arenas, release_free_memory
from kg.rdf import ntriples
from kg.store.opening import open_store

EX = "https://example.org/"
AWKWARD = [Literal('say "hi"\\ then\nnew line\r\tand tab'), Literal("Ælfrīc ✓ 𝄞"), Literal("chat", lang="fr"),
           Literal(3), Literal(False), Literal("2004", datatype=XSD.gYear), Literal("")]


def test_collecting_graph_answers_like_an_rdflib_graph() -> None:
    built, plain = document_graph(URIRef(EX + "doc")), Graph()
    for n, value in enumerate(AWKWARD * 2):  # each triple twice: a graph is a set
        for graph in (built, plain):
            graph.add((URIRef(f"{EX}s{n % len(AWKWARD)}"), RDFS.label, value))
    assert len(built) == len(plain) == len(AWKWARD)
    assert set(built) == set(plain)
    assert set(built.objects(URIRef(EX + "s0"), RDFS.label)) == {AWKWARD[0]}  # read by pattern: indexed now
    built.add((URIRef(EX + "late"), RDFS.label, Literal("added after")))
    assert built.value(URIRef(EX + "late"), RDFS.label) == Literal("added after")
    built.remove((URIRef(EX + "late"), None, None))
    assert len(built) == len(AWKWARD) and set(built) == set(plain)


def test_nquads_lines_parse_back_to_the_same_triples() -> None:
    graph = Graph()
    for n, value in enumerate(AWKWARD):
        graph.add((URIRef(f"{EX}s{n}"), URIRef(EX + "p"), value))
    graph.add((BNode("b1"), URIRef(EX + "p"), URIRef(EX + "o")))
    text = ntriples.lines(graph)
    assert sorted(text.splitlines()) == sorted(graph.serialize(format="nt").strip().splitlines())
    quads = ntriples.lines(graph, EX + "g")
    assert all(line.endswith(f" <{EX}g> .") for line in quads.splitlines())
    assert isomorphic(Graph().parse(data=text, format="nt"), graph)  # blank nodes get new labels


def test_batches_load_in_the_background_in_order(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 50)  # every document is a batch of its own
    loaded: list[str] = []
    with open_store(tmp_path / "store") as store:
        result = ingest_paths(store, [sample_corpus()], on_loaded=lambda report, graph: loaded.append(report.document))
        assert result.ok and loaded == [r.document for r in result.reports] and len(loaded) == 2
        assert all(store.has_graph(doc) for doc in loaded)
        count = store.count()
    with open_store(tmp_path / "one-batch") as store:
        monkeypatch.setattr(pipeline, "WRITE_BATCH", 10**9)
        assert ingest_paths(store, [sample_corpus()]).ok and store.count() == count


def test_a_failed_background_write_is_raised(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with open_store(tmp_path / "store") as store:
        def refuse(graphs):  # type: ignore[no-untyped-def]
            raise OSError("disk full")
        monkeypatch.setattr(store, "replace_graphs", refuse)
        try:
            ingest_paths(store, [sample_corpus()])
        except OSError as error:
            assert "disk full" in str(error)
        else:
            raise AssertionError("the failed write was not raised")


def test_memory_helpers_run_on_this_c_library() -> None:
    assert limit_arenas(8) in (True, False) and release_free_memory() in (True, False)
