"""The DP-body network: a bipartite networkx graph read from the store, and what is computed on it.

This is the only module that imports networkx. The DP-DP projection is never materialised (at
5,000 DPs it has millions of edges): partner finding counts shared bodies straight from the
bipartite graph (kg/network/partners.py), and views cut the graph down on the server before drawing.
"""

from __future__ import annotations

import json
import logging
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from threading import Lock
from typing import TypeVar

import networkx as nx

from kg.errors import RequestError
from kg.memory import release_free_memory
from kg.rdf.namespaces import THEME_LETTERS, kind_of, slug_of
from kg.store.base import Store
from kg.store.cache import is_immutable

T = TypeVar("T")
_MEMO_LOCK = Lock()

#: The graph type handed to other kg modules (so they need not import networkx).
Graph = nx.Graph

#: The queries the graph is read with, each a flat DISTINCT: one query joining a DP's facts
#: multiplies their rows (3.5 minutes at 5,000 DPs over the old union default graph, which also
#: repeated each fact once per document, against seconds).
GRAPH_QUERIES = {
    "edges": "SELECT DISTINCT ?dp ?body WHERE { ?dp eq:targets ?body }",
    "levels": """SELECT DISTINCT ?dp ?body ?level WHERE {
        ?st rdf:predicate eq:targets ; eq:level ?level ; rdf:subject ?dp ; rdf:object ?body }""",
    "dps": "SELECT DISTINCT ?dp WHERE { ?dp a eq:DevelopmentPartnership }",
    "labels": "SELECT DISTINCT ?dp ?label WHERE { ?dp a eq:DevelopmentPartnership ; rdfs:label ?label }",
    "themes": """SELECT DISTINCT ?dp ?theme WHERE { ?dp a eq:DevelopmentPartnership ; eq:theme ?t .
        ?t skos:notation ?theme }""",
    "areas": "SELECT DISTINCT ?dp ?area WHERE { ?dp a eq:DevelopmentPartnership ; eq:policyArea ?area }",
    "methods": "SELECT DISTINCT ?dp ?method WHERE { ?act eq:involves ?dp ; eq:method ?method }",
    "bodies": """SELECT DISTINCT ?body ?bodyLabel ?bodyType ?reconciled WHERE {
        { SELECT DISTINCT ?body WHERE { ?x eq:targets ?body } } ?body rdfs:label ?bodyLabel .
        OPTIONAL { ?body eq:bodyType ?bodyType } OPTIONAL { ?body eq:reconciled ?reconciled } }""",
}

log = logging.getLogger(__name__)


def build_graph(store: Store) -> nx.Graph:
    """Read the DP-body bipartite graph from the store.

    DP nodes carry kind='dp', label, theme (a letter or ''), areas and methods (sets of IRIs);
    body nodes kind='body', label, body_type (a slug), reconciled (bool); each edge its levels
    (a set of level slugs). Where a DP has several labels or themes, the first in order is kept.
    """
    def rows(name: str) -> list[dict[str, str | None]]:
        return store.values(GRAPH_QUERIES[name])  # plain strings: no rdflib terms for 100,000 rows

    graph = nx.Graph()
    dps: dict[str, dict] = {}

    def dp(iri: str) -> dict:
        return dps.setdefault(iri, {"kind": "dp", "label": slug_of(iri), "theme": "", "areas": set(),
                                    "methods": set()})

    for row in rows("dps"):
        dp(row["dp"])  # type: ignore[arg-type]
    for name, key in (("labels", "label"), ("themes", "theme")):
        chosen: dict[str, str] = {}
        for row in rows(name):
            value = row[key] or ""
            chosen[row["dp"]] = min(chosen.get(row["dp"], value), value)  # type: ignore[index]
        for iri, value in chosen.items():
            dp(iri)[key] = value
    for row in rows("areas"):
        dp(row["dp"])["areas"].add(row["area"])  # type: ignore[arg-type]
    for row in rows("methods"):
        dp(row["dp"])["methods"].add(row["method"])  # type: ignore[arg-type]
    bodies: dict[str, dict] = {}
    for row in sorted(rows("bodies"), key=lambda r: tuple(v or "" for v in r.values())):
        bodies[row["body"]] = {"kind": "body", "label": row["bodyLabel"],  # type: ignore[index]
                               "body_type": slug_of(row["bodyType"]) or "unknown",
                               "reconciled": row["reconciled"] != "false"}
    edges: dict[tuple[str, str], set[str]] = {(r["dp"], r["body"]): set() for r in rows("edges")}  # type: ignore[misc]
    for row in rows("levels"):
        if (row["dp"], row["body"]) in edges:
            edges[(row["dp"], row["body"])].add(slug_of(row["level"]))  # type: ignore[index]
    shared: dict[frozenset[str], frozenset[str]] = {}  # one object per distinct set of levels (a few dozen)
    for key, levels in edges.items():
        frozen = frozenset(levels)
        edges[key] = shared.setdefault(frozen, frozen)  # type: ignore[assignment]
    graph.add_nodes_from(dps.items())
    for iri, attrs in bodies.items():
        graph.add_node(iri, **attrs)
    for (dp_iri, body_iri), levels in edges.items():
        if dp_iri not in graph:
            graph.add_node(dp_iri, **dp(dp_iri))
        if body_iri not in graph:
            graph.add_node(body_iri, kind="body", label=slug_of(body_iri), body_type="unknown", reconciled=True)
        graph.add_edge(dp_iri, body_iri, levels=levels)
    return graph


