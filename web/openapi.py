"""The OpenAPI 3 description of the JSON API, built from one table of operations."""

from __future__ import annotations

from typing import Any

from kg import __version__
from kg.read.lists import LISTINGS

#: The API path of each list of `kg.read.lists`: it takes the list page's `sort=` and filters.
LIST_PATHS = {f"/api/{name}": name for name in LISTINGS}

#: (path, summary, path parameters, tabular?) of every API operation.
OPERATIONS: list[tuple[str, str, list[str], bool]] = [
    ("/api/bodies", "Bodies with the number of DPs targeting each (all=1: every body in the gazetteer)", [], True),
    ("/api/bodies/{slug}", "One body: type, parents, members, successors, and the DPs that target it", ["slug"],
     False),
    ("/api/bodies/{slug}/dps", "Which DPs target this body, grouped by theme, with the source cells", ["slug"],
     True),
    ("/api/dps", "Every Development Partnership with its themes, regions and number of bodies targeted", [], True),
    ("/api/dps/{slug}", "One DP: aim, objectives, outcomes, groups, region, theme, bodies by level, activities",
     ["slug"], False),
    ("/api/themes", "The nine EQUAL themes with their pillars and DP counts", [], True),
    ("/api/themes/{letter}", "One theme: its DPs, activities and strategy documents", ["letter"], False),
    ("/api/documents", "Every ingested document, with its kind (summary, strategy) and theme", [], True),
    ("/api/policy-areas", "The policy areas with the number of mainstreaming activities and DPs in each", [], True),
    ("/api/stats", "Counts of documents, DPs, bodies, activities and triples", [], False),
    ("/api/search", "Full-text search with facets: ranked, highlighted, paginated hits and facet counts", [], False),
    ("/api/suggest", "Suggestions as a person types: DPs, bodies, themes, policy areas and regions by name, acronym, "
                     "alias or typo", [], False),
    ("/api/partners", "DPs to act with: for a DP (other themes first), or for a set of bodies, with reasons", [],
     False),
]

#: Query parameters of the operations that take them: (name, required, description).
QUERY_PARAMETERS: dict[str, list[tuple[str, bool, str]]] = {
    "/api/search": [("q", True, "the query: words, \"phrases\", AND/OR/NOT, wild*cards, field:word"),
                    ("facet", False, "a facet to refine by, e.g. theme:D or kind:row; repeat to combine"),
                    ("page", False, "the page of results, from 1"),
                    ("page_size", False, "hits per page, at most 100")],
    "/api/suggest": [("q", True, "the text typed so far (at most 200 characters are read)"),
                     ("kind", False, "dp, body, theme, policy-area or region; comma-separated or repeated (all)"),
                     ("limit", False, "the most suggestions, 1 to 20 (10)")],
    "/api/partners": [("dp", False, "the DP to find partners for (slug, name or IRI)"),
                      ("scope", False, "other-first (default), other, same or all"),
                      ("body", False, "bodies (comma-separated or repeated) when no dp is given"),
                      ("theme", False, "with body: only DPs of this theme")],
}

_ERROR = {"description": "Not found, or a bad parameter", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}}}}}


def _operation(path: str, summary: str, params: list[str], tabular: bool) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"},
         "description": "the theme letter A-I" if p == "letter" else "the last segment of the entity IRI"}
        for p in params]
    content: dict[str, Any] = {"application/json": {"schema": {"type": "object"}}}
    if tabular:
        parameters.append({"name": "format", "in": "query", "required": False,
                           "schema": {"type": "string", "enum": ["json", "csv"]},
                           "description": "json (default) or csv; `Accept: text/csv` works too"})
        content["text/csv"] = {"schema": {"type": "string"}}
    if path == "/api/bodies":
        parameters.append({"name": "all", "in": "query", "required": False,
                           "schema": {"type": "string", "enum": ["0", "1"]},
                           "description": "1 to include bodies that no DP targets"})
    parameters += [{"name": name, "in": "query", "required": required, "schema": {"type": "string"},
                    "description": text} for name, required, text in QUERY_PARAMETERS.get(path, [])]
    if path in LIST_PATHS:
        listing = LISTINGS[LIST_PATHS[path]]
        parameters.append({"name": "sort", "in": "query", "required": False,
                           "schema": {"type": "string", "enum": list(listing.orders)},
                           "description": f"the order of the rows (default {listing.default_order})"})
        parameters += [{"name": name, "in": "query", "required": False, "schema": {"type": "string"},
                        "description": f"only the rows whose {field} is (or holds) this value"}
                       for name, field in listing.filters.items() if name != "targeted"]
    op_id = path.replace("/api/", "").replace("{", "").replace("}", "").replace("/", "_")
    return {"get": {"summary": summary, "operationId": op_id, "parameters": parameters,
                    "responses": {"200": {"description": "OK", "content": content},
                                  "404": _ERROR if params else {"description": "Not found"}}}}


def openapi_document(server: str = "/") -> dict[str, Any]:
    """Return the OpenAPI 3.0 document for the API served at `server`."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "equal-kg API", "version": __version__,
                 "description": "Development Partnerships of the EU EQUAL programme, the bodies their "
                                "mainstreaming strategies target, with provenance down to the table cell. "
                                "The SPARQL endpoint is at /sparql; entity IRIs under /id/ serve JSON-LD."},
        "servers": [{"url": server or "/"}],
        "paths": {path: _operation(path, summary, params, tabular)
                  for path, summary, params, tabular in OPERATIONS},
    }
