"""The `kg` command: a thin layer over the same functions the web app uses."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import click

from ingest.formats.isolated import ReadLimits
from ingest.pipeline import IngestResult, expand_paths, ingest_paths, remove_document, sample_corpus
from ingest.publish import changing, ingest_into
from kg.errors import QueryError, RequestError, StoreError
from kg.rdf.formats import EXPORT_FORMATS
from kg.read.queries import dps_targeting, stats
from kg.read.resolve import resolve_body
from kg.settings import Settings
from kg.sparql.protocol import refuse_service
from kg.store.base import Store
from kg.store.export import write_export
from kg.store.opening import open_reader, open_store, snapshot_root
from kg.store.validate import validate_store
from web.terminal import table

STORE_HELP = "Store directory (default: $KG_STORE, else ~/.local/share/equal-kg/store)."


@contextlib.contextmanager
def _open(store: str | None, read_only: bool = False) -> Iterator[Store]:
    """Open the store named by --store or the settings, or exit with the reason.

    Read-only opens see the current snapshot; otherwise the changes made in the block, with the search
    index brought up to date, are published as one new snapshot when it ends without error, and
    discarded if it fails (`ingest.publish.changing`).
    """
    settings = Settings.from_env(store=store)
    try:
        opened = open_reader(settings.store) if read_only else changing(settings.store, settings)
        with opened as kg_store:
            yield kg_store
    except StoreError as error:
        raise click.ClickException(str(error)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="equal-kg")
def main() -> None:
    """equal-kg: a knowledge graph of EQUAL Development Partnerships and who they target."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--store", help=STORE_HELP)
@click.option("--dp-name", help="Name of the DP a summary describes, when its text does not say.")
@click.option("--sample", is_flag=True, help="Also ingest the bundled sample corpus.")
@click.option("--dry-run", is_flag=True, help="Read and report every file; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Report what was read from each file as JSON.")
def ingest(paths: tuple[Path, ...], store: str | None, dp_name: str | None, sample: bool, dry_run: bool,
           as_json: bool) -> None:
    """Ingest documents (files or folders; .txt, .md, .html, .docx, .pdf): DP summaries and strategies."""
    targets = list(paths) + ([sample_corpus()] if sample else [])
    if not targets:
        raise click.UsageError("give files or folders to ingest, or --sample")
    limits = ReadLimits.from_settings(Settings.from_env(store=store))
    if dry_run:
        result = _ingest_with_progress(None, targets, dp_name, limits)
    else:
        with _open(store) as kg_store:
            result = _ingest_with_progress(kg_store, targets, dp_name, limits)
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, "documents": [r.as_dict() for r in result.readings],
                               "errors": [{"file": e.path, "line": e.line, "reason": e.reason}
                                          for e in result.errors]}, indent=2))
    else:
        _print_readings(result)
        if not dry_run:
            _print_ingest(result)
        else:
            for error in result.errors:
                click.echo(f"error: {error}", err=True)
    if result.errors:
        sys.exit(1)


#: Most files whose readings `kg ingest` prints one by one; past that, --json gives them.
READINGS_SHOWN = 200


def _print_readings(result: IngestResult) -> None:
    """Print what was read from each file: format, genre, DP and how it was found, theme, warnings."""
    if len(result.readings) > READINGS_SHOWN:
        click.echo(f"Read {len(result.readings)} files ({sum(bool(r.warnings) for r in result.readings)} with "
                   "warnings); use --json for what was read from each.")
        return
    for reading in result.readings:
        for line in reading.describe():
            click.echo(line)


def _ingest_with_progress(store: Store | None, targets: list[Path], dp_name: str | None,
                          limits: ReadLimits) -> IngestResult:
    """Ingest (or, with no store, only read), showing a progress bar on a terminal."""
    total = len(expand_paths(targets))
    if not sys.stderr.isatty() or total < 5:
        return ingest_paths(store, targets, dp_name, limits=limits)
    with click.progressbar(length=total, label="Reading", file=sys.stderr) as bar:
        return ingest_paths(store, targets, dp_name, progress=lambda _path: bar.update(1), limits=limits)


