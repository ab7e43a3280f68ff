"""Network views, partner finding and the theme-by-body matrix: parse the request, call kg, render."""

from __future__ import annotations

from dataclasses import asdict
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request, url_for

from kg.errors import NotFoundError
from kg.network.graph import (
    Filters,
    GraphCache,
    filter_choices,
    select,
    serialise,
    theme_body_matrix,
)
from kg.network.partners import SCOPES, find_partners, partners_for_bodies
from kg.network.views import DEFAULT_CAP, VIS_ASSETS, view_of, vis_asset
from kg.rdf.namespaces import THEME_LETTERS, slug_of
from kg.read.resolve import resolve_body, resolve_dp
from kg.search.suggest import suggest
from web.params import whole_number

bp = Blueprint("network", __name__)
DOWNLOADS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "json": "application/json"}


@bp.record_once
def _install(state) -> None:  # type: ignore[no-untyped-def]
    state.app.extensions["kg_network"] = GraphCache()


@bp.after_app_request
def _warm(response):  # type: ignore[no-untyped-def]
    """After answering from a newly published snapshot, build its network in the background."""
    store = getattr(g, "store", None)
    if store is not None:
        current_app.extensions["kg_network"].warm(store)
    return response


def _graph():  # type: ignore[no-untyped-def]
    return current_app.extensions["kg_network"].get(g.store)


def _filters(theme: str | None = None) -> Filters:
    """Read the filters from the query string (theme, level, type, min_shared)."""
    return Filters(theme=theme or request.args.get("theme") or None, level=request.args.get("level") or None,
                   body_type=request.args.get("type") or None, min_shared=whole_number("min_shared", 1))


def _body_iri(slug: str) -> str:
    iri = resolve_body(g.store, slug)
    if iri is None:
        abort(404, f"no body is known as {slug!r}")
    return iri


def _render(title: str, center: str | None = None, theme: str | None = None, radius: int = 1):  # type: ignore[no-untyped-def]
    graph = _graph()
    filters = _filters(theme)
    view = view_of(graph, filters, title, whole_number("cap", DEFAULT_CAP), center, radius)
    downloads = {fmt: url_for("network.download", fmt=fmt, **_selection(center, radius, filters)) for fmt in DOWNLOADS}
    return render_template("network.html", view=view, filters=filters, choices=filter_choices(graph),
                           cap=whole_number("cap", DEFAULT_CAP), downloads=downloads, themes=THEME_LETTERS,
                           center=center, radius=radius)


def _selection(center: str | None, radius: int, filters: Filters) -> dict[str, str | int]:
    """Query parameters that select the same part of the network (for download links)."""
    params: dict[str, str | int] = {k: v for k, v in request.args.items() if k not in ("iri", "radius")}
    if filters.theme:
        params["theme"] = filters.theme
    if center:
        params.update(iri=center, radius=radius)
    return params


@bp.get("/network")
def whole():  # type: ignore[no-untyped-def]
    """The whole network (filtered and capped on the server)."""
    return _render("The whole network")


@bp.get("/network/theme/<letter>")
def theme(letter: str):  # type: ignore[no-untyped-def]
    """The DPs of one theme and the bodies they target."""
    if len(letter) != 1 or letter.upper() not in THEME_LETTERS:
        abort(404, f"no theme {letter!r}: themes are A-I")
    return _render(f"Theme {letter.upper()}", theme=letter.upper())


@bp.get("/network/body/<slug>")
def body(slug: str):  # type: ignore[no-untyped-def]
    """A body's audience: the DPs that target it and what else they target."""
    iri = _body_iri(slug)
    return _render(f"Who targets {slug}", center=iri, radius=whole_number("radius", 2))


@bp.get("/network/ego")
def ego():  # type: ignore[no-untyped-def]
    """The ego network of any DP or body (?iri=... or ?name=..., radius 1-3); a name nothing has leads to
    the closest ones."""
    iri, name = request.args.get("iri", "").strip(), request.args.get("name", "").strip()
    if not iri and not name:
        abort(400, "give ?name= (or ?iri=) a DP or body")
    if not iri:
        try:
            iri = _resolved("any", name)
        except Unknown as error:
            error.links = [(c, _asking_again(error, c.label)) for c in error.candidates]
            return render_template("unknown_name.html", unknown=error), 404
    return _render("Network around an entity", center=iri, radius=whole_number("radius", 1))


