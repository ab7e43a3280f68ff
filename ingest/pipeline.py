"""Load documents into the store: read, link, build, and replace each document's graph atomically.

A file that cannot be read or parsed is reported with its file, line and reason; the other
files still load, and nothing already stored changes for the file that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from ingest.blocks import Document
from ingest.builder import BuildReport, build_strategy, build_summary
from ingest.errors import IngestError
from ingest.formats import SUFFIXES, read_documents
from ingest.formats.isolated import ReadLimits
from ingest.gazetteer import Entry, Gazetteer, NameIndex
from ingest.linker import Linker
from ingest.records import Strategy, Summary
from ingest.report import Reading, reading_of
from ingest.strategy_reader import is_strategy, read_strategy_blocks
from ingest.summary_reader import read_summary_blocks
from kg.rdf.namespaces import document_iri, slugify
from kg.rdf.reference import reference_digest, reference_graph
from kg.store.base import Store, ensure_reference

#: Triples written to the store at once (whole documents): a batch is one transaction, or one bulk
#: load into a snapshot; bounded so that memory stays flat however large the corpus.
WRITE_BATCH = 50_000
#: File name endings ingested when a folder is given.
DOCUMENT_SUFFIXES = tuple(SUFFIXES)


@dataclass
class IngestResult:
    """What a run loaded and what it refused."""

    reports: list[BuildReport] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether every file loaded."""
        return not self.errors


#: Files a folder often holds beside its documents; skipped when a folder is given (named files are read).
NOT_DOCUMENTS = ("readme", "license", "licence", "changelog", "contributing", "manifest")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the document files below them (sorted, each file once); keep files as given.

    In a folder, hidden files and a README, LICENSE or CHANGELOG beside the documents are skipped.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
                           and not p.stem.lower().startswith(NOT_DOCUMENTS)
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found = [path]
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files


def document_for(path: str | Path) -> URIRef:
    """Return the IRI of the document (and of its graph) a file is ingested as."""
    return document_iri(slugify(Path(path).stem))


def known_dps(store: Store) -> tuple[NameIndex, dict[str, set[str]]]:
    """Index the DPs already in the store by their labels and aliases; return them with their themes."""
    index = NameIndex()
    themes: dict[str, set[str]] = {}
    rows = store.select("""SELECT ?dp ?label ?alias ?notation WHERE {
        ?dp a eq:DevelopmentPartnership ; rdfs:label ?label .
        OPTIONAL { ?dp skos:altLabel ?alias } OPTIONAL { ?dp eq:theme/skos:notation ?notation } }""").rows
    for row in rows:
        entry = Entry(str(row["dp"]), str(row["label"]), "label")
        index.add(str(row["label"]), entry)
        if row["alias"] is not None:
            index.add(str(row["alias"]), Entry(entry.iri, entry.label, "alias"))
        if row["notation"] is not None:
            themes.setdefault(entry.iri, set()).add(str(row["notation"]))
    return index, themes


def read_record(document: Document, gazetteer: Gazetteer, dp_name: str | None = None) -> Summary | Strategy:
    """Read a document's blocks as a strategy (it has a WHAT/WHO table) or as a DP summary."""
    if is_strategy(document.blocks):
        return read_strategy_blocks(document.path, document.blocks, gazetteer.levels)
    return read_summary_blocks(document.path, document.blocks, dp_name, gazetteer.themes, document.format)


def load_gazetteer() -> Gazetteer:
    """Build the gazetteer from the curated graph shipped with the package."""
    return Gazetteer.from_graph(reference_graph())


