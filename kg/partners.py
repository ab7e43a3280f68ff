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

import math
from dataclasses import dataclass, field

from kg.network import Graph, dp_nodes
from kg.queries import iri_ref
from kg.store import Store

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


def level_weight(mine: set[str], theirs: set[str]) -> float:
    """Return 1.0 when two DPs address a body at a common level, else LEVEL_OTHER."""
    return 1.0 if _expand(mine) & _expand(theirs) else LEVEL_OTHER


def resolve_dp(store: Store, name: str) -> str | None:
    """Find a DP by IRI, slug or label (case-insensitive)."""
    if name.startswith("http"):
        return name if store.ask(f"ASK {{ {iri_ref(name)} a eq:DevelopmentPartnership }}") else None
    literal = name.replace("\\", "\\\\").replace('"', '\\"')
    rows = store.select(f"""SELECT ?d WHERE {{ ?d a eq:DevelopmentPartnership .
        {{ ?d rdfs:label|skos:altLabel ?l FILTER(LCASE(STR(?l)) = LCASE("{literal}")) }}
        UNION {{ FILTER(STR(?d) = CONCAT(STR(dp:), LCASE("{literal}"))) }} }} LIMIT 1""").rows
    return str(rows[0]["d"]) if rows else None


def _order(scope: str, theme: str | None, partners: list[Partner]) -> list[Partner]:
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")
    if scope == "same":
        partners = [p for p in partners if p.same_theme]
    elif scope == "other":
        partners = [p for p in partners if not p.same_theme]
    first = scope == "other-first"
    return sorted(partners, key=lambda p: (first and p.same_theme, -p.score, p.label.lower()))


def find_partners(store: Store, graph: Graph, dp: str, scope: str = "other-first", limit: int = 20,
                  cells: bool = True) -> PartnerResult:
    """Rank the other DPs as partners for `dp`, each with its reasons (and source cells).

    Raises:
        ValueError: the DP is not in the network, or the scope is unknown.
    """
    if dp not in graph or graph.nodes[dp]["kind"] != "dp":
        raise ValueError(f"{dp} is not a DP in the network (it targets no body)")
    me = graph.nodes[dp]
    count = len(dp_nodes(graph))
    candidates: dict[str, list[Reason]] = {}
    for body in graph[dp]:
        weight_base = rarity(graph, body, count)
        mine = graph.edges[dp, body]["levels"]
        for other in graph[body]:
            if other == dp:
                continue
            theirs = graph.edges[other, body]["levels"]
            weight = weight_base * level_weight(mine, theirs)
            levels = sorted(_expand(mine) & _expand(theirs)) or sorted(mine | theirs)
            candidates.setdefault(other, []).append(
                Reason(body, graph.nodes[body]["label"], round(weight, 3), levels))
    partners = []
    for other, bodies in candidates.items():
        node = graph.nodes[other]
        areas = [Reason(a, a, AREA_WEIGHT) for a in sorted(me["areas"] & node["areas"])]
        methods = [Reason(m, m, METHOD_WEIGHT) for m in sorted(me["methods"] & node["methods"])]
        score = sum(r.weight for r in bodies) + sum(r.weight for r in areas + methods)
        bodies.sort(key=lambda r: (-r.weight, r.label.lower()))
        partners.append(Partner(other, node["label"], node["theme"], bool(me["theme"]) and node["theme"] == me["theme"],
                                round(score, 3), bodies, areas, methods))
    ranked = _order(scope, None, partners)
    shown = ranked[:limit] if limit > 0 else ranked
    _add_labels(store, shown)
    if cells:
        _add_cells(store, dp, shown)
    return PartnerResult([dp], me["label"], me["theme"] or None, scope, len(ranked), shown)


def partners_for_bodies(store: Store, graph: Graph, bodies: list[str], theme: str | None = None,
                        limit: int = 50, cells: bool = True) -> PartnerResult:
    """Rank the DPs that could act together on a set of bodies: most (and rarest) bodies first.

    Each DP's reasons are the given bodies it targets, weighted by rarity; `theme` keeps one theme.

    Raises:
        ValueError: none of the bodies is targeted by any DP.
    """
    known = [b for b in bodies if b in graph and graph.nodes[b]["kind"] == "body"]
    if not known:
        raise ValueError("no DP targets any of these bodies")
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
    iris = {r.iri for p in partners for r in p.areas + p.methods}
    if not iris:
        return
    values = " ".join(iri_ref(i) for i in sorted(iris))
    rows = store.select(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x rdfs:label ?l }}").rows
    labels = {str(r["x"]): str(r["l"]) for r in rows}
    for partner in partners:
        for reason in partner.areas + partner.methods:
            reason.label = labels.get(reason.iri, reason.label.rsplit("/", 1)[-1])


def _add_cells(store: Store, dp: str | None, partners: list[Partner]) -> None:
    """Attach to every shared-body reason the WHO cells where each DP targets the body."""
    pairs = {(p.dp, r.iri) for p in partners for r in p.bodies}
    if dp:
        pairs |= {(dp, r.iri) for p in partners for r in p.bodies}
    if not pairs:
        return
    values = " ".join(f"({iri_ref(d)} {iri_ref(b)})" for d, b in sorted(pairs))
    rows = store.select(f"""SELECT DISTINCT ?dp ?body ?doc ?row ?line ?text WHERE {{
        VALUES (?dp ?body) {{ {values} }}
        ?st rdf:subject ?dp ; rdf:predicate eq:targets ; rdf:object ?body ; prov:wasDerivedFrom ?cell .
        ?cell eq:column "WHO" ; eq:text ?text ; dcterms:isPartOf ?doc .
        OPTIONAL {{ ?cell eq:rowNumber ?row }} OPTIONAL {{ ?cell eq:line ?line }}
    }} ORDER BY ?doc ?row""").rows
    found: dict[tuple[str, str], list[Cell]] = {}
    for r in rows:
        found.setdefault((str(r["dp"]), str(r["body"])), []).append(Cell(
            str(r["dp"]), str(r["doc"]), int(r["row"].toPython()) if r["row"] is not None else None,
            int(r["line"].toPython()) if r["line"] is not None else None, "WHO", str(r["text"])))
    for partner in partners:
        for reason in partner.bodies:
            reason.cells = found.get((partner.dp, reason.iri), []) + (found.get((dp, reason.iri), []) if dp else [])
