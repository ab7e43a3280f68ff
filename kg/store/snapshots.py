"""Crash-safe snapshots of an on-disk store: readers see one published state, a writer publishes the next.

A store directory holds numbered snapshots; each is an Oxigraph database and the search index
built from it. A writer copies the current snapshot (RocksDB checkpoint: hard links, instant),
changes the copy, and publishes it by atomically replacing the `current` file. A process killed
at any point leaves `current` naming a complete snapshot, so store and index always match:

    <root>/current                  name of the current snapshot
    <root>/write.lock               the writer holds an exclusive flock (the kernel drops it on death)
    <root>/snapshots/<n>/store      Oxigraph database, never written once published
    <root>/snapshots/<n>/index      whoosh index of the same state
    <root>/snapshots/<n>/readers    readers hold a shared flock; cleanup needs an exclusive one
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from kg.errors import StoreError
from kg.store.embedded import EmbeddedStore, open_embedded
from kg.store.leases import READERS
from kg.store.location import DIRECTORY, Location

CURRENT = "current"
SNAPSHOTS = "snapshots"
WRITE_LOCK = "write.lock"
_OPEN_RETRIES = 20


def is_snapshot_root(path: Path) -> bool:
    """Tell whether a directory is (or can become) a snapshot root rather than a plain Oxigraph database."""
    if not path.exists():
        return True
    if not path.is_dir():
        return False
    return (path / SNAPSHOTS).is_dir() or not any(path.iterdir())


class SnapshotRoot:
    """The snapshots of one store directory: open the current one, or write and publish the next."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()

    @property
    def snapshots(self) -> Path:
        """The folder holding the numbered snapshots."""
        return self.path / SNAPSHOTS

    def current(self) -> str | None:
        """Return the name of the current snapshot, or None before the first publish."""
        try:
            name = (self.path / CURRENT).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        return name or None

    def version(self) -> tuple[int, int] | None:
        """Return a cheap token that changes whenever a snapshot is published (inode, mtime)."""
        try:
            status = (self.path / CURRENT).stat()
        except FileNotFoundError:
            return None
        return status.st_ino, status.st_mtime_ns

    def open_current(self) -> EmbeddedStore | None:
        """Open the current snapshot read-only, leased against cleanup; None if nothing is published."""
        for _ in range(_OPEN_RETRIES):
            name = self.current()
            if name is None:
                return None
            folder = self.snapshots / name
            if not (folder / READERS).exists():
                continue  # replaced and cleaned up meanwhile: read `current` again
            try:
                store = _open(folder / "store", read_only=True)  # leased against cleanup
            except StoreError:
                if not (folder / READERS).exists():
                    continue
                raise
            store.index_location = str(folder / "index")
            return store
        raise StoreError(f"cannot open the current snapshot of {self.path}: it keeps changing")

    @contextlib.contextmanager
    def writer(self, wait: float = 30.0) -> Iterator[EmbeddedStore]:
        """Yield a writable copy of the current snapshot; publish it if the block ends without error.

        Only one writer at a time: another one waits up to `wait` seconds, then gets StoreError.
        If the block raises, or the process dies, the copy is discarded and `current` is unchanged.
        """
        self.snapshots.mkdir(parents=True, exist_ok=True)
        with self._write_lock(wait):
            self.collect_garbage()
            current = self.current()
            name = self._next_name(current)
            folder = self.snapshots / name
            folder.mkdir()
            (folder / READERS).touch()
            if current is not None:
                with _open(self.snapshots / current / "store", read_only=True) as source:
                    source.backup(folder / "store")
                if (self.snapshots / current / "index").is_dir():
                    shutil.copytree(self.snapshots / current / "index", folder / "index")
            store = _open(folder / "store")
            store.index_location = str(folder / "index")
            store.private = True  # unpublished: no reader can see it, so bulk writes are safe
            try:
                yield store
            except BaseException:
                store.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise
            store.close()
            self._publish(name)
            self.collect_garbage()

    def collect_garbage(self) -> list[str]:
        """Remove snapshots that are neither current nor leased by a reader; return their names."""
        current = self.current()
        removed = []
        for folder in sorted(self.snapshots.iterdir()) if self.snapshots.is_dir() else []:
            if folder.name == current or not folder.is_dir():
                continue
            if self._remove_unleased(folder):
                removed.append(folder.name)
        return removed

    # ---- internals ----

    @contextlib.contextmanager
    def _write_lock(self, wait: float) -> Iterator[None]:
        """Hold the store's write lock, waiting up to `wait` seconds for another writer."""
        fd = os.open(self.path / WRITE_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + max(0.0, wait)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreError(f"another ingest is writing to {self.path}; waited {wait:g} s "
                                         "(KG_INGEST_WAIT): try again when it has finished") from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)

    def _next_name(self, current: str | None) -> str:
        """Return a snapshot name above every existing one."""
        numbers = [int(p.name) for p in self.snapshots.iterdir() if p.name.isdigit()]
        return f"{max([int(current or 0), *numbers]) + 1:08d}"

    def _publish(self, name: str) -> None:
        """Make a snapshot current: write the new name beside `current`, sync it, rename over it."""
        pending = self.path / (CURRENT + ".new")
        with open(pending, "w", encoding="ascii") as out:
            out.write(name + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(pending, self.path / CURRENT)
        directory = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    @staticmethod
    def _remove_unleased(folder: Path) -> bool:
        """Delete a snapshot folder unless a reader holds its lease."""
        readers = folder / READERS
        if not readers.exists():
            shutil.rmtree(folder, ignore_errors=True)
            return True
        fd = os.open(readers, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            shutil.rmtree(folder, ignore_errors=True)
            return True
        finally:
            os.close(fd)


def _open(path: Path, read_only: bool = False) -> EmbeddedStore:
    """Open a snapshot's database (always an embedded one)."""
    return open_embedded(Location(str(path), DIRECTORY, path), read_only)
