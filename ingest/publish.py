"""Change a store location as one step: the documents' graphs and the search index published together.

The CLI's `ingest`, `remove` and first `serve`, and the tests, all write through `changing`: on a
snapshot root the change and the re-indexed search index appear in one new snapshot, or not at all.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ingest.formats.isolated import ReadLimits
from ingest.pipeline import IngestResult, ingest_paths
from kg.errors import SearchError, StoreError
from kg.search.service import SearchIndex
from kg.settings import Settings
from kg.store.base import Store
from kg.store.opening import writing

log = logging.getLogger("equal-kg")


def sync_search(store: Store, index: str = "") -> None:
    """Re-index the documents that changed in a store (`index`: KG_INDEX, where the store has no snapshots).

    Raises:
        StoreError: a snapshot's index could not be written; the snapshot is then abandoned whole.
        Elsewhere (a remote store) the data is already written, so the failure is logged as a warning.
    """
    try:
        SearchIndex(store, index).sync()
    except (OSError, SearchError) as error:
        if store.index_location:
            raise StoreError(f"the search index could not be written ({error}): nothing was changed") from None
        log.warning("the search index was not updated (%s); run `kg reindex`", error)


@contextlib.contextmanager
def changing(location: str, settings: Settings) -> Iterator[Store]:
    """Yield a writable store at a location; when the block succeeds, re-index what changed and publish.

    Raises:
        StoreError: another writer kept the store past `KG_INGEST_WAIT`, or the store or its index cannot
        be written (nothing is then published).
    """
    with writing(location, settings.ingest_wait) as store:
        yield store
        sync_search(store, settings.index)


def ingest_into(location: str, paths: Iterable[str | Path], settings: Settings, dp_name: str | None = None,
                progress: Callable[[Path], None] | None = None) -> IngestResult:
    """Ingest files and folders into a store location as one step (see `changing`)."""
    with changing(location, settings) as store:
        return ingest_paths(store, paths, dp_name, progress=progress, limits=ReadLimits.from_settings(settings))
