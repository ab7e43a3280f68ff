"""The curated reference data shipped in `ontology/`: vocabulary, schemes, gazetteer, shapes."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Graph

#: Turtle files that make up the curated graph, in load order.
REFERENCE_FILES = ("equal.ttl", "themes.ttl", "schemes.ttl", "bodies.ttl")
SHAPES_FILE = "shapes.ttl"


def ontology_path(name: str) -> Path:
    """Return the path of a file shipped in the `ontology` package."""
    return Path(str(resources.files("ontology").joinpath(name)))


@lru_cache(maxsize=1)
def reference_graph() -> Graph:
    """Return the curated graph (ontology, concept schemes, bodies gazetteer); cached, do not mutate."""
    graph = Graph()
    for name in REFERENCE_FILES:
        graph.parse(ontology_path(name), format="turtle")
    return graph


@lru_cache(maxsize=1)
def reference_digest() -> str:
    """Return a digest of the curated Turtle files, to tell whether a store has this version."""
    digest = hashlib.sha256()
    for name in REFERENCE_FILES:
        digest.update(ontology_path(name).read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """Return the SHACL shapes the ingested graph must conform to; cached, do not mutate."""
    graph = Graph()
    graph.parse(ontology_path(SHAPES_FILE), format="turtle")
    return graph