def fingerprint(store: Store) -> str:
    """Return a cheap digest of what the store holds: its documents and their content hashes."""
    rows = store.select("SELECT ?d ?s WHERE { ?d a eq:Document . OPTIONAL { ?d eq:sha256 ?s } }").rows
    return json.dumps(sorted((str(r["d"]), str(r["s"])) for r in rows))


@dataclass
class GraphCache:
    """Keep the last graph built per store, rebuilt when the store's documents change.

    Created by whoever serves requests (the web app keeps one) and handed in: nothing global.
    """

    _graphs: dict[str, tuple[str, nx.Graph]] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)
    _building: Lock = field(default_factory=Lock)
    _warming: str = ""

    def warm(self, store: Store) -> bool:
        """Start building a published snapshot's graph in a background thread; return whether one started.

        A service calls this once it has answered a request from a new snapshot, so the first
        partners or network request does not wait for the build (18 s at 20,000 DPs). Stores
        that can still change are built when first asked.
        """
        if not is_immutable(store):
            return False
        key = f"snapshot {id(store)}"
        with self._lock:
            cached = self._graphs.get(store.location)
            if (cached and cached[0] == key) or self._warming == key:
                return False
            self._warming = key
        threading.Thread(target=self._warm, args=(store,), name="network-warm", daemon=True).start()
        return True

    def _warm(self, store: Store) -> None:
        try:
            self.get(store)
        except Exception:  # the request that needs the graph will build it again and report the error
            log.warning("building the network in the background failed", exc_info=True)

    def get(self, store: Store) -> nx.Graph:
        """Return the store's bipartite graph, building it if the documents changed.

        A published snapshot cannot change: its graph is kept without asking the store again
        (the fingerprint is a query over every document, 50 ms at 5,000 DPs).
        """
        key = f"snapshot {id(store)}" if is_immutable(store) else fingerprint(store)
        with self._building:  # one build at a time: requests arriving meanwhile wait for it
            with self._lock:
                cached = self._graphs.get(store.location)
                if cached and cached[0] == key:
                    return cached[1]
            graph = build_graph(store)
            release_free_memory()  # the 100,000 rows it was read from
            with self._lock:
                self._graphs = {store.location: (key, graph)}  # one store is served: drop older snapshots
        return graph


# ---- selecting parts of the graph ----

@dataclass(frozen=True)
class Filters:
    """What a view keeps: a theme, an audience level, a body type, bodies shared by >= min_shared DPs."""

    theme: str | None = None
    level: str | None = None
    body_type: str | None = None
    min_shared: int = 1

    def __post_init__(self) -> None:
        if self.theme is not None and (len(self.theme) != 1 or self.theme.upper() not in THEME_LETTERS):
            raise RequestError(f"unknown theme {self.theme!r}: give a letter A-I")
        if self.min_shared < 1:
            raise RequestError("min_shared must be at least 1")


