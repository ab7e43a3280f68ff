"""The JSON API under /api/: what the pages show, as JSON, and CSV for tabular answers."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from flask import Blueprint, Response, abort, g, jsonify, request

from kg.rdf.namespaces import entity_iri, theme_iri
from kg.read.entities import is_a
from kg.read.pages import BODY_PAGE_DPS, body_view, dp_view, targets_rows, theme_view
from kg.read.queries import stats
from web.conneg import negotiate
from web.lists import list_columns, listed
from web.openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api")

#: Media types a tabular API answer is served as.
TABLE_TYPES = {"application/json": "json", "text/csv": "csv"}


def as_csv(rows: list[dict[str, object]], columns: list[str] | None = None) -> str:
    """Render flat rows as CSV (lists joined with '; '), header from `columns` or the first row's keys.

    >>> print(as_csv([{"a": 1, "b": ["x", "y"]}]), end="")
    a,b
    1,x; y
    >>> print(as_csv([], ["a", "b"]), end="")
    a,b
    """
    buffer = io.StringIO()
    fields = columns or (list(rows[0]) if rows else [])
    if not fields:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                         for k, v in row.items()})
    return buffer.getvalue()


def _table(key: str, rows: list[dict[str, object]], columns: list[str] | None = None, **extra: object) -> Response:
    """Answer with rows as JSON (`{key: rows}`) or CSV (`?format=csv` or `Accept: text/csv`; `columns` give
    an empty answer its header)."""
    fmt = request.args.get("format") or negotiate(request.headers.get("Accept"), TABLE_TYPES, "json")
    if fmt == "csv":
        response = Response(as_csv(rows, columns), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'inline; filename="{key}.csv"'
    elif fmt == "json":
        response = jsonify({**extra, "count": len(rows), key: rows})
    else:
        abort(400, f"unknown format {fmt!r}: use json or csv")
    response.headers["Vary"] = "Accept"
    return response


def _entity(kind: str, slug: str, cls: str) -> str:
    iri = str(entity_iri(kind, slug))
    if not is_a(g.store, iri, cls):
        abort(404, f"no {kind} {slug!r}")
    return iri


@bp.after_request
def _cors(response: Response) -> Response:
    if g.get("settings") is not None and g.settings.cors:
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/bodies")
def bodies() -> Response:
    """Bodies with the number of DPs targeting each (`?all=1`: every body), under the page's sorts and filters."""
    return _table("bodies", listed("bodies"), list_columns("bodies"))


@bp.get("/bodies/<slug>")
def body(slug: str) -> Response:
    """One body: type, parents, members, successors, and the DPs that target it (the first of each theme)."""
    return jsonify(body_view(g.store, _entity("body", slug, "eq:Body"), per_theme=BODY_PAGE_DPS))


@bp.get("/bodies/<slug>/dps")
def body_dps(slug: str) -> Response:
    """Which DPs target this body, grouped by theme, with the source cells."""
    iri = _entity("body", slug, "eq:Body")
    view = body_view(g.store, iri)
    if (request.args.get("format") or negotiate(request.headers.get("Accept"), TABLE_TYPES, "json")) == "csv":
        return _table("dps", targets_rows(view["targets_by_theme"]))  # type: ignore[arg-type]
    return jsonify({"body": iri, "label": view["label"], "themes": view["targets_by_theme"]})


@bp.get("/dps")
def dps() -> Response:
    """Every DP with its themes, regions and number of bodies targeted."""
    return _table("dps", listed("dps"), list_columns("dps"))


@bp.get("/dps/<slug>")
def dp(slug: str) -> Response:
    """One DP: aim, objectives, outcomes, groups, region, theme, bodies by level, activities."""
    return jsonify(dp_view(g.store, _entity("dp", slug, "eq:DevelopmentPartnership")))


@bp.get("/themes")
def themes() -> Response:
    """The nine themes with their pillars and DP counts."""
    return _table("themes", listed("themes"), list_columns("themes"))


@bp.get("/themes/<letter>")
def theme(letter: str) -> Response:
    """One theme: its DPs, activities and strategy documents."""
    iri = str(theme_iri(letter))
    if not is_a(g.store, iri, "eq:Theme"):
        abort(404, f"no theme {letter!r}: themes are A to I")
    return jsonify(theme_view(g.store, iri))


@bp.get("/documents")
def documents() -> Response:
    """Every ingested document (`?kind=summary|strategy`, `?theme=`)."""
    return _table("documents", listed("documents"), list_columns("documents"))


@bp.get("/policy-areas")
def policy_areas() -> Response:
    """The policy areas with the number of activities and DPs in each (`?theme=`)."""
    return _table("policy_areas", listed("policy-areas"), list_columns("policy-areas"))


@bp.get("/stats")
def counts() -> Response:
    """Counts of documents, DPs, bodies, activities and triples."""
    return jsonify(asdict(stats(g.store)))


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(request.host_url.rstrip("/")))