def ingest_paths(store: Store | None, paths: Iterable[str | Path], dp_name: str | None = None,
                 progress: Callable[[Path], None] | None = None,
                 on_loaded: Callable[[BuildReport, Graph], None] | None = None,
                 limits: ReadLimits | None = None) -> IngestResult:
    """Ingest files and folders into the store, one atomic graph per document.

    Files are read whatever their format (text, Markdown, HTML, Word, PDF). Summaries are built
    before strategies, so DP names they define help split unseparated DP lists. `progress` is
    called once per file; `on_loaded` after each document is stored. Documents are written in
    batches of about WRITE_BATCH triples, each while the next is built. With no store (a dry
    run) everything is read, linked and reported, and nothing is written.
    """
    if store is not None:
        ensure_reference(store, reference_graph(), reference_digest())
    gazetteer = load_gazetteer()
    dps, themes = known_dps(store) if store is not None else (NameIndex(), {})
    linker = Linker(gazetteer, dps, themes)
    result = IngestResult()
    files = expand_paths(paths)
    position = {path: index for index, path in enumerate(files)}
    parsed: list[tuple[Document, Summary | Strategy, Reading]] = []
    for path, document in read_documents(files, limits):
        try:
            if isinstance(document, IngestError):
                raise document
            record = read_record(document, gazetteer, dp_name)
            parsed.append((document, record, reading_of(document, record)))
        except IngestError as error:
            result.errors.append(error)
            if progress:
                progress(path)
    # in the order given, summaries first: workers finish in any order, but IRIs given to a second
    # DP of the same name, and the report, must not depend on which file a worker read first
    parsed.sort(key=lambda item: (isinstance(item[1], Strategy), position[Path(item[0].path)]))
    result.errors.sort(key=lambda error: position.get(Path(error.path), len(files)))
    with _BatchWriter(store, result, on_loaded) as writer:
        batch: list[tuple[BuildReport, Graph]] = []
        size = 0
        for document, record, reading in parsed:
            doc = document_for(document.path)
            if isinstance(record, Strategy):
                graph, report = build_strategy(doc, record, document.text, linker, document.sha256,
                                               document.format)
            else:
                graph, report = build_summary(doc, record, document.text, linker, document.sha256)
            reading.warnings.extend(w for w in report.warnings if w not in reading.warnings)
            if isinstance(record, Strategy):
                reading.dps = report.dp_names
            result.readings.append(reading)
            batch.append((report, graph))
            size += len(graph)
            if progress:
                progress(Path(document.path))
            if size >= WRITE_BATCH:
                writer.write(batch)
                batch, size = [], 0
        writer.write(batch)
    return result


class _BatchWriter:
    """Writes batches of built documents in a background thread, one batch at a time and in order.

    The store loads a batch (Oxigraph releases the GIL while it writes) while the next batch is
    built: at 5,000 DPs that hides most of the 10 s Oxigraph spends loading 1.46 million triples.
    A failed write is raised by the next `write` or on leaving the block; reports are recorded,
    and `on_loaded` called, once their batch is stored.
    """

    def __init__(self, store: Store | None, result: IngestResult,
                 on_loaded: Callable[[BuildReport, Graph], None] | None) -> None:
        self.store, self.result, self.on_loaded = store, result, on_loaded
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer")
        self._pending: tuple[Future[None], list[tuple[BuildReport, Graph]]] | None = None

    def write(self, batch: list[tuple[BuildReport, Graph]]) -> None:
        """Wait for the batch being written, then start writing this one."""
        self._finish()
        if batch and self.store is None:  # a dry run: built and reported, never written
            self.result.reports.extend(report for report, _graph in batch)
        elif batch:
            graphs = [(report.document, graph) for report, graph in batch]
            self._pending = (self._thread.submit(self.store.replace_graphs, graphs), batch)

    def _finish(self) -> None:
        if self._pending is None:
            return
        future, batch = self._pending
        self._pending = None
        future.result()
        for report, graph in batch:
            self.result.reports.append(report)
            if self.on_loaded:
                self.on_loaded(report, graph)

    def __enter__(self) -> _BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._finish()
        finally:
            self._thread.shutdown(wait=True)


def find_document(store: Store, name: str) -> str | None:
    """Find a stored document by IRI, file name or slug; return its graph IRI."""
    candidates = [name, str(document_for(name)), str(document_iri(slugify(name)))]
    for candidate in candidates:
        if candidate.startswith("http") and store.has_graph(candidate):
            return candidate
    rows = store.select(f"""SELECT ?doc WHERE {{ ?doc a eq:Document ; eq:fileName ?f .
        FILTER(?f = "{Path(name).name.replace('"', '')}") }}""").rows
    return str(rows[0]["doc"]) if rows else None


def remove_document(store: Store, name: str) -> str | None:
    """Remove a document's graph; return its IRI, or None if no such document is stored."""
    doc = find_document(store, name)
    if doc is None:
        return None
    store.remove_graph(doc)
    return doc


def sample_corpus() -> Path:
    """Return the folder of the sample corpus bundled with the package."""
    return Path(__file__).parent / "sample_corpus"
