"""Store locations, parsed in one place: a directory, a `file://` URL, `memory:`, or an http(s) endpoint.

Everything that needs to know what a location is (opening a store, its snapshots, whether its
queries run in worker processes, where its search index lives) asks `parse_location`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import StoreError
from kg.settings import default_store

MEMORY, DIRECTORY, REMOTE = "memory", "directory", "remote"
_MEMORY_NAMES = ("memory:", ":memory:")


@dataclass(frozen=True)
class Location:
    """What a store location names: its kind, and its path (a directory) or URL (an endpoint)."""

    text: str
    kind: str
    path: Path | None = None

    @property
    def on_disk(self) -> bool:
        """Tell whether the location is a database directory (its queries can run in worker processes)."""
        return self.kind == DIRECTORY

    def default_index(self) -> str:
        """Return where this store's search index lives unless configured (`KG_INDEX`).

        A directory's index is its sibling `<store>-index` (a snapshot root keeps one per snapshot
        instead); a remote store's stays on this machine, in `<data home>/equal-kg/index-<host>-<port>`.

        >>> parse_location("/data/equal-kg/store").default_index()
        '/data/equal-kg/store-index'
        >>> parse_location("https://example.org/sparql").default_index().endswith("index-example.org-443")
        True
        """
        if self.kind == MEMORY:
            return "memory:"
        if self.kind == REMOTE:
            parts = urlsplit(self.text)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            return str(Path(default_store()).parent / f"index-{parts.hostname}-{port}")
        assert self.path is not None
        return str(self.path.with_name(self.path.name + "-index"))


def parse_location(location: str | Path) -> Location:
    """Read a store location.

    >>> parse_location("memory:").kind, parse_location("file:///data/s").path, parse_location("http://h/sparql").kind
    ('memory', PosixPath('/data/s'), 'remote')

    Raises:
        StoreError: a URL of another scheme.
    """
    text = str(location)
    if text in _MEMORY_NAMES:
        return Location(text, MEMORY)
    if text.startswith(("http://", "https://")):
        return Location(text, REMOTE)
    if text.startswith("file://"):
        return Location(text, DIRECTORY, Path(text[len("file://"):]).expanduser())
    if "://" in text:
        raise StoreError(f"unsupported store location {text!r}: give a directory path, "
                         "file:// URL, memory: or an http(s) SPARQL endpoint")
    return Location(text, DIRECTORY, Path(text).expanduser())
