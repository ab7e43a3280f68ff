"""Entity pages at the path of every entity IRI (`/id/...`), with content negotiation."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template, request

from kg.rdf.formats import FORMATS
from kg.rdf.namespaces import EQ, ID, THEME_LETTERS, cell_anchor, local_path, theme_iri
from kg.read.documents import COLUMNS, document_view
from kg.read.entities import describe, entity_graph, fallback_label, is_literal
from kg.read.pages import BODY_PAGE_DPS, body_view, dp_view, theme_view
from kg.store.export import export_triples
from web.conneg import GRAPH_TYPES, negotiate
from web.lists import page_number

bp = Blueprint("entities", __name__)
#: Most DPs, activities and documents a theme page lists of each (the lists page the rest).
THEME_PAGE_ITEMS = 50


def local(iri: str) -> str:
    """Return the path this app serves an equal-kg IRI at (other IRIs unchanged), for links in templates."""
    return local_path(iri) or iri


@bp.app_context_processor
def _helpers() -> dict[str, object]:
    return {"local": local, "id_base": str(ID), "is_literal": is_literal, "fallback": fallback_label,
            "cell_anchor": cell_anchor, "theme_path": lambda letter: local(str(theme_iri(letter))),
            "theme_letters": THEME_LETTERS}


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
        description = entity_graph(g.store, iri, page_number())
        if not description.triples:
            abort(404, f"nothing is known about {iri}")
        mimetype = jsonld_media_type(request.headers.get("Accept")) if fmt == "jsonld" else FORMATS[fmt].media_type
        response = Response(export_triples(description.triples, fmt), content_type=mimetype)
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
        context["extra"], context["shown_per_list"] = theme_view(g.store, iri), THEME_PAGE_ITEMS
    return Response(render_template(template, skip=(EQ.content,), **context))


#: Media types an entity IRI is served as: a page first (so browsers and `*/*` get it), then RDF.
ENTITY_TYPES: dict[str, str] = {"text/html": "html", "application/xhtml+xml": "html",
                                **{m: f for m, f in GRAPH_TYPES.items() if f in ("turtle", "jsonld", "ntriples")},
                                "application/json": "jsonld"}  # JSON-LD is JSON: plain JSON clients get it
#: File suffixes that ask for one RDF format on an entity IRI (`/id/body/dti.ttl`).
ENTITY_SUFFIXES: dict[str, str] = {"." + FORMATS[name].extension: name for name in ("jsonld", "turtle", "ntriples")}


def split_suffix(path: str) -> tuple[str, str | None]:
    """Split a format suffix off an entity path.

    >>> split_suffix("body/dti.jsonld")
    ('body/dti', 'jsonld')
    >>> split_suffix("body/dti")
    ('body/dti', None)
    """
    for suffix, fmt in ENTITY_SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], fmt
    return path, None


def choose_format(accept: str | None) -> str | None:
    """Return 'html' or the RDF format an `Accept` header prefers for an entity IRI; None if none is acceptable.

    >>> choose_format("text/turtle"), choose_format("application/json"), choose_format(None)
    ('turtle', 'jsonld', 'html')
    >>> choose_format("text/html,application/xhtml+xml,*/*;q=0.8")
    'html'
    >>> choose_format("image/png") is None
    True
    """
    return negotiate(accept, ENTITY_TYPES)


def jsonld_media_type(accept: str | None) -> str:
    """Return the media type to serve JSON-LD as: `application/json` to a client that asks for plain JSON
    rather than JSON-LD, else `application/ld+json`.

    >>> jsonld_media_type("application/json"), jsonld_media_type("application/ld+json, application/json;q=0.9")
    ('application/json', 'application/ld+json')
    """
    return negotiate(accept, {"application/ld+json": "application/ld+json", "application/json": "application/json"},
                     default="application/ld+json") or "application/ld+json"


def entity_media_types() -> list[str]:
    """Return the media types an entity IRI can be served as (for a 406 answer)."""
    return list(dict.fromkeys(ENTITY_TYPES))