def dp_nodes(graph: nx.Graph) -> list[str]:
    """Return the DP nodes."""
    return [n for n, kind in graph.nodes(data="kind") if kind == "dp"]


def body_nodes(graph: nx.Graph) -> list[str]:
    """Return the body nodes."""
    return [n for n, kind in graph.nodes(data="kind") if kind == "body"]


#: Values derived from each graph object (never from its subgraph views, which share its attributes).
_MEMOS: weakref.WeakKeyDictionary[nx.Graph, dict[Hashable, object]] = weakref.WeakKeyDictionary()


def memo(graph: nx.Graph, key: Hashable, compute: Callable[[], T]) -> T:
    """Return a value derived from a graph, computed once per graph object (a served graph never changes)."""
    with _MEMO_LOCK:
        found = _MEMOS.setdefault(graph, {})
        if key in found:
            return found[key]  # type: ignore[return-value]
    value = compute()  # two threads may both compute it: the same value, so either is kept
    with _MEMO_LOCK:
        found[key] = value
    return value


def _theme_edges(graph: nx.Graph) -> dict[str | None, list[tuple[str, str]]]:
    """Return the (DP, body) edges of each theme, and of all themes under None: one pass over the edges."""
    edges: dict[str | None, list[tuple[str, str]]] = {None: []}
    for u, v in graph.edges():
        dp, body = (u, v) if graph.nodes[u]["kind"] == "dp" else (v, u)
        edges[None].append((dp, body))
        edges.setdefault(graph.nodes[dp]["theme"], []).append((dp, body))
    return edges


def apply_filters(graph: nx.Graph, filters: Filters) -> nx.Graph:
    """Return the subgraph a view's filters keep (a view on `graph`, not a copy); drop isolated nodes."""
    theme = filters.theme.upper() if filters.theme else None
    edges = memo(graph, "theme edges", lambda: _theme_edges(graph)).get(theme, [])
    if filters.level:
        edges = [(d, b) for d, b in edges if filters.level in graph.edges[d, b]["levels"]]
    if filters.body_type:
        edges = [(d, b) for d, b in edges if graph.nodes[b]["body_type"] == filters.body_type]
    if filters.min_shared > 1:
        shared = Counter(body for _, body in edges)
        edges = [(d, b) for d, b in edges if shared[b] >= filters.min_shared]
    return graph.edge_subgraph(edges)


def ego(graph: nx.Graph, center: str, radius: int = 1) -> nx.Graph:
    """Return the ego network of a node (a DP or body) up to `radius` steps, as a view on `graph`.

    Raises:
        RequestError: the node is not in the graph.
    """
    if center not in graph:
        raise RequestError(f"{center} is not in the network (no DP targets it, or it targets nothing)")
    nodes, frontier = {center}, {center}
    for _ in range(max(1, min(radius, 3))):  # breadth first; networkx's ego_graph copied 3,000 nodes for DWP
        frontier = {m for n in frontier for m in graph.adj[n]} - nodes
        nodes |= frontier
    return graph.subgraph(nodes)


def cap(graph: nx.Graph, limit: int, keep: Iterable[str] = ()) -> nx.Graph:
    """Keep at most `limit` nodes: the DPs and bodies of highest degree, in proportion to their numbers.

    The nodes in `keep` are always kept; nodes left without a link are dropped.
    """
    if limit <= 0 or graph.number_of_nodes() <= limit:
        return graph
    pinned = [n for n in keep if n in graph]
    groups: dict[str, list[str]] = {}
    for node, kind in graph.nodes(data="kind"):
        groups.setdefault(kind, []).append(node)
    chosen = set(pinned)
    room = max(0, limit - len(chosen))
    for members in groups.values():
        share = max(1, round(room * len(members) / graph.number_of_nodes()))
        members.sort(key=lambda n: (-graph.degree(n), n))
        chosen.update(members[:share])
    sub = graph.subgraph(chosen)
    return sub.subgraph([n for n in sub if sub.degree(n) > 0 or n in pinned])


def communities(graph: nx.Graph, seed: int = 7) -> dict[str, int]:
    """Return a community number for every node (Louvain, seeded; 0 is the largest community)."""
    if graph.number_of_edges() == 0:
        return {n: i for i, n in enumerate(graph)}
    found = sorted(nx.community.louvain_communities(graph, seed=seed), key=lambda c: (-len(c), min(c)))
    return {node: number for number, members in enumerate(found) for node in members}


