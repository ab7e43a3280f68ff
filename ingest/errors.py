"""Typed errors for documents that cannot be read."""

from __future__ import annotations


class IngestError(Exception):
    """A document could not be ingested; names the file, the line and the reason."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")
