"""Full-text search on real stores and real indexes: each query feature, facets, updates, the CLI, fuzzing."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.pipeline import ingest_paths, remove_document, sample_corpus
from kg.errors import SearchError
from kg.search.service import SearchIndex
from kg.store.location import parse_location
from kg.store.opening import open_store
from tests.conftest import GOOD_DOCUMENTS, age_index, iri

SEARCH_DOCS = Path(__file__).parent / "documents" / "search"
THEME_H = "https://w3id.org/equal-kg/id/doc/theme-h-strategy-2006"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """A store with the sample corpus, the test documents and the search documents, and its index."""
    path = tmp_path_factory.mktemp("search") / "store"
    with open_store(path) as store:
        assert ingest_paths(store, [sample_corpus(), *GOOD_DOCUMENTS, SEARCH_DOCS]).ok
        search_index = SearchIndex(store)
        assert search_index.sync() == "built"
        yield search_index


def ids(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.id for hit in results.hits]


def test_index_lives_beside_the_store(index: SearchIndex) -> None:
    assert index.location == parse_location(index.store.location).default_index()
    assert Path(index.location).name == "store-index" and Path(index.location).is_dir()
    assert index.sync() == "fresh"


def test_an_index_written_by_another_version_is_rebuilt(tmp_path: Path) -> None:
    """What is indexed changes between versions (INDEX_VERSION): an older index is rebuilt, not trusted."""
    with open_store(tmp_path / "store") as store:
        assert ingest_paths(store, [sample_corpus()]).ok
        older = SearchIndex(store)
        assert older.sync() == "built"
        age_index(older.location)
        assert SearchIndex(store).sync() == "built"
        assert SearchIndex(store).sync() == "fresh"


def test_a_large_index_built_by_parallel_writers_answers_the_same(
        index: SearchIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole-index build past PARALLEL_FROM documents runs in several processes, one segment each."""
    from kg.search import index as search_index

    count = index.rebuild()
    monkeypatch.setattr(search_index, "PARALLEL_FROM", 1)  # DPs
    parallel = SearchIndex(index.store, str(tmp_path / "parallel-index"))
    assert parallel.rebuild() == count
    segments = search_index.open_index(parallel.location)._segments()
    assert len(segments) >= search_index.PARALLEL_WRITERS
    for query, facets in [("procurements", []), ('"social enterprise childcare"', []), ("DTI", ["kind:dp"]),
                          ("who:ODPM", []), ("socail", []), ("child*", ["theme:d"]), ("theme:D", [])]:
        one, many = index.search(query, facets, page_size=50), parallel.search(query, facets, page_size=50)
        assert (many.total, many.facets) == (one.total, one.facets)
        assert [round(h.score, 6) for h in many.hits] == [round(h.score, 6) for h in one.hits]
        if one.total <= 50:  # past a page, hits with equal scores may be cut differently
            assert sorted(h.id for h in many.hits) == sorted(h.id for h in one.hits)


def test_words_are_stemmed_and_ranked(index: SearchIndex) -> None:
    results = index.search("procurements", page_size=50)
    assert results.total > 5
    assert iri("dp", "seem") in ids(results)
    assert results.hits == sorted(results.hits, key=lambda h: -h.score)


def test_phrases_and_boolean_operators(index: SearchIndex) -> None:
    phrase = index.search('"social enterprise childcare"')
    assert sorted(h.kind for h in phrase.hits) == ["document", "row"]  # the row and its table
    both = index.search("childcare AND toolkits", ["kind:row"])
    assert both.total == 1
    without = index.search("childcare NOT toolkits", ["kind:row"])
    assert both.hits[0].id not in ids(without) and without.total >= 1
    either = index.search("childcare OR mentoring", ["kind:row"])
    assert either.total >= both.total + 1


def test_wildcards(index: SearchIndex) -> None:
    results = index.search("procure*", ["kind:row"])
    assert results.total >= 5
    assert any("<mark>procurement</mark>" in s["html"].lower() for h in results.hits for s in h.snippets)


def test_field_scoped_terms(index: SearchIndex) -> None:
    assert ids(index.search("objectives:procurement")) == [iri("dp", "seem")]
    assert {h.kind for h in index.search("theme:D").hits} >= {"dp", "row"}
    assert {h.facets["theme"][0] for h in index.search("theme:G", ["kind:dp"]).hits} == {"g"}
    assert index.search("what:engineers").total == 1