def _print_ingest(result: IngestResult) -> None:
    """Print what was loaded and what was refused."""
    dps = set().union(*(r.dps for r in result.reports)) if result.reports else set()
    bodies = set().union(*(r.bodies for r in result.reports)) if result.reports else set()
    unreconciled = sorted({name for r in result.reports for name in r.unreconciled})
    click.echo(f"Loaded {len(result.reports)} document(s): {len(dps)} DPs, {len(bodies)} bodies, "
               f"{sum(r.activities for r in result.reports)} activities, "
               f"{sum(r.triples for r in result.reports)} triples.")
    for report in result.reports:
        click.echo(f"  {report.kind:8} {report.document}  ({report.triples} triples)")
    if unreconciled:
        click.echo(f"Unreconciled names ({len(unreconciled)}), kept as new bodies:")
        for name in unreconciled:
            click.echo(f"  - {name}")
    for error in result.errors:
        click.echo(f"error: {error}", err=True)


@main.command()
@click.argument("sparql", required=False)
@click.option("--file", "-f", "query_file", type=click.File("r"), help="Read the query from a file.")
@click.option("--store", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml"]),
              default="table", show_default=True, help="Results format (json = SPARQL 1.1 JSON).")
def query(sparql: str | None, query_file: click.utils.LazyFile | None, store: str | None,
          fmt: str) -> None:
    """Run a SPARQL query: the text, a file with --file, or '-' (or nothing) for standard input.

    Standard prefixes (eq:, dp:, body:, theme:, skos:, ...) are declared for you.
    """
    if query_file is not None:
        text = query_file.read()
    elif sparql in (None, "-"):
        text = sys.stdin.read()
    elif _is_file(sparql):
        text = Path(sparql).read_text(encoding="utf-8")
    else:
        text = sparql
    if not text.strip():
        raise click.UsageError("no query given")
    with _open(store, read_only=True) as kg_store:
        try:
            refuse_service(text)  # the engine would fetch from any URL a SERVICE names
            if fmt == "table":
                form, body = kg_store.query_serialized(text, "json", "turtle")
                if form == "select":
                    click.echo(table(kg_store.select(text)))
                else:
                    click.echo(body.decode("utf-8").strip())
            else:
                _, body = kg_store.query_serialized(text, fmt, "turtle")
                click.echo(body.decode("utf-8").rstrip("\n"))
        except QueryError as error:
            raise click.ClickException(str(error)) from None


def _reindex_if_stale(settings: Settings) -> None:
    """Rebuild the current snapshot's search index, as a new snapshot, if another version of the code wrote
    it (`INDEX_VERSION`): once, before serving, never inside a request or in a published snapshot."""
    from kg.search.index import index_is_current

    try:
        with open_reader(settings.store) as current:
            stale = bool(current.index_location) and not index_is_current(current.index_location)
    except StoreError:
        return  # nothing published yet
    if stale:
        click.echo("The search index was written by another version of equal-kg: rebuilding it (once).")
        try:
            with changing(settings.store, settings):
                pass  # publishing re-indexes the copy: a whole build, as the version differs
        except StoreError as error:
            raise click.ClickException(str(error)) from None


def _is_file(argument: str) -> bool:
    """Tell whether a query argument names a file rather than holding the query itself."""
    if "\n" in argument or "{" in argument or len(argument) > 1024:
        return False
    try:
        return Path(argument).is_file()
    except OSError:
        return False


@main.command()
@click.option("--store", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), required=True,
              help="Serialisation format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to a file instead of standard output.")
def export(store: str | None, fmt: str, output: Path | None) -> None:
    """Export the whole graph (every named graph) as JSON-LD, Turtle, TriG, N-Quads or N-Triples."""
    with _open(store, read_only=True) as kg_store:
        if output is None:
            write_export(kg_store, fmt, sys.stdout.buffer)
            return
        with output.open("wb") as out:
            write_export(kg_store, fmt, out)
    click.echo(f"Wrote {output.stat().st_size:,} bytes to {output}", err=True)


