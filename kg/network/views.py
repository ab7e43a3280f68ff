"""Interactive network views: node and edge data for vis-network, built with pyvis, laid out on the server.

This is the only module that imports pyvis. We never use pyvis's page template (it links CDN
Bootstrap and vis-network, and switches every tooltip to `innerHTML` once any title contains
`href`): pyvis builds and checks the node, edge and option records; the web page passes them
as JSON and the browser script shows every title as plain text. Positions come from the
server and physics is off, so a view draws at once and never keeps moving.
"""

from __future__ import annotations

import json
import math
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from importlib import resources

from pyvis.network import Network

from kg.network.graph import Filters, Graph, cap, select
from kg.network.layout import layout
from kg.rdf.namespaces import ID

#: Colours of DP nodes by theme, of body nodes, and of unreconciled bodies.
THEME_COLOURS = {"A": "#1f77b4", "B": "#ff7f0e", "C": "#2ca02c", "D": "#d62728", "E": "#9467bd",
                 "F": "#8c564b", "G": "#e377c2", "H": "#bcbd22", "I": "#17becf", "": "#7f7f7f"}
BODY_COLOUR = "#4d4d4d"
UNRECONCILED_COLOUR = "#b0b0b0"
DEFAULT_CAP = 300
MAX_CAP = 2000
#: vis-network files served from the installed pyvis package, and their media types.
VIS_ASSETS = {"vis-network.min.js": "text/javascript", "vis-network.css": "text/css"}
_VIS_DIR = "lib/vis-9.1.2"
#: Views built lately, by graph and request: a served graph never changes, so neither do its views.
_VIEWS: OrderedDict[tuple, tuple[weakref.ref, View]] = OrderedDict()
_VIEWS_LOCK = threading.Lock()
KEEP_VIEWS = 64


@dataclass
class View:
    """What a page needs to draw a network: vis-network records, a legend, and what was cut."""

    title: str
    nodes: list[dict]
    edges: list[dict]
    options: dict
    legend: list[tuple[str, str, str]]  # (colour, shape, text)
    shown: int
    total: int
    center: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        """True when the view shows fewer nodes than matched."""
        return self.shown < self.total

    def data(self) -> dict:
        """Return the JSON-ready record the browser script reads."""
        return {"nodes": self.nodes, "edges": self.edges, "options": self.options,
                "shown": self.shown, "total": self.total, "center": self.center, "idBase": str(ID)}


