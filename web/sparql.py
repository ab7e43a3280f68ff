"""The SPARQL endpoint (`/sparql`, SPARQL 1.1 Protocol, read-only) and the query editor (`/query`).

Handlers only read the request and render: checking, running and serialising queries is
`kg.sparql.protocol`'s job, and choosing formats is `web.conneg`'s. Queries sent by clients (the endpoint
and the editor) run in the app's `kg.sparql.pool` workers, under its timeout and queue limits.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, url_for

from kg.errors import QueryLimitError, ReadOnlyError, RequestError
from kg.rdf.formats import FORMATS
from kg.sparql.examples import DEFAULT_QUERY, EXAMPLES
from kg.sparql.pool import QueryPool
from kg.sparql.protocol import Answer, serialize_graph, service_description
from web import errors
from web.conneg import GRAPH_TYPES, MEDIA_TYPES, RESULT_TYPES, choose_formats, negotiate
from web.errors import status_of
from web.results_table import answer_table

bp = Blueprint("sparql", __name__)
log = logging.getLogger("equal-kg")

#: Most rows the editor page renders; downloads go up to the endpoint's own cap.
PAGE_ROWS = 1000
_FORMS = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"


@bp.record_once
def _start_pool(state) -> None:  # type: ignore[no-untyped-def]
    """Give the app its query workers, started in the background so that start-up stays fast."""
    pool = QueryPool.from_settings(state.app.config["KG_SETTINGS"])
    state.app.extensions["kg_query_pool"] = pool
    pool.start()


def _execute(query: str, **options) -> Answer:  # type: ignore[no-untyped-def]
    """Run a client's query on the request's store through the app's worker pool."""
    return current_app.extensions["kg_query_pool"].execute(g.store, query, **options)


@bp.after_request
def _cors(response: Response) -> Response:
    """Let pages on other origins query the endpoint (GET, POST and the OPTIONS preflight)."""
    if request.endpoint == "sparql.endpoint" and current_app.config["KG_SETTINGS"].cors:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Expose-Headers"] = "X-Truncated, Retry-After"
        response.headers["Access-Control-Max-Age"] = "86400"
    response.headers.add("Vary", "Accept")
    return response


def _utf8_only() -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        abort(415, f"the request body must be UTF-8, not {charset}")


def _protocol_parameters() -> tuple[list[str], dict[str, list[str]]]:
    """Return the query strings and the other parameters of a protocol request.

    Raises ReadOnlyError for updates, and aborts with 415 for a POST in another media type.
    """
    params = {key: request.args.getlist(key) for key in request.args}
    queries = params.pop("query", [])
    if request.method == "POST":
        if request.mimetype == _UPDATE or (request.mimetype == _FORMS and "update" in request.form):
            raise ReadOnlyError("this endpoint is read-only: SPARQL Update is not accepted")
        if request.mimetype == _FORMS:
            _utf8_only()
            for key in request.form:
                params.setdefault(key, []).extend(request.form.getlist(key))
            queries = queries + params.pop("query", [])
        elif request.mimetype == _QUERY:
            _utf8_only()
            try:
                queries = [*queries, request.get_data().decode("utf-8")]
            except UnicodeDecodeError:
                abort(400, "the query is not valid UTF-8")
        else:
            abort(415, "POST a query as application/x-www-form-urlencoded (query=...) or as "
                       "application/sparql-query")
    if "update" in params:
        raise ReadOnlyError("this endpoint is read-only: SPARQL Update is not accepted")
    return queries, params


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():  # type: ignore[no-untyped-def]
    """Answer a SPARQL query; with no query, describe the service (people go to the editor)."""
    queries, params = _protocol_parameters()
    if len(queries) > 1:
        abort(400, "give exactly one query")
    if not queries:
        if request.method == "POST":
            abort(400, "no query given: send it as `query=` or as an application/sparql-query body")
        return _describe_service()
    fmt = next(iter(params.get("format", []) + params.get("output", []) + params.get("results", [])), None)
    results_format, graph_format = choose_formats(request.headers.get("Accept"), fmt)
    answer = _execute(queries[0], default_graphs=params.get("default-graph-uri"),
                     named_graphs=params.get("named-graph-uri"), results_format=results_format,
                     graph_format=graph_format, max_rows=g.settings.max_rows, base_iri=_endpoint_url())
    response = Response(answer.body, content_type=answer.media_type)
    response.headers["X-Truncated"] = "true" if answer.truncated else "false"
    return response


def _endpoint_url() -> str:
    base = g.settings.base_url.rstrip("/")
    return base + "/sparql" if base else url_for("sparql.endpoint", _external=True)


def _describe_service():  # type: ignore[no-untyped-def]
    fmt = negotiate(request.headers.get("Accept"), {**GRAPH_TYPES, "text/html": "html"}, "turtle")
    if fmt == "html":
        return redirect(url_for("sparql.editor"))
    description = service_description(_endpoint_url(), g.store.graphs())
    return Response(serialize_graph(description, fmt or "turtle"), content_type=MEDIA_TYPES[fmt or "turtle"])


@bp.get("/query")
def editor():  # type: ignore[no-untyped-def]
    """The query editor; with `?query=`, the query is run here and its answer shown as a table."""
    query = request.args.get("query", "")
    table = error = None
    status, retry_after = 200, None
    if query.strip():
        try:
            answer = _execute(query, results_format="json", graph_format="ntriples",
                              max_rows=min(g.settings.max_rows, PAGE_ROWS), base_iri=_endpoint_url())
            table = answer_table(g.store, answer)
        except (RequestError, QueryLimitError) as failure:  # shown on the page, with the endpoint's status
            errors.log_limit(failure)
            error, status, retry_after = str(failure), status_of(failure), errors.retry_after(failure)
    downloads = []
    if table is not None:
        names = (dict.fromkeys(GRAPH_TYPES.values()) if table.form == "graph"
                 else dict.fromkeys(RESULT_TYPES.values()))
        downloads = [(name, FORMATS[name].extension, url_for("sparql.endpoint", query=query, format=name))
                     for name in names]
    return render_template(
        "query.html", query=query or DEFAULT_QUERY, ran=bool(query.strip()), examples=EXAMPLES,
        table=table, error=error, downloads=downloads, max_rows=g.settings.max_rows,
        page_rows=min(g.settings.max_rows, PAGE_ROWS),
        share=url_for("sparql.editor", query=query, _external=True) if query.strip() else None,
    ), status, {"Retry-After": str(retry_after)} if retry_after else {}
