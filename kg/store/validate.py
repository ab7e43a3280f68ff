"""Check the whole graph against the SHACL shapes in `ontology/shapes.ttl` (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph

from kg.rdf.reference import shapes_graph
from kg.store.base import Store


@dataclass
class ValidationReport:
    """The outcome of a SHACL validation: conformance and a readable report."""

    conforms: bool
    text: str
    violations: int


def validate_graph(data: Graph) -> ValidationReport:
    """Validate an rdflib graph against the shapes."""
    conforms, _results, text = shacl_validate(data, shacl_graph=shapes_graph(), inference="none",
                                             advanced=False, allow_warnings=True)
    violations = str(text).count("Constraint Violation")
    return ValidationReport(bool(conforms), str(text), violations)


def validate_store(store: Store) -> ValidationReport:
    """Validate the union of every graph in the store."""
    union = Graph()
    for s, p, o, _graph in store.quads():
        union.add((s, p, o))
    return validate_graph(union)
