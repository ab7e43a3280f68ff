"""The linker: aliases, typos, unseparated lists, near misses, unknown names, DP lists."""

from __future__ import annotations

import pytest

from ingest.linker import Linker
from ingest.pipeline import load_gazetteer
from tests.conftest import iri


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(load_gazetteer())


def slugs(links):
    return [link.iri.rsplit("/", 1)[-1] for link in links]


@pytest.mark.parametrize("written, slug, how", [
    ("DTI", "dti", "abbreviation"),
    ("Department of Trade and Industry", "dti", "label"),
    ("OPDM", "odpm", "typo"),
    ("IdeA", "idea", "abbreviation"),
    ("DFES", "dfes", "abbreviation"),
    ("CFDis", "cdfi", "typo"),
    ("BLs", "business-link", "alias"),
    ("LAs", "local-authority", "alias"),
    ("Local Authorities", "local-authority", "label"),
    ("Jobcentre plus", "jobcentre-plus", "label"),
    ("Development Trust Association", "dta", "alias"),
    ("One North East", "one-north-east", "label"),
])
def test_names_resolve_whole(linker: Linker, written: str, slug: str, how: str) -> None:
    links = linker.bodies(written)
    assert slugs(links) == [slug]
    assert links[0].matched_by in {how, "label", "alias", "abbreviation", "typo"}
    assert not links[0].is_new


def test_unseparated_lists_split_by_longest_match(linker: Linker) -> None:
    assert slugs(linker.bodies("Home Office NHS")) == ["home-office", "nhs"]
    assert slugs(linker.bodies("DWP Jobcentre Plus LSC")) == ["dwp", "jobcentre-plus", "lsc"]


def test_near_miss_is_matched_only_when_unique(linker: Linker) -> None:
    link = linker.bodies("Jobcentre Pluss")[0]
    assert (link.iri, link.matched_by) == (iri("body", "jobcentre-plus"), "fuzzy")
    assert linker.bodies("DTO")[0].is_new  # too short to guess


def test_unknown_names_become_unreconciled_bodies(linker: Linker) -> None:
    link = linker.bodies("North East Procurement Organisation")[0]
    assert link.is_new
    assert link.iri == iri("body", "north-east-procurement-organisation")


def test_a_name_that_contains_a_kind_is_not_split(linker: Linker) -> None:
    assert slugs(linker.bodies("Social Enterprise Europe")) == ["social-enterprise-europe"]


def test_known_abbreviation_beside_unknown_words(linker: Linker) -> None:
    links = linker.bodies("DTI Widget Board")
    assert slugs(links) == ["dti", "widget-board"]
    assert links[1].is_new


def test_and_joins_two_names(linker: Linker) -> None:
    links = linker.bodies("business support agencies and publicly funded contract managers")
    assert links[0].iri == iri("body", "business-support-agency")
    assert links[1].is_new


def test_dp_lists_split_and_marked(linker: Linker) -> None:
    local = Linker(load_gazetteer())
    links = local.dps("NESEP SEEM SEASY Suffolk County Council")
    assert [link.label for link in links] == ["NESEP", "SEEM", "SEASY", "Suffolk County Council"]
    lead = local.dps("INSPIRE* Bristol City Council.")
    assert [(link.label, link.lead) for link in lead] == [("INSPIRE", True), ("Bristol City Council", False)]
    assert local.dps("the SEEM DP")[0].iri == iri("dp", "seem")


def test_known_dp_names_are_matched_first(linker: Linker) -> None:
    local = Linker(load_gazetteer())
    local.dp("Balance at Work")
    assert [link.label for link in local.dps("CareWorks Balance at Work")] == ["CareWorks", "Balance at Work"]
    assert local.dps("BALANCE AT WORK")[0].iri == iri("dp", "balance-at-work")


def test_words_left_between_known_dps_are_not_a_dp(linker: Linker) -> None:
    dps = Linker(linker.gazetteer)  # its own DP index
    for name in ("Routes", "Forum"):  # known by cut names, as a summary reader might leave them
        dps.dp(name)
    links = dps.dps("Routes to Forum, SEEM")
    assert [link.label for link in links if link.label.lower() in {"routes", "forum"}] == ["Routes", "Forum"]
    assert not any(link.label.lower() == "to" for link in links)
    assert [link.label for link in dps.dps("Routes and the Forum")] == ["Routes", "Forum"]


def test_concepts_in_text(linker: Linker) -> None:
    found = slugs(linker.concepts("method", "Seminars, conferences, publications, film"))
    assert found == ["events", "publications", "publicity"]
    title = "Trading opportunities - public & private procurement"
    area = linker.concept_for_title("policy_area", "policy-area", title)
    assert area.iri == iri("policy-area", "procurement")
    new = linker.concept_for_title("policy_area", "policy-area", "Zebra crossings")
    assert new.is_new and new.iri == iri("policy-area", "zebra-crossings")