def test_typos_are_tolerated(index: SearchIndex) -> None:
    results = index.search("socail enterprize")
    assert results.fuzzy and results.total > 0 and results.message
    assert index.search("who:socail~").total > 0


def test_alias_expansion_finds_typos_and_full_names(index: SearchIndex) -> None:
    odpm = index.search("who:ODPM", page_size=50)
    written = " ".join(s["html"] for h in odpm.hits for s in h.snippets if s["field"] == "who")
    assert "<mark>OPDM</mark>" in written  # the theme D table writes OPDM
    dti = index.search("who:(Department of Trade and Industry)")
    full = index.search("Department of Trade and Industry", ["kind:row"])
    assert "DTI" in full.expanded and full.total >= 5
    assert dti.total == 0  # a field group is not expanded: it is the user's own wording
    dwp = index.search("who:DWP")
    assert any("Department for Work and Pensions" in "".join(t for t, _ in s["parts"])
               for h in dwp.hits for s in h.snippets)


def test_quotes_turn_expansion_off(index: SearchIndex) -> None:
    quoted = index.search('who:"ODPM"', page_size=50)
    assert quoted.expanded == 'who:"ODPM"'
    assert index.search("who:ODPM", page_size=50).total > quoted.total


def test_highlights_are_escaped_before_marking(index: SearchIndex) -> None:
    hit = index.search("why:gap").hits[0]
    html = next(s["html"] for s in hit.snippets if s["field"] == "why")
    assert "&lt; 10% &amp; falling" in html and "<mark>gap</mark>" in html


def test_rows_link_to_their_cells(index: SearchIndex) -> None:
    hit = index.search("mentoring schemes", ["kind:row"]).hits[0]
    assert hit.url.startswith("/id/doc/theme-h-strategy-2006#cell-")
    assert hit.cells["what"].endswith("-what") and hit.cells["who"].endswith("-who")
    assert index.search("SEEM", ["kind:dp"]).hits[0].url == "/id/dp/seem"
    assert index.search("ODPM", ["kind:body"]).hits[0].url == "/id/body/odpm"


def test_facets_count_and_combine(index: SearchIndex) -> None:
    everything = index.search("DTI")
    kinds = {f.value: f.count for f in everything.facets["kind"]}
    assert set(kinds) >= {"dp", "row", "body"} and sum(kinds.values()) >= everything.total
    assert {f.value for f in everything.facets["theme"]} >= {"a", "d", "g"} or len(everything.facets["theme"]) >= 2
    refined = index.search("DTI", ["theme:D", "kind:row"])
    assert 0 < refined.total < everything.total
    assert all(h.kind == "row" and "d" in h.facets["theme"] for h in refined.hits)
    assert {f.value for f in refined.facets["kind"]} == {"row"}
    assert next(f for f in refined.facets["theme"] if f.value == "d").selected
    assert {"body", "level", "area", "document"} <= set(refined.facets)
    labels = {f.value: f.label for f in refined.facets["area"]}
    assert labels["procurement"] == "Public and private procurement"
    only_facets = index.search("", ["theme:H"])
    assert only_facets.total >= 3 and all("h" in h.facets["theme"] for h in only_facets.hits)


def test_pagination(index: SearchIndex) -> None:
    first, second = index.search("social", page_size=5), index.search("social", page=2, page_size=5)
    assert first.total == second.total > 10 and first.pages == (first.total + 4) // 5
    assert not set(ids(first)) & set(ids(second)) and len(first.hits) == 5
    assert index.search("social", page_size=10_000).page_size == 100


@pytest.mark.parametrize("query", ['"', '"social enterprise', "(((", "(DTI", "DTI)", "AND", "OR", "DTI AND",
                                   "AND DTI", "field:", "who:", "*", "?", "nosuchfield:x", "DTI AND OR ODPM"])
def test_malformed_queries_get_a_helpful_message(index: SearchIndex, query: str) -> None:
    with pytest.raises(SearchError) as raised:
        index.search(query)
    assert len(str(raised.value)) > 15


def test_unknown_facet_is_refused(index: SearchIndex) -> None:
    with pytest.raises(SearchError, match="name:value"):
        index.search("DTI", ["colour:red"])


