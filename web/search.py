"""Search: the /search page (a plain GET form, facets as links) and the /api/search JSON."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from kg.errors import SearchError
from kg.search.service import FACETS, MAX_PAGE_SIZE, SearchIndex, SearchResults

bp = Blueprint("search", __name__)


def search_index() -> SearchIndex:
    """Return the search index of the store this request reads (kept until a new snapshot is served)."""
    index = current_app.extensions.get("kg_search")
    if index is None or index.store is not g.store:
        index = current_app.extensions["kg_search"] = SearchIndex(g.store, g.settings.index,
                                                                  window=g.settings.search_window)
    return index


def _number(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except ValueError:
        raise SearchError(f"{name} must be a whole number") from None


def _run() -> SearchResults:
    return search_index().search(request.args.get("q", ""), request.args.getlist("facet"),
                                 _number("page", 1), _number("page_size", 20))


@bp.get("/search")
def search_page():  # type: ignore[no-untyped-def]
    """Render the search form, results, facets and pages; a malformed query gets its message (200)."""
    query, facets = request.args.get("q", ""), request.args.getlist("facet")
    try:
        results, error = _run(), None
    except SearchError as problem:
        results, error = None, str(problem)
    return render_template("search.html", q=query, facets=facets, results=results, error=error,
                           facet_names=FACETS)


@bp.get("/api/search")
def search_api():  # type: ignore[no-untyped-def]
    """Return results as JSON: q, facet (repeat), page, page_size (at most MAX_PAGE_SIZE); 400 with a message."""
    try:
        return jsonify(_run().to_dict())
    except SearchError as problem:
        return jsonify({"error": str(problem), "status": 400, "max_page_size": MAX_PAGE_SIZE}), 400