Matrix = tuple[list[str], list[str], dict[tuple[str, str], list[str]]]


def theme_body_matrix(graph: nx.Graph, limit: int = 40) -> Matrix:
    """Count, for each body and theme, the DPs of the theme that target the body (once per graph and limit).

    Returns (themes present, bodies most targeted across themes first, {(body, theme): DP IRIs}).
    """
    return memo(graph, ("matrix", limit), lambda: _theme_body_matrix(graph, limit))


def _theme_body_matrix(graph: nx.Graph, limit: int) -> Matrix:
    """Count, for each body and theme, the DPs of the theme that target the body.

    Returns (themes present, bodies most targeted across themes first, {(body, theme): DP IRIs}).
    Bodies are ranked by how many themes meet on them, then by DP count: joint-activity
    opportunities first.
    """
    cells: dict[tuple[str, str], list[str]] = {}
    for body in body_nodes(graph):
        for dp in graph[body]:
            theme = graph.nodes[dp]["theme"] or "?"
            cells.setdefault((body, theme), []).append(dp)
    themes = sorted({t for _, t in cells})
    spread = Counter(b for b, _ in cells)
    size = Counter({b: graph.degree(b) for b in spread})
    bodies = sorted(spread, key=lambda b: (-spread[b], -size[b], graph.nodes[b]["label"].lower()))[:limit]
    for key in cells:
        cells[key].sort(key=lambda d: graph.nodes[d]["label"].lower())
    return themes, bodies, {k: v for k, v in cells.items() if k[0] in set(bodies)}


# ---- downloads ----

def _flat(graph: nx.Graph) -> nx.Graph:
    """Copy a graph with attributes every format can hold (sets joined with '|')."""
    out = nx.Graph()
    for node, attrs in graph.nodes(data=True):
        out.add_node(node, **{k: ("|".join(sorted(v)) if isinstance(v, set) else v) for k, v in attrs.items()},
                     iri=node, entity=kind_of(node) or "")
    for u, v, attrs in graph.edges(data=True):
        out.add_edge(u, v, levels="|".join(sorted(attrs.get("levels", ()))))
    return out


def serialise(graph: nx.Graph, fmt: str) -> bytes:
    """Serialise a graph as GraphML, GEXF or node-link JSON.

    Raises:
        RequestError: unknown format.
    """
    flat = _flat(graph)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(flat)).encode("utf-8")
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(flat)).encode("utf-8")
    if fmt == "json":
        return json.dumps(nx.node_link_data(flat, edges="links"), indent=1).encode("utf-8")
    raise RequestError(f"unknown graph format {fmt!r}: use graphml, gexf or json")


def neighbours(graph: nx.Graph, node: str) -> list[str]:
    """Return a node's neighbours."""
    return list(graph[node])


def select(graph: nx.Graph, filters: Filters, center: str | None = None, radius: int = 1) -> nx.Graph:
    """Return the part of the graph a view shows: the filtered graph, or an ego network in it.

    Raises:
        RequestError: the center is not in the network, or no link of it passes the filters.
    """
    if center is not None and center not in graph:
        raise RequestError(f"{center} is not in the network (no DP targets it, or it targets nothing)")
    if center is not None and filters == Filters():  # nothing filtered: walk the graph itself (a view is 10x slower)
        return ego(graph, center, radius)
    sub = apply_filters(graph, filters)
    if center is None:
        return sub
    if center not in sub:
        raise RequestError("no link of this entity passes the filters: remove a filter")
    return ego(sub, center, radius)


def filter_choices(graph: nx.Graph) -> dict[str, list[str]]:
    """Return the values each filter can take in this graph (for the filter form), once per graph."""
    return memo(graph, "filter choices", lambda: _filter_choices(graph))


def _filter_choices(graph: nx.Graph) -> dict[str, list[str]]:
    levels = sorted({level for *_, ls in graph.edges(data="levels") for level in (ls or ())})
    types = sorted({t for _, t in graph.nodes(data="body_type") if t})
    themes = sorted({t for _, t in graph.nodes(data="theme") if t})
    return {"themes": themes, "levels": levels, "body_types": types}
