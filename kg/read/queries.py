"""Named queries: the questions users ask, written once for the CLI, the web app and the tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.rdf.namespaces import CURATED_GRAPH, ID
from kg.rdf.sparql_text import iri_list, iri_ref, is_safe_iri, values_clause
from kg.store.base import Store
from kg.store.cache import cached

#: The label an entity is shown by: English or without a language first (then any other).
_LABEL_QUERY = """SELECT ?x ?l WHERE {{ {where} ?x rdfs:label ?l {filter} }}
    ORDER BY DESC(LANG(?l) = "en" || LANG(?l) = "")"""


def _first_labels(store: Store, where: str = "", filter_: str = "",
                  into: dict[str, str] | None = None) -> dict[str, str]:
    """Add to `into` (or a new dict) the first label of each entity a `_LABEL_QUERY` finds."""
    found = {} if into is None else into
    for row in store.select(_LABEL_QUERY.format(where=where, filter=filter_)).rows:
        found.setdefault(str(row["x"]), str(row["l"]))
    return found


def labels(store: Store, iris: Iterable[str], limit: int | None = None) -> dict[str, str]:
    """Return the label (English or plain first) of each IRI that has one.

    IRIs that could not be written safely in a query are skipped; at most `limit` are looked up.
    """
    wanted = sorted({i for i in iris if ":" in i and is_safe_iri(i)})[:limit]
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 400):
        _first_labels(store, values_clause("?x", wanted[start:start + 400]), into=found)
    return found


@cached
def labels_under(store: Store, paths: tuple[str, ...]) -> dict[str, str]:
    """Return the label of every entity whose IRI lies under one of the `id/<path>/` folders (`theme`,
    `region`...), read once per published snapshot: facets label their values from it."""
    starts = " || ".join(f'STRSTARTS(STR(?x), "{ID}{path}/")' for path in paths)
    return _first_labels(store, filter_=f"FILTER({starts})")


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


def in_chunks(store: Store, template: str, values: Iterable[str], size: int = 300) -> list[dict]:
    """Run a SELECT for IRIs given `size` at a time: `template` holds `{values}` (their `<...>` list)."""
    wanted = sorted(set(values))
    rows: list[dict] = []
    for start in range(0, len(wanted), size):
        rows += store.select(template.replace("{values}", iri_list(wanted[start:start + size]))).rows
    return rows


def body_and_members(store: Store, body: str, include_members: bool = True) -> list[str]:
    """Return a body and, by default, the bodies that are one of its kind (`?member eq:kind body`)."""
    if not include_members:
        return [body]
    rows = store.select(f"SELECT DISTINCT ?m WHERE {{ ?m eq:kind {iri_ref(body)} }}").rows
    return [body, *sorted({str(r["m"]) for r in rows} - {body})]


def dps_targeting(store: Store, body: str, include_members: bool = True,
                  dps: Iterable[str] | None = None) -> list[Targeting]:
    """Return the DPs that target a body (and, by default, its named members), with provenance.

    One answer per DP, activity and source cell of the audience; `written` is the name as
    the cell wrote it (OPDM for ODPM). `dps` keeps only those DPs. Labels, themes and policy
    areas are looked up apart from the statements: joined in one query, a DP's several labels,
    themes and areas multiply each other's rows (seconds per body at 5,000 DPs over the old union
    default graph, which also repeated each once per document).
    """
    rows: list[dict] = []
    for target in body_and_members(store, body, include_members):
        rows += _targeting_rows(store, target, dps)
    found = {str(r["dp"]) for r in rows}
    names: dict[str, set[str]] = {}
    for r in in_chunks(store, "SELECT DISTINCT ?x ?l WHERE { VALUES ?x { {values} } ?x rdfs:label ?l }", found):
        names.setdefault(str(r["x"]), set()).add(str(r["l"]))
    themes: dict[str, set[str]] = {}
    for r in in_chunks(store, """SELECT DISTINCT ?x ?t WHERE { VALUES ?x { {values} }
            ?x eq:theme ?theme . ?theme skos:notation ?t }""", found):
        themes.setdefault(str(r["x"]), set()).add(str(r["t"]))
    areas: dict[str, set[str]] = {}
    for r in in_chunks(store, """SELECT DISTINCT ?x ?l WHERE { VALUES ?x { {values} }
            ?x eq:policyArea ?area . ?area rdfs:label ?l }""", {str(r["activity"]) for r in rows}):
        areas.setdefault(str(r["x"]), set()).add(str(r["l"]))
    answers = {Targeting(
        dp=str(r["dp"]), dp_label=label, theme=theme, level=r["level"] or None,
        activity=str(r["activity"]), policy_area=area, document=str(r["doc"]),
        row=int(r["row"].toPython()) if r["row"] is not None else None,
        column="WHO", cell_text=str(r["text"]), written=r["written"] or None)
        for r in rows for label in names.get(str(r["dp"]), ()) for area in areas.get(str(r["activity"]), ())
        for theme in (themes.get(str(r["dp"])) or {None})}
    # as ORDER BY ?theme ?dpLabel ?row did: unbound values first
    return sorted(answers, key=lambda a: (a.theme is not None, a.theme or "", a.dp_label, a.row is not None,
                                          a.row or 0, a.dp, a.activity, a.cell_text, a.level or "",
                                          a.written or "", a.policy_area))


def _targeting_rows(store: Store, body: str, dps: Iterable[str] | None) -> list[dict]:
    """Return (dp, level, activity, doc, row, text, written) for every DP targeting one body.

    Three simple queries joined here (targets statements, their WHO cells, the body's audience
    statements): one query joining all three let the engine pick slow orders (0.1-0.5 s a body).
    """
    node = iri_ref(body)
    statements = f"""SELECT DISTINCT ?dp ?activity ?cell WHERE {{ {{values}}
        ?st rdf:object {node} ; rdf:predicate eq:targets ; rdf:subject ?dp ;
            eq:activity ?activity ; prov:wasDerivedFrom ?cell }}"""
    if dps is None:
        targets = store.select(statements.replace("{values}", "")).rows
    else:
        targets = in_chunks(store, statements.replace("{values}", "VALUES ?dp { {values} }"), dps)
    cells = {str(r["cell"]): r for r in in_chunks(store, """SELECT ?cell ?text ?doc ?row WHERE {
        VALUES ?cell { {values} } ?cell eq:column "WHO" ; eq:text ?text ; dcterms:isPartOf ?doc .
        OPTIONAL { ?cell eq:rowNumber ?row } }""", {str(r["cell"]) for r in targets})}
    audiences: dict[tuple[str, str], set[tuple[str | None, str | None]]] = {}
    for r in store.select(f"""SELECT DISTINCT ?activity ?cell ?level ?written WHERE {{
            ?aud rdf:object {node} ; rdf:predicate eq:audience ; rdf:subject ?activity ;
                 prov:wasDerivedFrom ?cell .
            OPTIONAL {{ ?aud eq:level ?level }} OPTIONAL {{ ?aud eq:mentionText ?written }} }}""").rows:
        audiences.setdefault((str(r["activity"]), str(r["cell"])), set()).add(
            (_opt(r["level"]), _opt(r["written"])))
    out = []
    for r in targets:
        cell = cells.get(str(r["cell"]))
        if cell is None:
            continue  # not a WHO cell (the DPs cell of the same statement)
        for level, written in audiences.get((str(r["activity"]), str(r["cell"])), ()):
            out.append({"dp": r["dp"], "activity": r["activity"], "doc": cell["doc"], "row": cell["row"],
                        "text": cell["text"], "level": level, "written": written})
    return out


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


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
    counted = "*" if var == "*" else f"DISTINCT {var}"
    rows = store.select(f"SELECT (COUNT({counted}) AS ?n) WHERE {{ {where} }}").rows
    return int(rows[0]["n"].toPython()) if rows else 0


@cached
def stats(store: Store) -> Stats:
    """Count documents, DPs, bodies, activities, links and quads."""
    return Stats(
        documents=_count(store, "?x a eq:Document"),
        dps=_count(store, "?x a eq:DevelopmentPartnership"),
        bodies=_count(store, "?x a eq:Body"),
        targeted_bodies=_count(store, "?dp eq:targets ?x"),
        unreconciled_bodies=_count(store, "?x a eq:Body ; eq:reconciled false"),
        activities=_count(store, "?x a eq:MainstreamingActivity"),
        targets=_count(store, "SELECT DISTINCT ?dp ?b WHERE { ?dp eq:targets ?b }", "*"),
        graphs=len(store.graphs()),
        quads=store.count(),
    )


def document_graphs(store: Store) -> list[str]:
    """Return the named graphs that hold documents (every graph but the curated one)."""
    return [g for g in store.graphs() if g != str(CURATED_GRAPH)]
