"""The eq: vocabulary as a reader sees it: classes and properties from ontology/equal.ttl."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.rdf.namespaces import EQ
from kg.rdf.reference import ontology_path

VOCABULARY_FILE = "equal.ttl"


def vocabulary_turtle() -> bytes:
    """Return the vocabulary's Turtle, as shipped."""
    return ontology_path(VOCABULARY_FILE).read_bytes()


def _short(node: object) -> str:
    text = str(node)
    return "eq:" + text[len(str(EQ)):] if text.startswith(str(EQ)) else text


@lru_cache(maxsize=1)
def vocabulary_terms() -> dict[str, list[dict[str, object]]]:
    """Return the eq: classes and properties with label, comment, domain, range, parents; pinned flagged."""
    graph = Graph()
    graph.parse(ontology_path(VOCABULARY_FILE), format="turtle")
    groups: dict[str, list[dict[str, object]]] = {"classes": [], "properties": []}
    for term in sorted({s for s in graph.subjects(RDF.type, None)
                        if isinstance(s, URIRef) and str(s).startswith(str(EQ)) and s != URIRef(str(EQ))}):
        types = set(graph.objects(term, RDF.type))
        group = "classes" if OWL.Class in types or RDFS.Class in types else "properties"
        comment = str(graph.value(term, RDFS.comment) or "")
        groups[group].append({
            "iri": str(term), "name": _short(term), "anchor": str(term)[len(str(EQ)):],
            "label": str(graph.value(term, RDFS.label) or ""), "comment": comment,
            "pinned": "(pinned)" in comment,
            "domain": [_short(o) for o in graph.objects(term, RDFS.domain)],
            "range": [_short(o) for o in graph.objects(term, RDFS.range)],
            "parents": [_short(o) for o in graph.objects(term, RDFS.subClassOf)]
            + [_short(o) for o in graph.objects(term, RDFS.subPropertyOf)],
        })
    return groups