@bp.get("/network/graph.<fmt>")
def download(fmt: str):  # type: ignore[no-untyped-def]
    """Download the selected network as GraphML, GEXF or node-link JSON (same filters as the views)."""
    if fmt not in DOWNLOADS:
        abort(404, f"no graph format {fmt!r}: use graphml, gexf or json")
    graph = _graph()
    center = request.args.get("iri") or None
    if request.args.get("body"):
        center = _body_iri(request.args["body"])
    selected = select(graph, _filters(), center, whole_number("radius", 1))
    limit = whole_number("cap", 0)
    if limit > 0:
        from kg.network.graph import cap
        selected = cap(selected, limit, [center] if center else [])
    response = Response(serialise(selected, fmt), mimetype=DOWNLOADS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="equal-kg-network.{fmt}"'
    return response


@bp.get("/network/matrix")
def matrix():  # type: ignore[no-untyped-def]
    """Where themes meet: how many DPs of each theme target each body."""
    graph = _graph()
    themes, bodies, cells = theme_body_matrix(graph, whole_number("limit", 40))
    peak = max((len(v) for v in cells.values()), default=1)
    partners = url_for("network.partners_page")
    rows = []
    for body_iri in bodies:
        slug = slug_of(body_iri)
        row = []
        for theme_letter in themes:
            dps = cells.get((body_iri, theme_letter), [])
            tip = ", ".join(graph.nodes[d]["label"] for d in dps[:10])
            tip += f" and {len(dps) - 10} more" if len(dps) > 10 else ""
            heat = 0 if not dps else 1 + (5 * (len(dps) - 1)) // max(peak - 1, 1)
            row.append((len(dps), heat, f"{partners}?body={quote(slug)}&theme={quote(theme_letter)}", tip))
        rows.append((graph.nodes[body_iri]["label"], url_for("network.body", slug=slug), row,
                     sum(1 for n, *_ in row if n)))
    return render_template("matrix.html", themes=themes, rows=rows, peak=peak)


@bp.get("/network/vis/<name>")
def vis(name: str):  # type: ignore[no-untyped-def]
    """vis-network's script and style, served from the installed pyvis package (never a CDN)."""
    if name not in VIS_ASSETS:
        abort(404)
    data, media = vis_asset(name)
    response = Response(data, mimetype=media)
    response.cache_control.max_age = 86400
    response.cache_control.public = True
    return response


class Unknown(NotFoundError):
    """A name typed in a picker matches no entity of its kind; `candidates` are the closest suggestions."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"no {'DP' if kind == 'dp' else 'body' if kind == 'body' else 'DP or body'} "
                         f"is known as {name!r}")
        self.kind, self.name = kind, name
        self.candidates = suggest(g.store, name, ("dp", "body") if kind == "any" else (kind,), 10)
        #: The query parameter the name came in, and a link per candidate that asks again with it.
        self.param = {"dp": "dp", "body": "body"}.get(kind, "name")
        self.links: list[tuple[object, str]] = []


def _resolved(kind: str, name: str) -> str:
    """Return the IRI of the DP or body (or either, `any`) a person typed; Unknown if none has that name."""
    iri = (resolve_dp(g.store, name) if kind in ("dp", "any") else None) or (
        resolve_body(g.store, name) if kind in ("body", "any") else None)
    if iri is None:
        raise Unknown(kind, name)
    return iri


def _body_pieces() -> list[str]:
    """Return the comma-separated pieces of the `body` parameters, as typed."""
    return [n.strip() for value in request.args.getlist("body") for n in value.split(",") if n.strip()]


def _bodies() -> list[tuple[str, str]]:
    """Resolve the bodies a person listed, separated by commas; return (name as typed, IRI) for each.

    Some names hold commas ("Advisory, Conciliation and Arbitration Service"): the longest run of
    pieces that names a body is taken first.

    Raises:
        Unknown: a piece (or run of pieces) that names no body.
    """
    pieces, found, start = _body_pieces(), [], 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            name = ", ".join(pieces[start:end])
            iri = resolve_body(g.store, name)
            if iri is not None:
                found.append((name, iri))
                start = end
                break
        else:
            raise Unknown("body", pieces[start])
    return found


def _partners():  # type: ignore[no-untyped-def]
    """Answer a partner query from the request: ?dp=NAME, or ?body=NAME (repeatable or comma-separated)."""
    graph = _graph()
    limit = max(1, min(whole_number("limit", 20), 500))
    name = request.args.get("dp", "").strip()
    if name:
        return find_partners(g.store, graph, _resolved("dp", name), request.args.get("scope", "other-first"), limit)
    bodies = _bodies()
    if not bodies:
        return None
    return partners_for_bodies(g.store, graph, [iri for _, iri in bodies], request.args.get("theme") or None, limit)


@bp.get("/partners")
def partners_page():  # type: ignore[no-untyped-def]
    """Find partners: type a DP, or one or more bodies; a name nothing has leads to the closest ones."""
    try:
        result, unknown, status = _partners(), None, 200
    except Unknown as error:
        result, unknown, status = None, error, 404
        error.links = [(c, _asking_again(error, c.label)) for c in error.candidates]
    return render_template("partners.html", result=result, unknown=unknown, scopes=SCOPES, args=request.args,
                           body_names=", ".join(_body_pieces())), status


def _asking_again(unknown: Unknown, name: str) -> str:
    """Return this page's URL with the unknown name replaced by `name`, every other parameter kept."""
    params = {key: request.args.getlist(key) for key in request.args if key != unknown.param}
    if unknown.param == "body":
        params["body"] = [", ".join(name if piece == unknown.name else piece for piece in _body_pieces())]
    else:
        params[unknown.param] = [name]
    return url_for(request.endpoint or "network.partners_page", **params)


@bp.get("/api/partners")
def partners_api():  # type: ignore[no-untyped-def]
    """Partners as JSON: ?dp=NAME[&scope=other-first|other|same|all] or ?body=A&body=B[&theme=D]."""
    try:
        result = _partners()
    except Unknown as error:
        abort(404, str(error))
    if result is None:
        abort(400, "give ?dp=NAME or ?body=NAME")
    return jsonify(asdict(result))


bp.add_app_template_filter(slug_of, "slug")
