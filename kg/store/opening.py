"""The front door to a store location: open it, open it for reading, write to it as one step, or follow it live.

`open_store` picks the engine a location names (`kg.store.location`). A directory is a snapshot
root (`kg.store.snapshots`): readers get the current snapshot, writers a copy that is published
whole or not at all. `memory:`, remote `http(s)` endpoints and plain Oxigraph directories have
no snapshots: they are opened as they are.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.store.base import Store
from kg.store.embedded import open_embedded
from kg.store.location import REMOTE, parse_location
from kg.store.remote import open_remote
from kg.store.snapshots import SnapshotRoot, is_snapshot_root


def open_store(location: str | Path, read_only: bool = False, *, settings: Any = None) -> Store:
    """Open the store at a location: a directory path, `file://` URL, `memory:`, or the http(s)
    URL of a remote SPARQL endpoint (`settings` give its update URL, credentials and timeout,
    else they are read from the environment).

    Raises:
        StoreError: the location is in use by another process, unreadable, or unknown.
    """
    parsed = parse_location(location)
    if parsed.kind == REMOTE:
        return open_remote(parsed.text, settings, read_only)
    return open_embedded(parsed, read_only)


def snapshot_root(location: str) -> SnapshotRoot | None:
    """Return the snapshot root a location names, or None for memory:, http(s) endpoints and plain databases.

    Raises:
        StoreError: a URL of another scheme (`kg.store.location.parse_location`).
    """
    parsed = parse_location(location)
    if not parsed.on_disk or parsed.path is None:
        return None
    return SnapshotRoot(parsed.path) if is_snapshot_root(parsed.path) else None


def open_reader(location: str) -> Store:
    """Open a store location read-only (a snapshot root: its current snapshot).

    Raises:
        StoreError: nothing has been ingested there yet, or it cannot be opened.
    """
    root = snapshot_root(location)
    if root is None:
        return open_store(location, read_only=parse_location(location).on_disk)
    store = root.open_current()
    if store is None:
        raise StoreError(f"the store at {root.path} is empty: run `kg ingest` first")
    return store


@contextlib.contextmanager
def writing(location: str, wait: float = 30.0) -> Iterator[Store]:
    """Yield a writable store; on a snapshot root, publish the result only if the block succeeds.

    Raises:
        StoreError: another writer kept the store for more than `wait` seconds, or it cannot be opened.
    """
    root = snapshot_root(location)
    if root is None:
        with open_store(location) as store:
            yield store
        return
    with root.writer(wait) as store:
        yield store


class LiveStore:
    """The store a long-running service reads: the current snapshot, reopened after each publish.

    Each request takes `current()` once and keeps that Store, so it sees one state throughout.
    """

    def __init__(self, location: str, store: Store | None = None) -> None:
        self.location = location
        self._root = snapshot_root(location) if store is None else None
        self._store = store
        self._version: object = None
        self._lock = threading.Lock()

    def current(self) -> Store:
        """Return the store to read now, reopening it if a newer snapshot was published."""
        if self._root is None:
            if self._store is None:
                self._store = open_store(self.location)
            return self._store
        version = self._root.version()
        with self._lock:
            if self._store is None or version != self._version:
                store = self._root.open_current()
                if store is None:  # nothing published yet: serve an empty store until there is
                    store = open_store("memory:")
                self._store, self._version = store, version
            return self._store
