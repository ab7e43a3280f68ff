"""The full-text index: its whoosh schema, and building and updating it from the store.

The index is built from the store, never from raw files, so search and graph cannot disagree.
Every search document names the document graphs it was read from (`source`), so one document
can be re-indexed on its own: drop what came from it, add it again, refresh the DPs and bodies
it mentions. Each document's `sha256` (and the curated graph's) is kept in the index, so
`sync_index` can tell which documents changed since the index was last written.
"""

from __future__ import annotations

import itertools
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.index import Index

from kg.rdf.namespaces import CURATED_GRAPH
from kg.rdf.sparql_text import values_clause
from kg.search.entries import (
    FACETS,
    META_TITLE,
    TEXT_FIELDS,
    Entry,
    body_entries,
    document_entries,
    dp_entries,
    entry_batches,
    manifest,
    row_entries,
)
from kg.store.base import Store

#: Seconds a writer waits for another writer's lock before giving up.
WRITE_TIMEOUT = 30.0
#: A whole-index build for at least PARALLEL_FROM DPs (about twice as many search documents) runs
#: in PARALLEL_WRITERS processes, each sorting postings in LIMIT_MB of memory.
PARALLEL_FROM = 1_000
PARALLEL_WRITERS = 2
LIMIT_MB = 256

_ANALYZER = StemmingAnalyzer()
_LOCK = threading.Lock()


def make_schema() -> Schema:
    """Return the index schema: identity, stored display data, text fields, facet keywords."""
    fields: dict[str, Any] = {
        "id": ID(stored=True, unique=True), "source": KEYWORD(stored=True, commas=True),
        "sha": STORED(), "title": STORED(), "url": STORED(), "cells": STORED(), "context": STORED(),
        "content": TEXT(analyzer=_ANALYZER),
    }
    for name in TEXT_FIELDS:
        fields[name] = TEXT(analyzer=_ANALYZER, stored=True)
    for name in FACETS:
        fields[name] = KEYWORD(stored=True, commas=True, lowercase=True)
    return Schema(**fields)


_RAM: dict[str, Index] = {}


def open_index(location: str, create: bool = False) -> Index:
    """Open the index at a location (`memory:` keeps one per process), creating it if absent or asked."""
    if location == "memory:":
        if create or location not in _RAM:
            _RAM[location] = RamStorage().create_index(make_schema())
        return _RAM[location]
    path = Path(location)
    if create and path.exists():
        shutil.rmtree(path)
    if not whoosh_index.exists_in(str(path)):
        path.mkdir(parents=True, exist_ok=True)
        return whoosh_index.create_in(str(path), make_schema())
    return whoosh_index.open_dir(str(path))


def _writer_options(location: str, dps: int) -> dict[str, Any]:
    """Return how to write a whole index of this many DPs: a large one on disk in PARALLEL_WRITERS processes.

    Whoosh then analyses and sorts postings in each process and keeps one segment per process,
    with a larger sorting pool (LIMIT_MB each); at 5,000 DPs (11,779 search documents) that
    took the build from 41 s to 19 s here. Small indexes (the tests, a few documents) stay in
    this process: forking costs more than it saves there. Segments are never compound files:
    whoosh copies a compound segment into memory when it opens it (46 MB per server at 5,000 DPs),
    where separate files are read from the page cache.
    """
    if location == "memory:":
        return {}
    if dps < PARALLEL_FROM:
        return {"compound": False}
    return {"procs": PARALLEL_WRITERS, "multisegment": True, "limitmb": LIMIT_MB, "compound": False}


