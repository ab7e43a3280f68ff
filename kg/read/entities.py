"""Describe any entity: its label, types, facts in and out, and where each fact was read.

Every fact `s p o` built by ingest has an `rdf:Statement` naming the cells it came from; this
module joins the two so a page (or an API client) can show each fact with its source cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.namespaces import HYDRA, ID, cell_anchor, kind_of
from kg.rdf.sparql_text import iri_ref, is_safe_iri
from kg.read.queries import labels
from kg.store.answers import iri_triples, to_rdflib
from kg.store.base import Store
from kg.store.cache import cached

#: Predicates that link the provenance machinery, not facts a reader wants to see.
_HIDDEN_INCOMING = ("rdf:subject", "rdf:object", "prov:wasDerivedFrom", "eq:activity")
#: Most incoming facts listed on one entity (a kind like 'local authorities', or a body thousands
#: of DPs target, has many; the body page and /api/bodies/<slug>/dps list those DPs).
MAX_INCOMING = 100


@dataclass(frozen=True)
class Source:
    """One cell a fact was read from: its document, row, column and text, and the name as written."""

    document: str
    document_label: str
    cell: str
    line: int
    column: str
    row: int | None
    text: str
    written: str | None = None
    level: str | None = None

    @property
    def anchor(self) -> str:
        """Return the HTML id of the cell on its document page (`cell-<line>-<column>`)."""
        return cell_anchor(self.line, self.column)


@dataclass
class Fact:
    """A triple with labels for its ends and the sources it was read from."""

    subject: Node
    predicate: URIRef
    object: Node
    subject_label: str | None = None
    predicate_label: str | None = None
    object_label: str | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass
class Entity:
    """Everything the store says about one IRI, ready to show."""

    iri: str
    kind: str | None
    label: str
    types: list[tuple[str, str]]
    outgoing: list[Fact]
    incoming: list[Fact]
    incoming_cut: bool = False


def _text(value: Node | None) -> str | None:
    return None if value is None else str(value)


def _written(name: Node | None, text: str) -> str | None:
    """Keep the name as written only for the cell that holds it (a statement may have several)."""
    return str(name) if name is not None and str(name) in text else None


def exists(store: Store, iri: str) -> bool:
    """Tell whether the store says anything about an IRI (as subject or object)."""
    node = iri_ref(iri)
    return store.ask(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}")


def fallback_label(iri: str) -> str:
    """Return a readable name for an IRI without a label: its last path segment.

    >>> fallback_label("https://w3id.org/equal-kg/id/doc/x/cell/55-dps")
    'cell 55-dps'
    """
    if iri.startswith(str(ID)):
        parts = iri[len(str(ID)):].split("/")
        return " ".join(parts[-2:]) if len(parts) > 2 else parts[-1]
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


def provenance(store: Store, iri: str,
               facts: Iterable[tuple[str, str, str]] | None = None) -> dict[tuple[str, str, str], list[Source]]:
    """Return the sources of every fact with the IRI as subject or object, keyed by (s, p, o).

    With `facts` (s, p, o IRIs), only those facts' sources are read: a body most DPs target is
    the object of thousands of facts, and a page shows a few of them.
    """
    node = iri_ref(iri)
    query = """
    SELECT DISTINCT ?s ?p ?o ?cell ?doc ?line ?col ?row ?text ?written ?level WHERE {
      {where}
      ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?cell .
      ?cell dcterms:isPartOf ?doc ; eq:column ?col ; eq:line ?line ; eq:text ?text .
      OPTIONAL { ?cell eq:rowNumber ?row }
      OPTIONAL { ?st eq:mentionText ?written }
      OPTIONAL { ?st eq:level ?level }
    } ORDER BY ?doc ?line ?col ?level ?written"""  # total: the source kept per cell must not vary
    if facts is None:
        where = f"{{ ?st rdf:subject {node} }} UNION {{ ?st rdf:object {node} }}"
        rows = store.select(query.replace("{where}", where)).rows
    else:
        wanted = sorted({f for f in facts if all(is_safe_iri(x) for x in f)})
        rows = []
        for start in range(0, len(wanted), 200):
            values = " ".join(f"(<{s}> <{p}> <{o}>)" for s, p, o in wanted[start:start + 200])
            rows += store.select(query.replace("{where}", f"VALUES (?s ?p ?o) {{ {values} }}")).rows
    doc_labels = labels(store, {str(r["doc"]) for r in rows})
    out: dict[tuple[str, str, str], list[Source]] = {}
    for r in rows:
        doc = str(r["doc"])
        source = Source(document=doc, document_label=doc_labels.get(doc, fallback_label(doc)),
                        cell=str(r["cell"]), line=int(r["line"].toPython()), column=str(r["col"]),
                        row=int(r["row"].toPython()) if r["row"] is not None else None,
                        text=str(r["text"]), written=_written(r["written"], str(r["text"])),
                        level=_text(r["level"]))
        bucket = out.setdefault((str(r["s"]), str(r["p"]), str(r["o"])), [])
        same = [i for i, known in enumerate(bucket) if known.cell == source.cell]
        if not same:
            bucket.append(source)
        elif source.written and not bucket[same[0]].written:  # one source per cell, with its name
            bucket[same[0]] = source
    return out


@cached
def describe(store: Store, iri: str) -> Entity | None:
    """Describe an entity for a page or API; None when the store knows nothing about it."""
    if not exists(store, iri):
        return None
    node = iri_ref(iri)
    out_rows = store.select(f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }}").rows
    hidden = ", ".join(_HIDDEN_INCOMING)
    in_rows = store.select(f"""SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node}
        FILTER(?p NOT IN ({hidden}))
        FILTER NOT EXISTS {{ ?s a ?t FILTER(?t IN (eq:Cell, rdf:Statement, eq:StrategyRow)) }}
    }} LIMIT {MAX_INCOMING + 1}""").rows
    cut = len(in_rows) > MAX_INCOMING
    in_rows = in_rows[:MAX_INCOMING]
    sources = provenance(store, iri, [(iri, str(r["p"]), str(r["o"])) for r in out_rows if isinstance(r["o"], URIRef)]
                         + [(str(r["s"]), str(r["p"]), iri) for r in in_rows if isinstance(r["s"], URIRef)])
    names = labels(store, [iri] + [str(r["p"]) for r in out_rows + in_rows]
                   + [str(r["o"]) for r in out_rows if isinstance(r["o"], URIRef)]
                   + [str(r["s"]) for r in in_rows])
    subject = URIRef(iri)
    outgoing = [Fact(subject, r["p"], r["o"], predicate_label=names.get(str(r["p"])),
                     object_label=names.get(str(r["o"])) if isinstance(r["o"], URIRef) else None,
                     sources=sources.get((iri, str(r["p"]), str(r["o"])), []))
                for r in out_rows]
    incoming = [Fact(r["s"], r["p"], subject, subject_label=names.get(str(r["s"])),
                     predicate_label=names.get(str(r["p"])),
                     sources=sources.get((str(r["s"]), str(r["p"]), iri), []))
                for r in in_rows]
    outgoing.sort(key=lambda f: (f.predicate_label or str(f.predicate), f.object_label or str(f.object)))
    incoming.sort(key=lambda f: (f.predicate_label or str(f.predicate), f.subject_label or str(f.subject)))
    types = [(str(f.object), f.object_label or fallback_label(str(f.object)))
             for f in outgoing if str(f.predicate).endswith("#type")]
    label = names.get(iri) or fallback_label(iri)
    return Entity(iri=iri, kind=kind_of(iri), label=label, types=types, outgoing=outgoing,
                  incoming=incoming, incoming_cut=cut)


#: Inverse links (facts pointing at an entity) in one page of its RDF description.
INVERSE_PAGE = 100


@dataclass
class Description:
    """One page of an entity's RDF description, and whether a next page of inverse links follows.

    The triples are the engine's own (serialised by it: `kg.store.export.export_triples`); `graph` is
    the same as an rdflib Graph, for callers that want one.
    """

    triples: list[Any]
    page: int
    has_next: bool

    @property
    def graph(self) -> Graph:
        """The description as an rdflib Graph."""
        graph = Graph()
        for triple in self.triples:
            graph.add(tuple(to_rdflib(term) for term in (triple.subject, triple.predicate, triple.object)))
        return graph


def entity_graph(store: Store, iri: str, page: int = 1) -> Description:
    """Return one page of the RDF description of an entity: a bounded description.

    Every page holds the entity's own triples with the provenance statements (and cells) of its
    own facts; page N adds the Nth hundred of the triples pointing at it (`?s ?p <iri>`, in the
    store's own order, the same for the same snapshot; sorted on engines that do not promise one)
    and Hydra paging terms (`hydra:next` to page N+1). A body thousands of DPs target is so
    fetched a hundred DPs at a time, never all at once. Where a link pointing at the entity was
    read is told by the description of the entity it comes from (a DP's holds its facts' sources):
    adding the sources of a hundred links here took 40 ms for the DWP at 5,000 DPs.
    """
    node = iri_ref(iri)
    page = max(1, page)
    order = "" if store.stable_order else "ORDER BY ?s ?q"  # sorting 40,000 links took 260 ms at 5,000 DPs
    inverse = store.values(f"""SELECT DISTINCT ?s ?q WHERE {{ ?s ?q {node}
        FILTER(?q NOT IN (rdf:subject, rdf:object) && isIRI(?s)) }}
        {order} LIMIT {INVERSE_PAGE + 1} OFFSET {(page - 1) * INVERSE_PAGE}""")
    has_next = len(inverse) > INVERSE_PAGE
    triples = store.construct_triples(f"""CONSTRUCT {{ {node} ?p ?o . ?st ?sp ?so . ?cell ?cp ?co }} WHERE {{
      {{ {node} ?p ?o }}
      UNION {{ ?st rdf:subject {node} ; a rdf:Statement ; ?sp ?so }}
      UNION {{ ?st rdf:subject {node} ; a rdf:Statement ; prov:wasDerivedFrom ?cell . ?cell ?cp ?co }} }}""")
    links = [(str(r["s"]), str(r["q"]), iri) for r in inverse[:INVERSE_PAGE]]
    if page > 1 or has_next:
        links += _page_terms(iri, page, has_next)
    return Description(triples + iri_triples(links), page, has_next)


def page_iri(iri: str, page: int) -> str:
    """Return the IRI of one page of an entity's description (`<iri>?page=2`)."""
    return f"{iri}?page={page}"


def _page_terms(iri: str, page: int, has_next: bool) -> list[tuple[str, str, str]]:
    """Say in Hydra terms which page of the entity's inverse links this is, and where the others are."""
    view = page_iri(iri, page)
    terms = [(iri, str(HYDRA.view), view), (view, str(RDF.type), str(HYDRA.PartialCollectionView)),
             (view, str(HYDRA.first), page_iri(iri, 1))]
    if has_next:
        terms.append((view, str(HYDRA.next), page_iri(iri, page + 1)))
    if page > 1:
        terms.append((view, str(HYDRA.previous), page_iri(iri, page - 1)))
    return terms


def is_literal(node: Node) -> bool:
    """Tell whether a term is a literal (for templates)."""
    return isinstance(node, Literal)


def is_a(store: Store, iri: str, cls: str) -> bool:
    """Tell whether an IRI has an rdf:type (a prefixed name such as `eq:Body`)."""
    return store.ask(f"ASK {{ {iri_ref(iri)} a {cls} }}")
