"""Namespaces, prefixes and entity IRIs of the equal-kg graph.

Every IRI the code mints is built here, so the public identifiers of entities
(`id/dp/seem`, `id/body/dti`, `id/theme/D`) are defined in one place.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

BASE = "https://w3id.org/equal-kg/"
EQ = Namespace(BASE + "ns#")
ID = Namespace(BASE + "id/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

#: The named graph that holds the curated reference data (ontology, schemes, gazetteer).
CURATED_GRAPH = URIRef(BASE + "graph/curated")
#: Where a remote store whose engine repeats triples in its union (Virtuoso) keeps the merge of
#: its graphs, its default graph for queries; `GRAPH ?g` on that engine ranges over it too.
MERGE_GRAPH = "urn:equal-kg:merge"


def stored_graph(var: str) -> str:
    """Return a FILTER that keeps a `GRAPH ?var` variable off the merge graph (see `MERGE_GRAPH`).

    >>> stored_graph("?g")
    'FILTER(?g != <urn:equal-kg:merge>)'
    """
    return f"FILTER({var} != <{MERGE_GRAPH}>)"

#: The properties that name an entity, as a SPARQL property path: a DP's or a concept's (label and
#: aliases), and a body's (with its abbreviations and the typos documents are known to make).
NAMES = "rdfs:label|skos:altLabel"
BODY_NAMES = "rdfs:label|skos:altLabel|skos:hiddenLabel|eq:abbreviation"
#: The letters of the nine EQUAL themes.
THEME_LETTERS = "ABCDEFGHI"

#: Prefixes declared in every SPARQL query and serialisation we produce.
PREFIXES: dict[str, str] = {
    "eq": str(EQ),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "hydra": str(HYDRA),
    "dp": str(ID) + "dp/",
    "body": str(ID) + "body/",
    "theme": str(ID) + "theme/",
    "level": str(ID) + "level/",
    "area": str(ID) + "policy-area/",
    "method": str(ID) + "method/",
    "group": str(ID) + "group/",
    "region": str(ID) + "region/",
    "bodytype": str(ID) + "body-type/",
    "doc": str(ID) + "doc/",
    "policy": str(ID) + "policy/",
}

#: Entity kinds and the path segment their IRIs live under.
KIND_PATHS: dict[str, str] = {
    "dp": "dp",
    "body": "body",
    "theme": "theme",
    "level": "level",
    "policy-area": "policy-area",
    "method": "method",
    "group": "group",
    "region": "region",
    "body-type": "body-type",
    "doc": "doc",
    "policy": "policy",
    "activity": "activity",
    "scheme": "scheme",
    "org": "org",
}


def sparql_prefixes() -> str:
    """Return the PREFIX block for all known prefixes."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def slugify(text: str) -> str:
    """Turn a name into a readable, stable IRI slug.

    >>> slugify("SEEM DP")
    'seem-dp'
    >>> slugify("Regional Centre’s of (Procurement) Excellence")
    'regional-centres-of-procurement-excellence'
    >>> slugify("Über & Co.")
    'uber-and-co'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.replace("&", " and ").replace("'", "")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text or "unnamed"


def entity_iri(kind: str, slug: str) -> URIRef:
    """Return the IRI of an entity of a kind (`dp`, `body`, ...) with a slug.

    >>> str(entity_iri("dp", "seem"))
    'https://w3id.org/equal-kg/id/dp/seem'
    """
    if kind not in KIND_PATHS:
        raise ValueError(f"unknown entity kind {kind!r}")
    return URIRef(f"{ID}{KIND_PATHS[kind]}/{slug}")


def document_iri(slug: str) -> URIRef:
    """Return the IRI of a source document; it also names the document's graph."""
    return entity_iri("doc", slug)


def theme_iri(letter: str) -> URIRef:
    """Return the IRI of an EQUAL theme (A-I).

    >>> str(theme_iri("d"))
    'https://w3id.org/equal-kg/id/theme/D'
    """
    return entity_iri("theme", letter.upper())


def slug_of(iri: object) -> str:
    """Return the last path segment of an IRI: an entity's slug, a theme's letter ('' for none).

    >>> slug_of("https://w3id.org/equal-kg/id/theme/D"), slug_of(None)
    ('D', '')
    """
    return str(iri).rstrip("/").rsplit("/", 1)[-1] if iri else ""


def local_path(iri: str) -> str | None:
    """Return the path the web app serves an equal-kg entity IRI at (`/id/dp/seem`); None for other IRIs.

    >>> local_path("https://w3id.org/equal-kg/id/body/dti"), local_path("http://example.org/x")
    ('/id/body/dti', None)
    """
    return "/id/" + iri[len(str(ID)):] if iri.startswith(str(ID)) else None


def cell_anchor(line: int | str, column: str) -> str:
    """Return the HTML id of a table cell on its document's page, which provenance links point at.

    >>> cell_anchor(55, "WHO")
    'cell-55-who'
    """
    return f"cell-{line}-{str(column).lower()}"


def kind_of(iri: str) -> str | None:
    """Return the entity kind of an equal-kg IRI, or None for other IRIs.

    >>> kind_of("https://w3id.org/equal-kg/id/body/dti")
    'body'
    """
    if not iri.startswith(str(ID)):
        return None
    return iri[len(str(ID)):].split("/", 1)[0] or None


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)


def short_name(term: Node | None, width: int = 60) -> str:
    """Show a term briefly: IRIs as prefixed names, literals as their text, cut to `width`.

    >>> short_name(URIRef("https://w3id.org/equal-kg/id/body/dti"))
    'body:dti'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in _BY_LENGTH:
            if text.startswith(namespace) and text != namespace:
                text = f"{prefix}:{text[len(namespace):]}"
                break
        else:
            text = f"<{text}>"
    elif isinstance(term, Literal):
        text = " ".join(str(term).split())
    else:
        text = str(term)
    return text if len(text) <= width else text[: width - 1] + "…"
