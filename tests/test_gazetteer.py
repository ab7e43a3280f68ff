"""The curated bodies gazetteer: coverage of the bodies of 2000-2008, aliases and history."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ingest.text import match_key
from kg.rdf.namespaces import EQ, ORG, SCHEMA
from kg.rdf.reference import reference_graph
from tests.conftest import iri

GRAPH = reference_graph()
BODIES = set(GRAPH.subjects(RDF.type, EQ.Body))


def body(slug: str) -> URIRef:
    return URIRef(iri("body", slug))


def test_at_least_150_bodies_each_with_label_type_and_comment() -> None:
    assert len(BODIES) >= 150
    for node in BODIES:
        assert GRAPH.value(node, RDFS.label), node
        assert len(list(GRAPH.objects(node, EQ.bodyType))) == 1, node
        assert GRAPH.value(node, RDFS.comment), node


@pytest.mark.parametrize("slug", [
    "cabinet-office", "hm-treasury", "home-office", "dti", "dberr", "bis", "dfee", "dfes", "dcsf",
    "dius", "dwp", "dss", "detr", "dtlr", "odpm", "dclg", "defra", "maff", "dcms", "dh", "dft",
    "sbs", "lsc", "jobcentre-plus", "futurebuilders", "phoenix-fund", "idea", "ogc", "nru", "seu",
    "cre", "eoc", "drc", "ehrc", "sec", "dta", "can", "bitc", "tuc", "cbi", "european-commission",
    "local-authority", "local-strategic-partnership", "primary-care-trust", "business-link",
    "chamber-of-commerce", "rda",
])
def test_bodies_of_the_time_are_there(slug: str) -> None:
    assert body(slug) in BODIES


def test_nine_rdas_point_to_their_kind() -> None:
    members = set(GRAPH.subjects(EQ.kind, body("rda")))
    assert len(members) == 9
    assert body("one-north-east") in members
    assert (body("rda"), RDF.type, EQ.BodyKind) in GRAPH


@pytest.mark.parametrize("old, new", [("dti", "dberr"), ("dberr", "bis"), ("odpm", "dclg"), ("dfes", "dcsf")])
def test_successors_with_dates(old: str, new: str) -> None:
    assert (body(old), EQ.succeededBy, body(new)) in GRAPH
    assert GRAPH.value(body(old), SCHEMA.dissolutionDate) is not None


def test_parents() -> None:
    assert (body("futurebuilders"), ORG.subOrganizationOf, body("home-office")) in GRAPH


def test_no_alias_names_two_bodies() -> None:
    owners: dict[str, set[URIRef]] = {}
    for node in BODIES:
        for predicate in (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel, EQ.abbreviation):
            for name in GRAPH.objects(node, predicate):
                owners.setdefault(match_key(str(name)), set()).add(node)
    clashes = {key: nodes for key, nodes in owners.items() if len(nodes) > 1}
    assert not clashes


def test_every_link_points_at_a_defined_body() -> None:
    for predicate in (EQ.succeededBy, EQ.kind, ORG.subOrganizationOf):
        for target in GRAPH.objects(None, predicate):
            assert target in BODIES, (predicate, target)


def test_known_typos_are_recorded() -> None:
    typos = Counter(match_key(str(t)) for t in GRAPH.objects(body("odpm"), SKOS.hiddenLabel))
    assert "opdm" in typos
