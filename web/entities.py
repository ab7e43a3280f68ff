"""Entity pages at the path of every entity IRI (`/id/...`), with content negotiation, and index pages."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template, request, url_for

from kg.documents import COLUMNS, document_view
from kg.entities import (
    choose_format,
    describe,
    entity_graph,
    entity_media_types,
    fallback_label,
    is_literal,
    jsonld_media_type,
    split_suffix,
)
from kg.export import FORMATS, export_triples
from kg.namespaces import EQ, ID
from kg.pages import (
    BODY_PAGE_DPS,
    DP_ORDERS,
    body_view,
    dp_list,
    dp_view,
    list_bodies,
    list_dps,
    list_themes,
    page_of,
    theme_view,
)

#: Rows a page of a long list shows.
LIST_PAGE = 100
bp = Blueprint("entities", __name__)


def local(iri: str) -> str:
    """Return the path this app serves an equal-kg IRI at (other IRIs unchanged)."""
    return "/id/" + iri[len(str(ID)):] if iri.startswith(str(ID)) else iri


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {"local": local, "id_base": str(ID), "is_literal": is_literal, "fallback": fallback_label}


@bp.get("/id/<path:path>")
def entity(path: str):  # type: ignore[no-untyped-def]
    """Show an entity as a page, or as JSON-LD, Turtle or N-Triples by suffix or `Accept`."""
    path, fmt = split_suffix(path)
    iri = f"{ID}{path}"
    fmt = fmt or choose_format(request.headers.get("Accept"))
    if fmt is None:
        abort(406, "none of the media types asked for in Accept can be served here; an entity is served as "
                   + ", ".join(entity_media_types()))
    if fmt != "html":
        description = entity_graph(g.store, iri, _page_number())
        if not description.triples:
            abort(404, f"nothing is known about {iri}")
        mimetype = jsonld_media_type(request.headers.get("Accept")) if fmt == "jsonld" else FORMATS[fmt][0]
        response = Response(export_triples(description.triples, fmt), mimetype=mimetype)
        if description.has_next:  # the next hundred triples pointing at the entity
            response.headers["Link"] = f'<{request.base_url}?page={description.page + 1}>; rel="next"'
        return response
    described = describe(g.store, iri)
    if described is None:
        abort(404, f"nothing is known about {iri}")
    kind = described.kind
    context: dict[str, object] = {"entity": described, "extra": None}
    template = "entity_generic.html"
    if kind == "body":
        template, context["body"] = "entity_body.html", body_view(g.store, iri, per_theme=BODY_PAGE_DPS)
    elif kind == "dp":
        template, context["dp"] = "entity_dp.html", dp_view(g.store, iri)
    elif kind == "doc" and path.count("/") == 1:
        view = document_view(g.store, iri)
        if view is not None:
            template, context["doc"], context["columns"] = "entity_doc.html", view, COLUMNS
    elif kind == "theme":
        context["extra"] = theme_view(g.store, iri)
    return Response(render_template(template, skip=(EQ.content,), **context))


@bp.get("/dps")
def dps() -> Response:
    """List the DPs a hundred a page, with theme, region and bodies targeted; sort and filter by theme.

    `?page=N`, `?sort=name|bodies`, `?theme=A`..`I`; the whole list is `/api/dps` (JSON or CSV).
    """
    theme = request.args.get("theme", "").strip().upper() or None
    if theme is not None and (len(theme) != 1 or theme not in "ABCDEFGHI"):
        abort(400, f"theme must be a letter A-I, not {theme!r}")
    order = request.args.get("sort", "name")
    if order not in DP_ORDERS:
        abort(400, f"sort must be one of {', '.join(DP_ORDERS)}, not {order!r}")
    page = page_of(dp_list(g.store, theme, order), _page_number(), LIST_PAGE)
    params = {k: v for k, v in (("theme", theme), ("sort", order if order != "name" else None)) if v}
    links = {rel: url_for("entities.dps", page=number, **params)
             for rel, number, there in (("prev", page.number - 1, page.number > 1),
                                        ("next", page.number + 1, page.has_next)) if there}
    response = Response(render_template("index_dps.html", page=page, links=links, theme=theme, order=order,
                                        orders=DP_ORDERS, total=len(list_dps(g.store))))
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response


def _page_number() -> int:
    """Read `?page=N` (from 1); a bad value is the client's error."""
    raw = request.args.get("page", "1").strip()
    if not raw.isdigit() or int(raw) < 1:
        abort(400, f"page must be a whole number from 1, not {raw!r}")
    return int(raw)


@bp.get("/bodies")
def bodies() -> str:
    """List the bodies, most targeted first; `?all=1` includes bodies no DP targets."""
    show_all = request.args.get("all") == "1"
    return render_template("index_bodies.html", bodies=list_bodies(g.store, targeted_only=not show_all),
                           show_all=show_all)


@bp.get("/themes")
def themes() -> str:
    """List the nine EQUAL themes with their DP counts."""
    return render_template("index_themes.html", themes=list_themes(g.store))
