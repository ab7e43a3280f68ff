"""Named queries: the questions users ask, written once for the CLI, the web app and the tests."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.namespaces import CURATED_GRAPH, entity_iri
from kg.store import Store

_UNSAFE_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def is_safe_iri(value: str) -> bool:
    """Tell whether an IRI can be written in angle brackets in a query without escaping them."""
    return bool(value) and not _UNSAFE_IRI.search(value)


def iri_ref(value: str) -> str:
    """Return an IRI in angle brackets, refusing characters that could break out of them.

    >>> iri_ref("https://w3id.org/equal-kg/id/body/dti")
    '<https://w3id.org/equal-kg/id/body/dti>'
    """
    if not is_safe_iri(value):
        raise ValueError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def labels(store: Store, iris: Iterable[str], limit: int | None = None) -> dict[str, str]:
    """Return the rdfs:label (English or plain first) of each IRI that has one.

    IRIs that could not be written safely in a query are skipped; at most `limit` are looked up.
    """
    wanted = sorted({i for i in iris if ":" in i and is_safe_iri(i)})[:limit]
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 400):
        values = " ".join(iri_ref(i) for i in wanted[start:start + 400])
        rows = store.select(f"""SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }}
            ?x rdfs:label ?l }} ORDER BY DESC(LANG(?l) = "en" || LANG(?l) = "")""").rows
        for row in rows:
            found.setdefault(str(row["x"]), str(row["l"]))
    return found


@dataclass(frozen=True)
class Targeting:
    """One answer to 'which DPs target this body?', with where it was read."""

    dp: str
    dp_label: str
    theme: str | None
    level: str | None
    activity: str
    policy_area: str
    document: str
    row: int | None
    column: str
    cell_text: str
    written: str | None


def dps_targeting(store: Store, body: str, include_members: bool = True) -> list[Targeting]:
    """Return the DPs that target a body (and, by default, its named members), with provenance.

    One answer per DP, activity and source cell of the audience; `written` is the name as
    the cell wrote it (OPDM for ODPM).
    """
    target = iri_ref(body)
    bodies = f"VALUES ?body {{ {target} }}"
    if include_members:
        bodies = f"{{ BIND({target} AS ?body) }} UNION {{ ?body eq:kind {target} }}"
    sparql = f"""
    SELECT DISTINCT ?dp ?dpLabel ?theme ?level ?activity ?area ?doc ?row ?column ?text ?written
    WHERE {{
      {bodies}
      ?dp eq:targets ?body ; rdfs:label ?dpLabel .
      ?st rdf:subject ?dp ; rdf:predicate eq:targets ; rdf:object ?body ;
          eq:activity ?activity ; prov:wasDerivedFrom ?cell .
      ?cell eq:column "WHO" ; eq:text ?text ; dcterms:isPartOf ?doc .
      OPTIONAL {{ ?cell eq:rowNumber ?row }}
      BIND("WHO" AS ?column)
      ?activity eq:policyArea ?areaIri .
      ?areaIri rdfs:label ?area .
      ?aud rdf:subject ?activity ; rdf:predicate eq:audience ; rdf:object ?body ;
           prov:wasDerivedFrom ?cell .
      OPTIONAL {{ ?aud eq:level ?level }}
      OPTIONAL {{ ?aud eq:mentionText ?written }}
      OPTIONAL {{ ?dp eq:theme ?themeIri . ?themeIri skos:notation ?theme }}
    }} ORDER BY ?theme ?dpLabel ?row"""
    rows = store.select(sparql).rows
    return [Targeting(
        dp=str(r["dp"]), dp_label=str(r["dpLabel"]),
        theme=str(r["theme"]) if r["theme"] else None,
        level=str(r["level"]) if r["level"] else None,
        activity=str(r["activity"]), policy_area=str(r["area"]), document=str(r["doc"]),
        row=int(r["row"].toPython()) if r["row"] is not None else None,
        column=str(r["column"]), cell_text=str(r["text"]),
        written=str(r["written"]) if r["written"] else None,
    ) for r in rows]


@dataclass(frozen=True)
class Stats:
    """Counts of what the store holds."""

    documents: int
    dps: int
    bodies: int
    targeted_bodies: int
    unreconciled_bodies: int
    activities: int
    targets: int
    graphs: int
    quads: int


def _count(store: Store, where: str, var: str = "?x") -> int:
    rows = store.select(f"SELECT (COUNT(DISTINCT {var}) AS ?n) WHERE {{ {where} }}").rows
    return int(rows[0]["n"].toPython()) if rows else 0


def stats(store: Store) -> Stats:
    """Count documents, DPs, bodies, activities, links and quads."""
    return Stats(
        documents=_count(store, "?x a eq:Document"),
        dps=_count(store, "?x a eq:DevelopmentPartnership"),
        bodies=_count(store, "?x a eq:Body"),
        targeted_bodies=_count(store, "?dp eq:targets ?x"),
        unreconciled_bodies=_count(store, "?x a eq:Body ; eq:reconciled false"),
        activities=_count(store, "?x a eq:MainstreamingActivity"),
        targets=_count(store, "?dp eq:targets ?b BIND(CONCAT(STR(?dp), STR(?b)) AS ?x)"),
        graphs=len(store.graphs()),
        quads=store.count(),
    )


def document_graphs(store: Store) -> list[str]:
    """Return the named graphs that hold documents (every graph but the curated one)."""
    return [g for g in store.graphs() if g != str(CURATED_GRAPH)]


def label_of(store: Store, iri: str) -> str | None:
    """Return an entity's rdfs:label, if it has one."""
    rows = store.select(f"SELECT ?l WHERE {{ {iri_ref(iri)} rdfs:label ?l }} LIMIT 1").rows
    return str(rows[0]["l"]) if rows else None


def resolve_body(store: Store, name: str) -> str | None:
    """Find a body by IRI, slug, label or alias (case-insensitive)."""
    if name.startswith("http"):
        return name if store.ask(f"ASK {{ {iri_ref(name)} a eq:Body }}") else None
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", name.strip()):  # could be a slug: body:<slug>
        by_slug = str(entity_iri("body", name.strip().lower()))
        if store.ask(f"ASK {{ {iri_ref(by_slug)} a eq:Body }}"):
            return by_slug
    literal = name.replace("\\", "\\\\").replace('"', '\\"')
    rows = store.select(f"""SELECT ?b WHERE {{ ?b a eq:Body ;
        rdfs:label|skos:altLabel|skos:hiddenLabel|eq:abbreviation ?l
        FILTER(LCASE(STR(?l)) = LCASE("{literal}")) }} LIMIT 1""").rows
    return str(rows[0]["b"]) if rows else None

