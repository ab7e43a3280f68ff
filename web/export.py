"""Downloads of the whole graph, the published JSON-LD context, and the vocabulary at /ns."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator

from flask import Blueprint, Response, abort, g, redirect, render_template, request

from kg.rdf.formats import EXPORT_FORMATS, FORMATS
from kg.rdf.vocabulary import vocabulary_turtle
from kg.store.export import jsonld_context, write_export
from web.conneg import GRAPH_TYPES, negotiate

bp = Blueprint("export", __name__)

#: Download suffixes of /export/graph.<suffix> and the export format each one names.
SUFFIXES = {FORMATS[name].extension: name for name in EXPORT_FORMATS}


@bp.get("/export")
def export_page() -> str:
    """List the downloads."""
    downloads = [(suffix, name, FORMATS[name].media_type) for suffix, name in SUFFIXES.items()]
    return render_template("export.html", downloads=downloads)


@bp.get("/export/graph.<suffix>")
def export_graph_file(suffix: str) -> Response:
    """Download the whole graph in one format, every named graph kept where the format allows."""
    if suffix not in SUFFIXES:
        abort(404, f"no export as .{suffix}: use one of {', '.join(sorted(SUFFIXES))}")
    fmt = SUFFIXES[suffix]
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by the streaming generator below
    write_export(g.store, fmt, spool)
    size = spool.tell()
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(1 << 20):
                yield block

    response = Response(chunks(), content_type=FORMATS[fmt].media_type)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = f'attachment; filename="equal-kg.{suffix}"'
    return response


@bp.get("/ns/context.jsonld")
def context() -> Response:
    """The published JSON-LD @context every export and entity document is compacted with."""
    body = json.dumps({"@context": jsonld_context()}, indent=1)
    response = Response(body, mimetype="application/ld+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/ns")
def namespace():  # type: ignore[no-untyped-def]
    """The vocabulary: Turtle for RDF clients, the vocabulary page for people."""
    turtle = {media: name for media, name in GRAPH_TYPES.items() if name == "turtle"}
    fmt = request.args.get("format") or negotiate(request.headers.get("Accept"), {"text/html": "html", **turtle},
                                                  "html")
    if fmt == "turtle":
        return Response(vocabulary_turtle(), content_type=FORMATS["turtle"].media_type, headers={"Vary": "Accept"})
    return redirect("/vocabulary", code=303)