def _short_label(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _tooltip(full: Graph, shown: Graph, node: str) -> str:
    """Return a node's plain-text tooltip, with its neighbour counts before expanding."""
    attrs = full.nodes[node]
    total = full.degree(node)
    visible = shown.degree(node)
    if attrs["kind"] == "dp":
        theme = f"theme {attrs['theme']}" if attrs["theme"] else "theme unknown"
        lines = [attrs["label"], f"Development Partnership, {theme}",
                 f"targets {total} bodies ({visible} shown)"]
    else:
        themes = sorted({full.nodes[d]["theme"] for d in full[node] if full.nodes[d]["theme"]})
        kind = attrs["body_type"].replace("-", " ")
        lines = [attrs["label"], f"body: {kind}" + ("" if attrs["reconciled"] else " (not reconciled)"),
                 f"targeted by {total} DPs ({visible} shown)"
                 + (f" in themes {', '.join(themes)}" if themes else "")]
    if total > visible:
        lines.append("Double-click to expand.")
    else:
        lines.append("Double-click to open its network.")
    return "\n".join(lines)


def _style(attrs: dict) -> tuple[str, str]:
    """Return (colour, shape) of a node: DPs are dots coloured by theme, bodies grey squares."""
    if attrs["kind"] == "dp":
        return THEME_COLOURS.get(attrs["theme"], THEME_COLOURS[""]), "dot"
    return (BODY_COLOUR if attrs["reconciled"] else UNRECONCILED_COLOUR), "square"


def _legend(sub: Graph) -> list[tuple[str, str, str]]:
    themes = sorted({a["theme"] for _, a in sub.nodes(data=True) if a["kind"] == "dp"})
    legend = [(THEME_COLOURS.get(t, THEME_COLOURS[""]), "dot", f"DP, theme {t}" if t else "DP, theme unknown")
              for t in themes]
    kinds = {a["reconciled"] for _, a in sub.nodes(data=True) if a["kind"] == "body"}
    if True in kinds:
        legend.append((BODY_COLOUR, "square", "Body (audience)"))
    if False in kinds:
        legend.append((UNRECONCILED_COLOUR, "square", "Body, not yet reconciled"))
    return legend


def build_view(full: Graph, selected: Graph, title: str, limit: int = DEFAULT_CAP,
               center: str | None = None) -> View:
    """Cap a selected part of the network, lay it out, and build the vis-network records with pyvis.

    `full` is the whole graph (for neighbour counts and sizes); `selected` the part to show;
    `limit` the most nodes sent (by degree; `center` is always kept).
    """
    limit = max(1, min(limit, MAX_CAP))
    total = selected.number_of_nodes()
    shown = cap(selected, limit, keep=[center] if center else [])
    positions = layout(shown)
    ids = sorted(shown)
    net = Network(directed=False)
    styles = [_style(full.nodes[n]) for n in ids]
    if ids:
        net.add_nodes(
            ids,
            label=[_short_label(full.nodes[n]["label"]) for n in ids],
            title=[_tooltip(full, shown, n) for n in ids],
            color=[s[0] for s in styles],
            shape=[s[1] for s in styles],
            size=[round(8 + 4 * math.sqrt(full.degree(n)), 1) for n in ids],
            x=[positions[n][0] for n in ids],
            y=[positions[n][1] for n in ids],
        )
    number = {iri: n for n, iri in enumerate(ids)}  # edges name nodes by number: IRIs made 60% of a page
    for record in net.nodes:
        iri = record["id"]
        attrs = full.nodes[iri]
        record.update(id=number[iri], iri=iri, kind=attrs["kind"], theme=attrs.get("theme", ""),
                      neighbours=full.degree(iri), shown=shown.degree(iri), fullLabel=attrs["label"])
        if iri == center:
            record.update(borderWidth=4, font={"size": 18, "bold": True})
    net.edges = [{"from": number[u], "to": number[v],
                  "title": " / ".join(sorted(shown.edges[u, v].get("levels", ()))) or "level not stated"}
                 for u, v in sorted(shown.edges())]
    net.toggle_physics(False)
    options = json.loads(net.options.to_json())
    options["edges"].update(smooth=False, color="#9a9a9a", width=1)
    options["interaction"].update(hover=True, tooltipDelay=150, navigationButtons=False)
    options["nodes"] = {"font": {"size": 13, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"}}
    notes = []
    if shown.number_of_nodes() < total:
        notes.append(f"Showing {shown.number_of_nodes()} of {total} nodes (those with most links).")
    return View(title, net.nodes, net.edges, options, _legend(shown), shown.number_of_nodes(), total,
                center, notes)


def view_of(full: Graph, filters: Filters, title: str, limit: int = DEFAULT_CAP, center: str | None = None,
            radius: int = 1) -> View:
    """Select, cap, lay out and build a view of the network (`select` then `build_view`), or reuse the
    one built for the same graph and request: the first costs up to 0.4 s at 5,000 DPs, a reuse nothing.

    Raises:
        RequestError: as `select`.
    """
    key = (id(full), filters, title, limit, center, radius)
    with _VIEWS_LOCK:
        found = _VIEWS.get(key)
        if found is not None and found[0]() is full:
            _VIEWS.move_to_end(key)
            return found[1]
    view = build_view(full, select(full, filters, center, radius), title, limit, center)
    with _VIEWS_LOCK:
        _VIEWS[key] = (weakref.ref(full), view)  # weak: an older snapshot's graph is not kept alive
        while len(_VIEWS) > KEEP_VIEWS:
            _VIEWS.popitem(last=False)
    return view


def vis_asset(name: str) -> tuple[bytes, str]:
    """Return a vis-network file from the installed pyvis package and its media type.

    Raises:
        KeyError: not one of the served files.
    """
    media = VIS_ASSETS[name]
    return resources.files("pyvis").joinpath(_VIS_DIR, name).read_bytes(), media