@main.command("stats")
@click.option("--store", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def stats_command(store: str | None, fmt: str) -> None:
    """Count documents, DPs, bodies, activities and triples."""
    with _open(store, read_only=True) as kg_store:
        counts = asdict(stats(kg_store))
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
    else:
        for name, value in counts.items():
            click.echo(f"{name.replace('_', ' '):20} {value:>10,}")


@main.command()
@click.option("--store", help=STORE_HELP)
def validate(store: str | None) -> None:
    """Validate the whole graph against the SHACL shapes; exit 1 if it does not conform."""
    with _open(store, read_only=True) as kg_store:
        report = validate_store(kg_store)
    if report.conforms:
        click.echo("Conforms: the graph satisfies every shape in ontology/shapes.ttl.")
        return
    click.echo(report.text)
    sys.exit(1)


@main.command()
@click.argument("document")
@click.option("--store", help=STORE_HELP)
def remove(document: str, store: str | None) -> None:
    """Remove a document (by file name, slug or IRI) and everything read from it."""
    with _open(store) as kg_store:
        removed = remove_document(kg_store, document)
    if removed is None:
        raise click.ClickException(f"no stored document matches {document!r} (see `kg stats`)")
    click.echo(f"Removed {removed}")


@main.command()
@click.argument("body")
@click.option("--store", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def targets(body: str, store: str | None, fmt: str) -> None:
    """Which DPs target BODY? (a name, alias, abbreviation or IRI), with the source cells."""
    with _open(store, read_only=True) as kg_store:
        iri = resolve_body(kg_store, body)
        if iri is None:
            raise click.ClickException(f"no body is known as {body!r}")
        answers = dps_targeting(kg_store, iri)
    if fmt == "json":
        click.echo(json.dumps({"body": iri, "targets": [asdict(a) for a in answers]}, indent=2))
        return
    click.echo(f"DPs targeting {iri}:")
    for answer in answers:
        level = (answer.level or "").rsplit("/", 1)[-1]
        click.echo(f"  {answer.dp_label:28} theme {answer.theme or '?'}  {level:15} row {answer.row}"
                   f"  as '{answer.written}'  ({answer.policy_area})")


@main.command()
@click.argument("name")
@click.option("--store", help=STORE_HELP)
@click.option("--same-theme", is_flag=True, help="Only partners from the DP's own theme (default: other themes first).")
@click.option("--limit", type=int, default=10, show_default=True, help="How many partners to show.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def partners(name: str, store: str | None, same_theme: bool, limit: int, fmt: str) -> None:
    """Which DPs could act with NAME (a DP, or a body), ranked, with the shared bodies as reasons."""
    from kg.network.graph import build_graph
    from kg.network.partners import find_partners, partners_for_bodies
    from kg.read.resolve import resolve_dp

    with _open(store, read_only=True) as kg_store:
        graph = build_graph(kg_store)
        try:
            dp = resolve_dp(kg_store, name)
            if dp is not None:
                result = find_partners(kg_store, graph, dp, "same" if same_theme else "other-first", limit)
            elif (body := resolve_body(kg_store, name)) is not None:
                result = partners_for_bodies(kg_store, graph, [body], limit=limit)
            else:
                raise click.ClickException(f"no DP or body is known as {name!r}")
        except RequestError as error:
            raise click.ClickException(str(error)) from None
    if fmt == "json":
        click.echo(json.dumps(asdict(result), indent=2))
        return
    click.echo(f"Partners for {result.query_label} ({result.total} found, {result.scope}):")
    for rank, p in enumerate(result.partners, 1):
        reasons = ", ".join(r.label for r in p.bodies)
        click.echo(f"{rank:3}. {p.label:28} theme {p.theme or '?'}  score {p.score:6.2f}  shares: {reasons}")


def _search_index(kg_store: Store, store: str | None):  # type: ignore[no-untyped-def]
    """Return the search index of a store (beside it unless $KG_INDEX says where)."""
    from kg.search.service import SearchIndex

    return SearchIndex(kg_store, Settings.from_env(store=store).index)


@main.command()
@click.argument("query_text", metavar="QUERY", required=False, default="")
@click.option("--facet", "facets", multiple=True, help="Refine by name:value (theme:D, kind:row, body:dti); repeat.")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--page-size", type=int, default=20, show_default=True)
@click.option("--store", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def search(query_text: str, facets: tuple[str, ...], page: int, page_size: int, store: str | None,
           fmt: str) -> None:
    """Full-text search: words, "phrases", AND/OR/NOT, wild*cards, field:terms, typos~; body names expand."""
    from kg.errors import SearchError

    with _open(store, read_only=True) as kg_store:
        try:
            results = _search_index(kg_store, store).search(query_text, list(facets), page, page_size)
        except SearchError as error:
            raise click.ClickException(str(error)) from None
    if fmt == "json":
        click.echo(json.dumps(results.to_dict(), indent=2))
        return
    click.echo(f"{results.total} result(s) for {results.query or '(all)'}"
               + (f" [{', '.join(results.selected)}]" if results.selected else "")
               + (f"  (page {results.page} of {results.pages})" if results.pages > 1 else ""))
    if results.message:
        click.echo(results.message)
    for hit in results.hits:
        click.echo(f"  {hit.kind:8} {hit.title[:70]:70}  {hit.url}")
    for name, values in results.facets.items():
        click.echo(f"  {name}: " + ", ".join(f"{v.value} ({v.count})" for v in values[:8]))


@main.command()
@click.option("--store", help=STORE_HELP)
def reindex(store: str | None) -> None:
    """Rebuild the full-text search index from the store."""
    import time

    with _open(store) as kg_store:
        index = _search_index(kg_store, store)
        started = time.perf_counter()
        count = index.rebuild()
    click.echo(f"Indexed {count} search documents into {index.location} in {time.perf_counter() - started:.2f} s")


@main.command()
@click.option("--store", help=STORE_HELP)
@click.option("--host", help="Address to listen on (default: $KG_HOST, else 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default: $KG_PORT, else 8080).")
@click.option("--no-sample", is_flag=True, help="Do not load the sample corpus into an empty store.")
def serve(store: str | None, host: str | None, port: int | None, no_sample: bool) -> None:
    """Serve the web app and SPARQL endpoint with a production WSGI server (waitress)."""
    from waitress import serve as waitress_serve

    from kg.memory import limit_arenas
    from kg.read.queries import document_graphs
    from web.app import create_app

    limit_arenas()  # before any thread starts: see kg/memory.py
    settings = Settings.from_env(store=store, host=host, port=port)
    root = snapshot_root(settings.store)
    if root is None:  # memory:, a remote endpoint or a plain database: served as it is
        try:
            kg_store = open_store(settings.store)
        except StoreError as error:
            raise click.ClickException(str(error)) from None
        if not no_sample and not document_graphs(kg_store):
            click.echo("The store holds no documents: loading the bundled sample corpus.")
            _print_ingest(ingest_paths(kg_store, [sample_corpus()], limits=ReadLimits.from_settings(settings)))
        app = create_app(settings, kg_store)
    else:  # a snapshot root: served read-only, following what `kg ingest` publishes
        _reindex_if_stale(settings)
        if not no_sample and root.current() is None:
            click.echo("The store holds no documents: loading the bundled sample corpus.")
            try:
                result = ingest_into(settings.store, [sample_corpus()], settings)
            except StoreError as error:
                raise click.ClickException(str(error)) from None
            _print_ingest(result)
        app = create_app(settings)
    app.debug = False  # never debug behaviour in production, whatever FLASK_DEBUG says
    if not logging.getLogger().handlers:  # errors (with tracebacks) and warnings go to stderr, timestamped
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"Serving {settings.store} on http://{settings.host}:{settings.port}/ (Ctrl+C to stop)")
    # waitress stops reading a body past twice KG_MAX_BODY (a 413 or a closed connection), so a huge
    # upload is never buffered; up to that, the app answers its own 413 with a message
    waitress_serve(app, host=settings.host, port=settings.port, threads=settings.threads,
                   ident="equal-kg", clear_untrusted_proxy_headers=True,
                   max_request_body_size=2 * settings.max_body + 1)


@main.command()
@click.argument("count", metavar="N", type=click.IntRange(min=1))
@click.argument("out_dir", metavar="OUT_DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed: the same N and seed give the same files.")
@click.option("--force", is_flag=True, help="Replace what an earlier run wrote in OUT_DIR.")
@click.option("--formats", default="txt", show_default=True,
              help="File formats to write, comma-separated (txt, html, docx, pdf); each file takes one of them.")
@click.option("--layout", type=click.Choice(["classic", "pages", "mixed"]), default="classic", show_default=True,
              help="Summaries as the sample writes them (classic), as DP web pages (pages), or both (mixed).")
def generate(count: int, out_dir: Path, seed: int, force: bool, formats: str, layout: str) -> None:
    """Write a synthetic corpus of N DPs (summaries, strategy tables, manifest.json) for tests and benchmarks."""
    from ingest.synthetic.corpus import OUTPUT_PARTS, clear_output, generate_corpus
    from ingest.synthetic.output import Output

    try:
        output = Output(tuple(f.strip().lower() for f in formats.split(",") if f.strip()), layout)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--formats") from None
    if any((out_dir / part).exists() for part in OUTPUT_PARTS):
        if not force:
            raise click.ClickException(f"{out_dir} already holds a generated corpus; pass --force to replace it")
        clear_output(out_dir)
    manifest = generate_corpus(count, seed, out_dir, output)
    counts = manifest.counts
    click.echo(f"Wrote {counts['summaries']} DP summaries and {counts['strategies']} strategies "
               f"({counts['sections']} policy-area sections) to {out_dir} in {manifest.seconds:.1f} s.")
    click.echo(f"Ground truth in {manifest.path}: {counts['links']} DP-body links "
               f"({counts['links_per_dp']} per DP), {counts['bodies_targeted']} bodies targeted "
               f"({counts['unknown_bodies_targeted']} not in the gazetteer).")


if __name__ == "__main__":
    main()
