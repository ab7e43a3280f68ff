"""One of each thing, behaving as one: the store interface, locations, the format table, the error map."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from kg.errors import QueryError, ReadOnlyError, RequestError, SearchError, ServerBusy, StoreError, WorkerCrashed
from kg.rdf.formats import EXPORT_FORMATS, FORMATS, GRAPH, RESULTS, format_by_name
from kg.rdf.namespaces import cell_anchor, local_path
from kg.rdf.sparql_text import is_safe_iri
from kg.store.answers import engine_format
from kg.store.base import Store
from kg.store.embedded import EmbeddedStore
from kg.store.location import parse_location
from kg.store.opening import open_reader, open_store
from kg.store.remote import RemoteStore
from web.conneg import GRAPH_TYPES, RESULT_TYPES, format_named, negotiate
from web.errors import status_of

ROOT = Path(__file__).resolve().parent.parent


def test_the_two_engines_implement_one_interface_and_share_nothing_else() -> None:
    assert issubclass(EmbeddedStore, Store) and issubclass(RemoteStore, Store)
    assert not issubclass(RemoteStore, EmbeddedStore)
    assert not hasattr(RemoteStore, "backup") and not hasattr(RemoteStore, "build_merge")
    with pytest.raises(TypeError):
        Store("memory:")  # type: ignore[abstract]


def test_locations_are_parsed_in_one_place(tmp_path: Path) -> None:
    assert parse_location("memory:").kind == parse_location(":memory:").kind == "memory"
    assert parse_location(f"file://{tmp_path}").path == parse_location(str(tmp_path)).path == tmp_path
    assert parse_location("https://db.example/sparql").kind == "remote"
    with pytest.raises(StoreError, match="ftp://x"):
        parse_location("ftp://x/store")
    with pytest.raises(StoreError, match="unsupported store location"):
        open_store("ftp://x/store")


def test_a_reader_of_a_file_url_cannot_write(tmp_path: Path) -> None:
    """A plain database named by a `file://` URL is opened read-only, as its path is."""
    graph = Graph()
    graph.add((URIRef("http://x/s"), URIRef("http://x/p"), URIRef("http://x/o")))
    with open_store(tmp_path / "db") as plain:  # a plain Oxigraph database, not a snapshot root
        plain.replace_graph("https://w3id.org/equal-kg/id/doc/x", graph)
    for location in (str(tmp_path / "db"), f"file://{tmp_path / 'db'}"):
        reader = open_reader(location)
        try:
            assert reader.count() == 1
            with pytest.raises(StoreError):
                reader.replace_graph("https://w3id.org/equal-kg/id/doc/y", graph)
        finally:
            reader.close()


def test_one_format_table_drives_negotiation_export_and_the_engine() -> None:
    for name, served in FORMATS.items():
        assert engine_format(name) is not None  # the engine knows every format by its extension
        assert format_by_name(name) is served and format_by_name(served.extension) is served
        table = RESULT_TYPES if RESULTS in served.holds else GRAPH_TYPES
        if RESULTS in served.holds or GRAPH in served.holds:
            assert negotiate(served.media_type, table) == name
            assert format_named(served.media_type, table) == name
    assert set(EXPORT_FORMATS) <= set(FORMATS)
    assert format_named("json-ld", GRAPH_TYPES) == "jsonld" and format_named("srx", RESULT_TYPES) == "xml"


def test_one_path_and_one_anchor_for_every_link() -> None:
    assert local_path("https://w3id.org/equal-kg/id/dp/seem") == "/id/dp/seem"
    assert local_path("https://example.org/x") is None
    assert cell_anchor(12, "WHO") == "cell-12-who"
    templates = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "web" / "templates").rglob("*.html"))
    assert not re.search(r"'cell-%s|\"/id/[^\"]*\{\{", templates), "a template builds entity links itself"


def test_one_map_from_error_to_status() -> None:
    assert status_of(QueryError("x")) == status_of(SearchError("x")) == status_of(RequestError("x")) == 400
    assert status_of(ReadOnlyError("x")) == 403
    assert status_of(ServerBusy("x")) == 503 and status_of(WorkerCrashed("x")) == 500
    assert status_of(StoreError("x")) == 503
    assert status_of(ValueError("our own bug")) == 500  # never blamed on the client


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in ci.splitlines() if line.startswith("python3 -m venv"))
    assert command in readme and "ruff check" in command


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:/?#[]@%1F!$&'()*+,;=-._~ \\<>\"{}|^`é\ufffd\ue000\U00010000\x00")),
               max_size=14), st.sampled_from(["http://", "http://a/", "urn:", "h:", ""]))
def test_an_iri_we_write_into_a_query_is_one_the_engine_reads(tail: str, head: str) -> None:
    """`is_safe_iri` guards every IRI written into a query: what it lets through, the engine parses."""
    text = head + tail
    if is_safe_iri(text):
        pyoxigraph.NamedNode(text)  # raises if the engine would refuse it