QUERY_ALPHABET = st.sampled_from(list('abcDTI ODPM*?~^"():[]{}-+!/\\&|,.\'') + ["AND", " OR ", "NOT ", "who:",
                                                                                  "theme:", "\x00", "é", "~2"])


@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(st.one_of(st.lists(QUERY_ALPHABET, max_size=12).map("".join), st.text(max_size=30)))
def test_generated_queries_never_escape_as_other_errors(index: SearchIndex, query: str) -> None:
    with contextlib.suppress(SearchError):  # a message for the user is fine; anything else fails
        index.search(query, page_size=3)


def test_ingest_and_remove_update_the_index(tmp_path: Path) -> None:
    with open_store(tmp_path / "store") as store:
        ingest_paths(store, [sample_corpus()])
        search_index = SearchIndex(store)
        assert search_index.sync() == "built"
        assert not any(h.id.startswith(THEME_H) for h in search_index.search("mentoring engineers").hits)
        ingest_paths(store, [SEARCH_DOCS])
        assert search_index.sync() == "updated 1"
        assert search_index.search("mentoring engineers", ["kind:row"]).total == 1
        assert search_index.search("Pay Parity", ["kind:dp"]).total == 1
        assert iri("body", "dwp") in ids(search_index.search("DWP", ["theme:H", "kind:body"]))
        remove_document(store, THEME_H)
        search_index.update([THEME_H])
        assert not any(h.id.startswith(THEME_H) for h in search_index.search("mentoring engineers").hits)
        assert iri("dp", "pay-parity-partnership") not in ids(search_index.search("Pay Parity", ["kind:dp"]))
        assert search_index.search("DWP", ["theme:H"]).total == 0
        assert iri("body", "dwp") in ids(search_index.search("DWP", ["kind:body"]))  # the curated body stays


def test_cli_search_reindex_and_ingest(tmp_path: Path) -> None:
    from web.cli import main

    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(main, ["ingest", "--store", store, str(SEARCH_DOCS), "--sample"]).exit_code == 0
    current = (Path(store) / "current").read_text().strip()
    assert (Path(store) / "snapshots" / current / "index").is_dir()  # `kg ingest` wrote the index
    table = runner.invoke(main, ["search", "--store", store, "who:ODPM", "--facet", "theme:H"])
    assert table.exit_code == 0 and "theme-h-strategy-2006#cell-" in table.output
    as_json = runner.invoke(main, ["search", "--store", store, "engineers", "--facet", "kind:row", "--format", "json"])
    assert as_json.exit_code == 0 and '"total": 1' in as_json.output
    bad = runner.invoke(main, ["search", "--store", store, "((("])
    assert bad.exit_code == 1 and "Unbalanced brackets" in bad.output
    rebuilt = runner.invoke(main, ["reindex", "--store", store])
    assert rebuilt.exit_code == 0 and "Indexed" in rebuilt.output
    assert runner.invoke(main, ["remove", "--store", store, "theme_h_strategy_2006.txt"]).exit_code == 0
    gone = runner.invoke(main, ["search", "--store", store, "engineers", "--facet", "kind:row", "--format", "json"])
    assert gone.exit_code == 0 and "theme-h-strategy-2006" not in gone.output


def test_a_facet_lists_its_most_frequent_values_and_says_how_many_there_are(
        index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 5,000 DPs a phrase matched 2,467 documents: listing every one made most of a 325 KB answer."""
    from kg.search import service

    whole = index.search("social", page_size=5)
    documents = {f.value: f.count for f in whole.facets["document"]}
    assert len(documents) > 2 and whole.facet_values["document"] == len(documents)
    monkeypatch.setattr(service, "MAX_FACET_VALUES", 2)
    rarest = min(documents, key=lambda value: (documents[value], value))
    cut = SearchIndex(index.store, index.location).search("social", [f"document:{rarest}"], page_size=5)
    assert cut.facet_values["document"] >= 1
    listed = [f.value for f in SearchIndex(index.store, index.location).search("social", page_size=5)
              .facets["document"]]
    assert len(listed) == 2 and all(documents[v] >= documents[rarest] for v in listed)
    assert [f.value for f in cut.facets["document"] if f.selected] == [rarest]  # a chosen value stays listed
