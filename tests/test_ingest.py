"""Ingest end to end into a real on-disk store: provenance, identity, re-ingest, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib.compare import isomorphic

from ingest.pipeline import document_for, ingest_paths, remove_document, sample_corpus
from kg.rdf.namespaces import CURATED_GRAPH
from kg.read.queries import dps_targeting, stats
from kg.store.base import Store
from kg.store.validate import validate_store
from tests.conftest import DOCUMENTS, iri

STRATEGY = document_for("theme_d_mainstreaming_strategy_2005.txt")


def targeting(store: Store, slug: str) -> set[str]:
    return {a.dp.rsplit("/", 1)[-1] for a in dps_targeting(store, iri("body", slug))}


def test_one_graph_per_document_and_curated_graph(sample_store: Store) -> None:
    graphs = set(sample_store.graphs())
    assert str(CURATED_GRAPH) in graphs
    assert str(STRATEGY) in graphs
    assert str(document_for("seem_dp_summary.txt")) in graphs


def test_sample_and_own_documents_validate(sample_store: Store) -> None:
    report = validate_store(sample_store)
    assert report.conforms, report.text


def test_which_dps_target_dti(sample_store: Store) -> None:
    assert {"nesep", "seem", "seasy", "suffolk-county-council", "bristol-city-council",
            "inspire", "sandwell-borough-council"} <= targeting(sample_store, "dti")


def test_reached_through_a_typo(sample_store: Store) -> None:
    answers = [a for a in dps_targeting(sample_store, iri("body", "odpm")) if a.written == "OPDM"]
    assert {a.dp.rsplit("/", 1)[-1] for a in answers} >= {"nesep", "seem", "inspire"}
    first = next(a for a in answers if a.row == 3)
    assert first.column == "WHO"
    assert first.cell_text.startswith("National: DTI, Phoenix Fund, SBS, SEC, Home Office NHS, OPDM")
    assert first.document == str(STRATEGY)
    assert first.level == iri("level", "national")


def test_each_statement_keeps_one_reading(sample_store: Store) -> None:
    rows = sample_store.select("""SELECT ?st (COUNT(DISTINCT ?w) AS ?n) (SAMPLE(?w) AS ?written) (SAMPLE(?t) AS ?text)
        WHERE { ?st rdf:predicate eq:targets ; eq:mentionText ?w ; prov:wasDerivedFrom ?c .
                ?c eq:column "WHO" ; eq:text ?t } GROUP BY ?st""").rows
    assert rows
    for row in rows:
        assert int(row["n"]) == 1
        first_word = str(row["written"]).split()[0]
        assert first_word in str(row["text"]), (row["written"], row["text"])


def test_reached_through_an_unseparated_list(sample_store: Store) -> None:
    assert targeting(sample_store, "home-office") >= {"nesep", "seem", "seasy", "suffolk-county-council"}
    assert "inspire" in targeting(sample_store, "nhs")


def test_reached_through_a_page_break_continuation(sample_store: Store) -> None:
    answers = dps_targeting(sample_store, iri("body", "social-enterprise-support-agency"))
    rows = {(a.dp.rsplit("/", 1)[-1], a.row) for a in answers}
    assert ("sandwell-borough-council", 15) in rows  # named only in the continued row's section
    assert ("inspire", 14) in rows


def test_reached_through_aliases(sample_store: Store) -> None:
    assert "bristol-city-council" in targeting(sample_store, "cdfi")  # CFDis
    assert "inspire" in targeting(sample_store, "business-link")  # BLs
    assert "seasy" in targeting(sample_store, "idea")  # IdeA and IDeA


def test_a_kind_collects_its_named_members(sample_store: Store) -> None:
    direct = {a.written for a in dps_targeting(sample_store, iri("body", "rda"))}
    assert {"RDAs", "One North East"} <= direct
    only = {a.written for a in dps_targeting(sample_store, iri("body", "rda"), include_members=False)}
    assert "One North East" not in only


def test_dp_identity_is_merged_across_documents(sample_store: Store) -> None:
    rows = sample_store.select("""SELECT ?g WHERE { GRAPH ?g { dp:seem a eq:DevelopmentPartnership } }""").rows
    assert len(rows) == 2  # the summary and the strategy name the same DP
    assert sample_store.ask("ASK { dp:seem eq:theme theme:D ; eq:region region:east-midlands ; "
                            "eq:targets body:dti ; eq:beneficiaryGroup group:ex-offenders }")
    assert sample_store.ask("ASK { dp:fair-chance eq:theme theme:A ; eq:region region:north-east }")


def test_leads_and_policy_areas(sample_store: Store) -> None:
    assert sample_store.ask("ASK { ?a eq:lead dp:inspire ; eq:policyArea area:other }")
    assert sample_store.ask("ASK { ?a eq:involves dp:seem ; eq:policyArea area:procurement ; "
                            "eq:method method:events }")
    assert sample_store.ask("ASK { ?a eq:lead dp:fair-chance ; eq:theme theme:A }")


def test_unknown_names_are_kept_and_flagged(sample_store: Store) -> None:
    assert sample_store.ask("""ASK { body:north-east-procurement-organisation a eq:Body ;
        eq:reconciled false ; rdfs:label "North East Procurement Organisation" .
        ?a eq:audience body:north-east-procurement-organisation }""")


def test_summary_mentions_and_outcomes(sample_store: Store) -> None:
    assert sample_store.ask("ASK { dp:seem eq:mentions body:sbs, policy:best-value, policy:neighbourhood-renewal }")
    assert sample_store.ask("ASK { dp:seem eq:outcome [ eq:quantity 300 ; eq:period \"2003-4\" ] }")


def test_reingest_replaces_the_graph_with_an_isomorphic_one(store: Store, tmp_path: Path) -> None:
    ingest_paths(store, [sample_corpus()])
    before = store.graph(str(STRATEGY))
    total = store.count()
    ingest_paths(store, [sample_corpus() / "theme_d_mainstreaming_strategy_2005.txt"])
    assert isomorphic(before, store.graph(str(STRATEGY)))
    assert store.count() == total


def test_changed_document_replaces_old_facts(store: Store, tmp_path: Path) -> None:
    doc = tmp_path / "theme_g_strategy_2005.txt"
    shutil.copy(DOCUMENTS / doc.name, doc)
    ingest_paths(store, [doc])
    assert store.ask("ASK { dp:careworks eq:targets body:sbs }")
    doc.write_text(doc.read_text().replace("DfES, SBS", "DfES"))
    ingest_paths(store, [doc])
    assert not store.ask("ASK { dp:careworks eq:targets body:sbs }")
    assert store.ask("ASK { dp:careworks eq:targets body:dfes }")


def test_bad_files_are_reported_and_others_load(store: Store) -> None:
    ingest_paths(store, [sample_corpus()])
    before = store.count()
    bad = sorted(DOCUMENTS.glob("bad_*.txt"))
    result = ingest_paths(store, [*bad, DOCUMENTS / "theme_g_strategy_2005.txt"])
    assert len(result.errors) == len(bad)
    reasons = {Path(e.path).name: (e.line, e.reason) for e in result.errors}
    assert reasons["bad_binary.txt"][1].startswith("binary file")
    assert reasons["bad_empty.txt"] == (None, "the file is empty")
    assert reasons["bad_latin1.txt"][0] == 2 and "not UTF-8" in reasons["bad_latin1.txt"][1]
    assert reasons["bad_no_header.txt"][0] == 3
    assert "no recognisable Development Partnership" in reasons["bad_no_dp.txt"][1]
    assert [r.document for r in result.reports] == [str(document_for("theme_g_strategy_2005.txt"))]
    assert store.count() > before
    assert stats(store).documents == 3


def test_a_failed_reingest_keeps_the_stored_version(store: Store, tmp_path: Path) -> None:
    doc = tmp_path / "theme_g_strategy_2005.txt"
    shutil.copy(DOCUMENTS / doc.name, doc)
    ingest_paths(store, [doc])
    before = store.graph(str(document_for(doc)))
    doc.write_bytes(b"\x00\x00 broken")
    result = ingest_paths(store, [doc])
    assert not result.ok
    assert isomorphic(before, store.graph(str(document_for(doc))))


def test_dp_name_override(store: Store) -> None:
    result = ingest_paths(store, [DOCUMENTS / "untitled_summary.txt"], dp_name="Refugees into Teaching")
    assert result.ok
    assert store.ask("ASK { dp:refugees-into-teaching eq:region region:london ; "
                     "eq:mentions body:home-office }")


def test_remove_document(store: Store) -> None:
    ingest_paths(store, [sample_corpus()])
    assert remove_document(store, "seem_dp_summary.txt") == str(document_for("seem_dp_summary.txt"))
    assert not store.ask("ASK { dp:seem eq:aim ?aim }")
    assert store.ask("ASK { dp:seem eq:targets body:dti }")  # the strategy still says so
    assert remove_document(store, "no_such_file.txt") is None
