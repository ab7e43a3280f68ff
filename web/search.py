"""Search: the /search page (a plain GET form, facets as links), the /api/search JSON, and /api/suggest."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, g, jsonify, render_template, request

from kg.errors import RequestError, SearchError
from kg.search.service import FACETS, MAX_PAGE_SIZE, SearchIndex, SearchResults
from kg.search.suggest import KINDS, MAX_SUGGESTIONS, suggest, warm
from web.errors import status_of
from web.params import whole_number

bp = Blueprint("search", __name__)


def search_index() -> SearchIndex:
    """Return the search index of the store this request reads (kept until a new snapshot is served)."""
    index = current_app.extensions.get("kg_search")
    if index is None or index.store is not g.store:
        index = current_app.extensions["kg_search"] = SearchIndex(g.store, g.settings.index,
                                                                  window=g.settings.search_window)
    return index


@bp.after_app_request
def _warm(response):  # type: ignore[no-untyped-def]
    """After answering from a newly published snapshot, read its names for suggestions in the background."""
    store = g.get("store")
    if store is not None:
        warm(store)
    return response


def _run() -> SearchResults:
    page = whole_number("page", 1, error=SearchError)
    size = whole_number("page_size", 20, error=SearchError)
    return search_index().search(request.args.get("q", ""), request.args.getlist("facet"), page, size)


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
        status = status_of(problem)
        return jsonify({"error": str(problem), "status": status, "max_page_size": MAX_PAGE_SIZE}), status


@bp.get("/api/suggest")
def suggest_api():  # type: ignore[no-untyped-def]
    """Suggest entities for what is being typed: `q`, `kind` (dp, body, theme, policy-area, region; comma-separated
    or repeated; all by default), `limit` (at most 20). Names, acronyms, aliases and typos all match."""
    kinds = tuple(k.strip() for value in request.args.getlist("kind") for k in value.split(",") if k.strip())
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise RequestError(f"kind must be among {', '.join(KINDS)}, not {', '.join(unknown)}")
    limit = whole_number("limit", 10)
    if not 1 <= limit <= MAX_SUGGESTIONS:
        raise RequestError(f"limit must be from 1 to {MAX_SUGGESTIONS}, not {limit}")
    found = suggest(g.store, request.args.get("q", ""), kinds or KINDS, limit)
    return jsonify({"query": request.args.get("q", "")[:200], "suggestions": [asdict(s) for s in found]})
