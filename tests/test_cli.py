"""The `kg` command, run as a real process against a real store on disk."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.store.opening import open_reader
from tests.conftest import DOCUMENTS, age_index, iri


def kg(*args: str, store: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE": str(store)}
    return subprocess.run([sys.executable, "-m", "web.cli", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = kg("ingest", "--sample", store=store)
    assert result.returncode == 0, result.stderr
    assert "Loaded 2 document(s): 7 DPs" in result.stdout
    assert "North East Procurement Organisation" in result.stdout  # unreconciled names listed
    return store


WHO_TARGETS_ODPM = "SELECT DISTINCT ?dp WHERE { ?dp eq:targets body:odpm } ORDER BY ?dp"


def test_query_json_is_sparql_results_json(loaded: Path) -> None:
    result = kg("query", WHO_TARGETS_ODPM, "--format", "json", store=loaded)
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["dp"]
    values = [b["dp"]["value"] for b in data["results"]["bindings"]]
    assert iri("dp", "nesep") in values and len(values) == 7


def test_query_csv_tsv_and_table(loaded: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(kg("query", WHO_TARGETS_ODPM, "--format", "csv", store=loaded).stdout)))
    assert {r["dp"] for r in rows} >= {iri("dp", "seem")}
    tsv = kg("query", WHO_TARGETS_ODPM, "--format", "tsv", store=loaded).stdout.splitlines()
    assert tsv[0] == "?dp" and f"<{iri('dp', 'seem')}>" in tsv
    table = kg("query", WHO_TARGETS_ODPM, store=loaded).stdout
    assert "dp:seem" in table and "(7 rows)" in table


def test_query_from_stdin_and_file(loaded: Path, tmp_path: Path) -> None:
    ask = "ASK { dp:seem eq:targets body:home-office }"
    assert json.loads(kg("query", "--format", "json", store=loaded, stdin=ask).stdout)["boolean"] is True
    query_file = tmp_path / "q.rq"
    query_file.write_text(ask)
    assert json.loads(kg("query", "-f", str(query_file), "--format", "json", store=loaded).stdout)["boolean"]


def test_long_multiline_query_text(loaded: Path) -> None:
    text = "SELECT ?dp ?written WHERE {\n" + "  # a comment line that makes the query long\n" * 40 + \
        "  ?st rdf:subject ?dp ; rdf:object body:odpm ; eq:mentionText ?written .\n}"
    result = kg("query", text, "--format", "csv", store=loaded)
    assert result.returncode == 0, result.stderr
    assert "OPDM" in result.stdout


def test_bad_query_is_a_clear_error(loaded: Path) -> None:
    result = kg("query", "SELECT ?x WHERE {", store=loaded)
    assert result.returncode != 0
    assert "SPARQL syntax error" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt, parse_as", [("nquads", "nquads"), ("trig", "trig")])
def test_export_round_trips_every_graph(loaded: Path, tmp_path: Path, fmt: str, parse_as: str) -> None:
    out = tmp_path / f"all.{fmt}"
    assert kg("export", "--format", fmt, "-o", str(out), store=loaded).returncode == 0
    dataset = Dataset()
    dataset.parse(out, format=parse_as)
    with open_reader(str(loaded)) as store:
        for graph in store.graphs():
            assert isomorphic(dataset.graph(graph), store.graph(graph)), graph


@pytest.mark.parametrize("fmt, parse_as", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_export_triple_formats_hold_the_union(loaded: Path, tmp_path: Path, fmt: str, parse_as: str) -> None:
    data = kg("export", "--format", fmt, store=loaded).stdout
    graph = Graph()
    if fmt == "jsonld":
        dataset = Dataset()
        dataset.parse(data=data, format="json-ld")
        for s, p, o, _g in dataset.quads():
            graph.add((s, p, o))
        assert json.loads(data)["@context"]["eq"] == "https://w3id.org/equal-kg/ns#"
    else:
        graph.parse(data=data, format=parse_as)
    union = Graph()
    with open_reader(str(loaded)) as store:
        for s, p, o, _g in store.quads():
            union.add((s, p, o))
    assert isomorphic(graph, union)


def test_stats_validate_targets(loaded: Path) -> None:
    counts = json.loads(kg("stats", "--format", "json", store=loaded).stdout)
    assert counts["documents"] == 2 and counts["dps"] == 7 and counts["unreconciled_bodies"] >= 1
    assert kg("validate", store=loaded).returncode == 0
    answer = json.loads(kg("targets", "OPDM", "--format", "json", store=loaded).stdout)
    assert answer["body"] == iri("body", "odpm")
    assert {t["written"] for t in answer["targets"]} == {"ODPM", "OPDM"}
    by_slug = json.loads(kg("targets", "north-east-procurement-organisation", "--format", "json",
                            store=loaded).stdout)  # an unreconciled body, found by its slug
    assert by_slug["body"] == iri("body", "north-east-procurement-organisation") and by_slug["targets"]


def test_ingest_reports_bad_files_and_exits_non_zero(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = kg("ingest", str(DOCUMENTS / "bad_latin1.txt"), str(DOCUMENTS / "theme_g_strategy_2005.txt"),
                store=store)
    assert result.returncode == 1
    assert "bad_latin1.txt:2: not UTF-8 text" in result.stderr
    assert "Loaded 1 document(s)" in result.stdout


def test_remove(tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg("ingest", "--sample", store=store)
    assert kg("remove", "seem_dp_summary.txt", store=store).returncode == 0
    missing = kg("remove", "seem_dp_summary.txt", store=store)
    assert missing.returncode == 1 and "no stored document" in missing.stderr


def test_serve_rebuilds_an_index_of_another_version_once_in_a_new_snapshot(tmp_path: Path) -> None:
    """After an upgrade that changes what is indexed, `kg serve` re-indexes before serving: not inside a
    request, and not by writing into the published snapshot."""
    from ingest.pipeline import sample_corpus
    from ingest.publish import ingest_into
    from kg.search.index import index_is_current
    from kg.settings import Settings
    from kg.store.snapshots import SnapshotRoot
    from web.cli import _reindex_if_stale

    settings = Settings(store=str(tmp_path / "store"))
    ingest_into(settings.store, [sample_corpus()], settings)
    root = SnapshotRoot(tmp_path / "store")
    before = root.current()
    index = str(tmp_path / "store" / "snapshots" / str(before) / "index")
    age_index(index)
    assert not index_is_current(index)
    _reindex_if_stale(settings)
    after = root.current()
    assert after != before and index_is_current(str(tmp_path / "store" / "snapshots" / str(after) / "index"))
    _reindex_if_stale(settings)
    assert root.current() == after  # current now: nothing to do
