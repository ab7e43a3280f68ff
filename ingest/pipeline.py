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

from ingest.builder import BuildReport, build_strategy, build_summary
from ingest.errors import IngestError
from ingest.gazetteer import Entry, Gazetteer, NameIndex
from ingest.linker import Linker
from ingest.records import Strategy, Summary
from ingest.source import read_text
from ingest.strategy_reader import read_strategy
from ingest.summary_reader import read_summary
from kg.namespaces import document_iri, slugify
from kg.reference import reference_digest, reference_graph
from kg.store import Store, ensure_reference

#: Triples written to the store at once (whole documents): a batch is one transaction, or one bulk
#: load into a snapshot; bounded so that memory stays flat however large the corpus.
WRITE_BATCH = 50_000
#: File name endings ingested when a folder is given.
DOCUMENT_SUFFIXES = (".txt", ".text", ".tsv")


@dataclass
class IngestResult:
    """What a run loaded and what it refused."""

    reports: list[BuildReport] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether every file loaded."""
        return not self.errors


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the document files below them (sorted); keep files as given."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
                                and not any(part.startswith(".")
                                            for part in p.relative_to(path).parts)))
        else:
            files.append(path)
    return files


def document_for(path: str | Path) -> URIRef:
    """Return the IRI of the document (and of its graph) a file is ingested as."""
    return document_iri(slugify(Path(path).stem))


def looks_like_strategy(text: str) -> bool:
    """Tell whether a text is a strategy (it has a tab-separated table) rather than a summary."""
    return sum(1 for line in text.split("\n") if line.count("\t") >= 2) >= 1


def known_dps(store: Store) -> NameIndex:
    """Index the DPs already in the store by their labels and aliases."""
    index = NameIndex()
    rows = store.select("""SELECT ?dp ?label ?alias WHERE {
        ?dp a eq:DevelopmentPartnership ; rdfs:label ?label .
        OPTIONAL { ?dp skos:altLabel ?alias } }""").rows
    for row in rows:
        entry = Entry(str(row["dp"]), str(row["label"]), "label")
        index.add(str(row["label"]), entry)
        if row["alias"] is not None:
            index.add(str(row["alias"]), Entry(entry.iri, entry.label, "alias"))
    return index


def load_gazetteer() -> Gazetteer:
    """Build the gazetteer from the curated graph shipped with the package."""
    return Gazetteer.from_graph(reference_graph())


def ingest_paths(store: Store, paths: Iterable[str | Path], dp_name: str | None = None,
                 progress: Callable[[Path], None] | None = None,
                 on_loaded: Callable[[BuildReport, Graph], None] | None = None) -> IngestResult:
    """Ingest files and folders into the store, one atomic graph per document.

    Summaries are read before strategies, so DP names they define help split unseparated
    DP lists. `progress` is called once per file; `on_loaded` after each document is stored.
    Documents are written in batches of about WRITE_BATCH triples, each while the next is built.
    """
    ensure_reference(store, reference_graph(), reference_digest())
    gazetteer = load_gazetteer()
    linker = Linker(gazetteer, known_dps(store))
    result = IngestResult()
    parsed: list[tuple[Path, str, Summary | Strategy]] = []
    for path in expand_paths(paths):
        try:
            text = read_text(path)
            record: Summary | Strategy
            if looks_like_strategy(text):
                record = read_strategy(str(path), text, gazetteer.levels)
            else:
                record = read_summary(str(path), text, dp_name)
            parsed.append((path, text, record))
        except IngestError as error:
            result.errors.append(error)
            if progress:
                progress(path)
    parsed.sort(key=lambda item: isinstance(item[2], Strategy))
    with _BatchWriter(store, result, on_loaded) as writer:
        batch: list[tuple[BuildReport, Graph]] = []
        size = 0
        for path, text, record in parsed:
            doc = document_for(path)
            if isinstance(record, Strategy):
                report, graph = build_strategy(doc, record, text, linker)[::-1]
            else:
                report, graph = build_summary(doc, record, text, linker)[::-1]
            batch.append((report, graph))
            size += len(graph)
            if progress:
                progress(path)
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

    def __init__(self, store: Store, result: IngestResult,
                 on_loaded: Callable[[BuildReport, Graph], None] | None) -> None:
        self.store, self.result, self.on_loaded = store, result, on_loaded
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer")
        self._pending: tuple[Future[None], list[tuple[BuildReport, Graph]]] | None = None

    def write(self, batch: list[tuple[BuildReport, Graph]]) -> None:
        """Wait for the batch being written, then start writing this one."""
        self._finish()
        if batch:
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