def build_index(store: Store, location: str) -> int:
    """Rebuild the whole index from the store; return the number of search documents.

    On disk the new index is written beside the old one and swapped in when complete.
    """
    batches = entry_batches(store)
    dps = next(batches)
    written = 0
    with _LOCK:
        if location == "memory:":
            ix = open_index(location, create=True)
        else:
            final = Path(location)
            fresh = final.with_name(final.name + ".new")
            ix = open_index(str(fresh), create=True)
        writer = ix.writer(timeout=WRITE_TIMEOUT, **_writer_options(location, len(dps)))
        try:
            for batch in itertools.chain([dps], batches):  # the writer processes index a batch while the next is read
                for entry in batch:
                    writer.add_document(**entry.fields())
                written += len(batch)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        if location != "memory:":
            ix.close()
            old = final.with_name(final.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if final.exists():
                final.rename(old)
            fresh.rename(final)
            shutil.rmtree(old, ignore_errors=True)
    return written


def update_index(store: Store, location: str, docs: Iterable[str]) -> int:
    """Re-index the documents with these graph IRIs (loaded, changed or removed); return documents written.

    What came from each document is dropped; its rows and its own entry are added again if the
    store still holds it; every DP and body it named before or names now is re-read from the store.
    """
    docs = list(docs)
    ix = open_index(location)
    with _LOCK:
        dps: set[str] = set()
        bodies: set[str] = set()
        with ix.searcher() as searcher:
            for doc in docs:
                for stored in searcher.documents(source=doc):
                    (dps if stored["kind"] == "dp" else bodies if stored["kind"] == "body" else set()).add(stored["id"])
        present = [doc for doc in docs if store.has_graph(doc)]
        entries: list[Entry] = []
        if present:
            vals = values_clause("?g", present)
            for row in store.values(f"""SELECT DISTINCT ?x ?kind WHERE {{ {vals} GRAPH ?g {{
                    {{ ?x a eq:DevelopmentPartnership BIND("dp" AS ?kind) }} UNION
                    {{ ?s ?p ?x . VALUES ?p {{ eq:targets eq:audience eq:mentions }} BIND("body" AS ?kind) }} }} }}
                    """):
                (dps if str(row["kind"]) == "dp" else bodies).add(str(row["x"]))
            entries += row_entries(store, present) + document_entries(store, present)
        if dps:
            entries += dp_entries(store, sorted(dps))
        if bodies:
            entries += body_entries(store, sorted(bodies))
        writer = ix.writer(timeout=WRITE_TIMEOUT, compound=False)
        try:
            for doc in docs:
                writer.delete_by_term("source", doc)
            for entry in entries:
                writer.update_document(**entry.fields())
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    return len(entries)


def indexed_manifest(ix: Index) -> dict[str, str]:
    """Return the checksums the index was built from, by graph IRI."""
    with ix.searcher() as searcher:
        return {stored["id"]: stored.get("sha", "") for kind in ("document", "meta")
                for stored in searcher.documents(kind=kind)}


def index_is_current(location: str) -> bool:
    """Tell whether an index exists at a location and was written by this version of what is indexed."""
    return index_exists(location) and _this_version(open_index(location))


def _this_version(ix: Index) -> bool:
    """Tell whether the index was written by this version of what is indexed (`INDEX_VERSION`)."""
    with ix.searcher() as searcher:
        return any(stored.get("title") == META_TITLE for stored in searcher.documents(kind="meta"))


def index_exists(location: str) -> bool:
    """Tell whether an index has been written at a location."""
    return location in _RAM if location == "memory:" else whoosh_index.exists_in(location)


def sync_index(store: Store, location: str) -> str:
    """Bring the index up to date with the store; return what was done ('fresh', 'updated N', 'built')."""
    current = manifest(store)
    if not index_exists(location):
        build_index(store, location)
        return "built"
    ix = open_index(location)
    known = indexed_manifest(ix)
    curated = str(CURATED_GRAPH)
    if known.get(curated) != current.get(curated) or not _this_version(ix):
        build_index(store, location)  # new reference data, or an index written by another version
        return "built"
    changed = sorted({g for g in set(current) | set(known) if current.get(g) != known.get(g)})
    if changed:
        update_index(store, location, changed)
        return f"updated {len(changed)}"
    return "fresh"

