"""Partner finding: which DPs could act together, ranked by an explainable score with its reasons.

The score of a candidate partner P for a DP D is counted straight from the DP-body graph (the
DP-DP projection is never built):

    score = sum over bodies B targeted by both   rarity(B) * level(B)
          + AREA_WEIGHT   * number of shared policy areas
          + METHOD_WEIGHT * number of shared methods

    rarity(B) = ln(1 + N / n(B))   N: DPs in the store; n(B): DPs that target B
    level(B)  = 1.0 when D and P address B at a common audience level (both National, ...),
                LEVEL_OTHER otherwise

so a body few DPs target weighs more than one everybody targets. By default DPs of other themes
come first (the strategy asks for joint activity across themes), then by score.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from functools import lru_cache

from kg.errors import RequestError
from kg.network.graph import Graph, dp_nodes
from kg.rdf.namespaces import slug_of
from kg.read.queries import in_chunks, labels
from kg.store.base import Store
from kg.store.cache import cached

LEVEL_OTHER = 0.6
AREA_WEIGHT = 1.0
METHOD_WEIGHT = 0.25
SCOPES = ("other-first", "other", "same", "all")
_BROAD = {"local-regional": {"local", "regional"}}


@dataclass(frozen=True)
class Cell:
    """A table cell a reason was read from."""

    dp: str
    document: str
    row: int | None
    line: int | None
    column: str
    text: str


@dataclass
class Reason:
    """One shared thing (a body, policy area or method) and what it adds to the score."""

    iri: str
    label: str
    weight: float
    levels: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Partner:
    """A candidate partner, its score and the reasons for it."""

    dp: str
    label: str
    theme: str
    same_theme: bool
    score: float
    bodies: list[Reason]
    areas: list[Reason]
    methods: list[Reason]


@dataclass
class PartnerResult:
    """The answer to a partner query: for a DP or for a set of bodies."""

    query: list[str]
    query_label: str
    theme: str | None
    scope: str
    total: int
    partners: list[Partner]


def rarity(graph: Graph, body: str, dp_count: int | None = None) -> float:
    """Return ln(1 + N / n(B)): high for a body few DPs target."""
    count = dp_count if dp_count is not None else len(dp_nodes(graph))
    return math.log(1 + count / max(1, graph.degree(body)))


def _expand(levels: set[str]) -> set[str]:
    return set().union(*(_BROAD.get(level, {level}) for level in levels)) if levels else set()


@lru_cache(maxsize=256)
def _expanded_frozen(levels: frozenset[str]) -> frozenset[str]:
    return frozenset(_expand(set(levels)))


def _expanded(levels: set[str]) -> frozenset[str]:
    """Return `_expand(levels)`, cached (partner finding asks it for every edge it walks)."""
    return _expanded_frozen(frozenset(levels))


def level_weight(mine: set[str], theirs: set[str]) -> float:
    """Return 1.0 when two DPs address a body at a common level, else LEVEL_OTHER."""
    return 1.0 if _expand(mine) & _expand(theirs) else LEVEL_OTHER


@cached
def find_partners(store: Store, graph: Graph, dp: str, scope: str = "other-first", limit: int = 20,
                  cells: bool = True) -> PartnerResult:
    """Rank the other DPs as partners for `dp`, each with its reasons (and source cells).

    Scores are summed for every candidate first; reasons are built only for the partners shown
    (a DP that targets DWP shares a body with most of the 5,000 DPs of a large store).

    Raises:
        RequestError: the DP is not in the network, or the scope is unknown.
    """
    if dp not in graph or graph.nodes[dp]["kind"] != "dp":
        raise RequestError(f"{dp} is not a DP in the network (it targets no body)")
    if scope not in SCOPES:
        raise RequestError(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")
    me = graph.nodes[dp]
    count = len(dp_nodes(graph))
    scores: dict[str, float] = {}
    for body in graph[dp]:
        weight_base = rarity(graph, body, count)
        mine = _expanded(graph.edges[dp, body]["levels"])
        same_level, other_level = round(weight_base, 3), round(weight_base * LEVEL_OTHER, 3)
        for other in graph[body]:
            if other != dp:
                weight = same_level if mine & _expanded(graph.edges[other, body]["levels"]) else other_level
                scores[other] = scores.get(other, 0.0) + weight
    ranked = []
    for index, (other, score) in enumerate(scores.items()):
        node = graph.nodes[other]
        same = bool(me["theme"]) and node["theme"] == me["theme"]
        if (scope == "same" and not same) or (scope == "other" and same):
            continue
        shared = len(me["areas"] & node["areas"]) * AREA_WEIGHT + len(me["methods"] & node["methods"]) * METHOD_WEIGHT
        ranked.append((scope == "other-first" and same, -round(score + shared, 3), node["label"].lower(), index, other))
    chosen = heapq.nsmallest(limit, ranked) if limit > 0 else sorted(ranked)
    shown = [_partner(graph, dp, other, count) for *_, other in chosen]
    _add_labels(store, shown)
    if cells:
        _add_cells(store, dp, shown)
    return PartnerResult([dp], me["label"], me["theme"] or None, scope, len(ranked), shown)


def _partner(graph: Graph, dp: str, other: str, count: int) -> Partner:
    """Build one partner of `dp` with every reason: shared bodies (weighted), areas and methods."""
    me, node = graph.nodes[dp], graph.nodes[other]
    bodies = []
    for body in graph[dp]:
        if other not in graph[body]:
            continue
        mine, theirs = graph.edges[dp, body]["levels"], graph.edges[other, body]["levels"]
        weight = rarity(graph, body, count) * level_weight(mine, theirs)
        levels = sorted(_expand(mine) & _expand(theirs)) or sorted(mine | theirs)
        bodies.append(Reason(body, graph.nodes[body]["label"], round(weight, 3), levels))
    areas = [Reason(a, a, AREA_WEIGHT) for a in sorted(me["areas"] & node["areas"])]
    methods = [Reason(m, m, METHOD_WEIGHT) for m in sorted(me["methods"] & node["methods"])]
    score = sum(r.weight for r in bodies) + sum(r.weight for r in areas + methods)
    bodies.sort(key=lambda r: (-r.weight, r.label.lower()))
    return Partner(other, node["label"], node["theme"], bool(me["theme"]) and node["theme"] == me["theme"],
                   round(score, 3), bodies, areas, methods)


@cached
def partners_for_bodies(store: Store, graph: Graph, bodies: list[str], theme: str | None = None,
                        limit: int = 50, cells: bool = True) -> PartnerResult:
    """Rank the DPs that could act together on a set of bodies: most (and rarest) bodies first.

    Each DP's reasons are the given bodies it targets, weighted by rarity; `theme` keeps one theme.

    Raises:
        RequestError: none of the bodies is targeted by any DP.
    """
    known = [b for b in bodies if b in graph and graph.nodes[b]["kind"] == "body"]
    if not known:
        raise RequestError("no DP targets any of these bodies")
    count = len(dp_nodes(graph))
    found: dict[str, list[Reason]] = {}
    for body in known:
        weight = round(rarity(graph, body, count), 3)
        for dp in graph[body]:
            if theme and graph.nodes[dp]["theme"] != theme.upper():
                continue
            levels = sorted(graph.edges[dp, body]["levels"])
            found.setdefault(dp, []).append(Reason(body, graph.nodes[body]["label"], weight, levels))
    partners = [Partner(dp, graph.nodes[dp]["label"], graph.nodes[dp]["theme"], False,
                        round(sum(r.weight for r in reasons), 3), reasons, [], [])
                for dp, reasons in found.items()]
    partners.sort(key=lambda p: (-len(p.bodies), -p.score, p.theme, p.label.lower()))
    shown = partners[:limit] if limit > 0 else partners
    if cells:
        _add_cells(store, None, shown)
    label = ", ".join(graph.nodes[b]["label"] for b in known)
    return PartnerResult(known, label, theme.upper() if theme else None, "bodies", len(partners), shown)


def _add_labels(store: Store, partners: list[Partner]) -> None:
    """Replace the IRIs of shared areas and methods by their labels."""
    found = labels(store, {r.iri for p in partners for r in p.areas + p.methods})
    for partner in partners:
        for reason in partner.areas + partner.methods:
            reason.label = found.get(reason.iri, slug_of(reason.label))


def _add_cells(store: Store, dp: str | None, partners: list[Partner]) -> None:
    """Attach to every shared-body reason the WHO cells where each DP targets the body."""
    pairs = {(p.dp, r.iri) for p in partners for r in p.bodies}
    if dp:
        pairs |= {(dp, r.iri) for p in partners for r in p.bodies}
    if not pairs:
        return
    # the DPs' targets statements, then their WHO cells: one query over (DP, body) pairs was slow (0.4-1 s)
    statements = in_chunks(store, """SELECT DISTINCT ?dp ?body ?cell WHERE { VALUES ?dp { {values} }
        ?st rdf:subject ?dp ; rdf:predicate eq:targets ; rdf:object ?body ; prov:wasDerivedFrom ?cell }""",
                           {d for d, _ in pairs})
    wanted = [(str(r["dp"]), str(r["body"]), str(r["cell"])) for r in statements
              if (str(r["dp"]), str(r["body"])) in pairs]
    info = {str(r["cell"]): r for r in in_chunks(store, """SELECT ?cell ?doc ?row ?line ?text WHERE {
        VALUES ?cell { {values} } ?cell eq:column "WHO" ; eq:text ?text ; dcterms:isPartOf ?doc .
        OPTIONAL { ?cell eq:rowNumber ?row } OPTIONAL { ?cell eq:line ?line } }""", {c for *_, c in wanted})}
    number = lambda value: int(value.toPython()) if value is not None else None  # noqa: E731
    read = {(d, b, Cell(d, str(info[c]["doc"]), number(info[c]["row"]), number(info[c]["line"]), "WHO",
                        str(info[c]["text"]))) for d, b, c in wanted if c in info}
    found: dict[tuple[str, str], list[Cell]] = {}
    for dp_iri, body, cell in sorted(read, key=lambda x: (x[2].document, x[2].row is not None, x[2].row or 0,
                                                          x[2].line or 0, x[2].text)):
        found.setdefault((dp_iri, body), []).append(cell)
    for partner in partners:
        for reason in partner.bodies:
            reason.cells = found.get((partner.dp, reason.iri), []) + (found.get((dp, reason.iri), []) if dp else [])
