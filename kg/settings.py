"""Settings: declared once, each with a default and a help line, read from `KG_*` variables.

This is the only module that reads the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


def default_store() -> str:
    """Return the default store location: `$XDG_DATA_HOME/equal-kg/store` (~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "equal-kg" / "store")


def _setting(default: Any, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Settings:
    """Every setting of equal-kg, with its default; `KG_<NAME>` overrides each one."""

    store: str = field(default_factory=default_store,
                       metadata={"help": "Store location: a directory, file:// URL, memory:, or the http(s) URL of a "
                                       "remote SPARQL 1.1 endpoint."})
    host: str = _setting("127.0.0.1", "Address `kg serve` listens on.")
    port: int = _setting(8080, "Port `kg serve` listens on.")
    threads: int = _setting(8, "Worker threads of the WSGI server.")
    query_timeout: float = _setting(20.0, "Seconds a SPARQL query may run before it is stopped (at most 30).")
    query_workers: int = _setting(2, "Worker processes that run SPARQL endpoint queries; a query past the "
                                     "timeout is killed with its worker, which is replaced.")
    query_queue: int = _setting(4, "Endpoint queries that may wait for a free worker; more are answered "
                                   "503 with Retry-After.")
    query_memory: int = _setting(2048, "Megabytes of memory a SPARQL worker may use; a query needing more is "
                                       "stopped (0: no limit).")
    max_rows: int = _setting(10000, "Most result rows a SPARQL query returns; the rest is cut.")
    max_body: int = _setting(1_000_000, "Largest request body accepted, in bytes.")
    search_window: int = _setting(1000, "Deepest search result a client may page to.")
    ingest_wait: float = _setting(30.0, "Seconds an ingest waits for another one on the same store to finish.")
    max_document_mb: int = _setting(50, "Largest document file `kg ingest` reads, in megabytes; larger files are "
                                        "refused.")
    parse_timeout: float = _setting(30.0, "Seconds reading one HTML, Word or PDF file may take before its reader "
                                          "is stopped and the file refused.")
    parse_memory: int = _setting(1024, "Megabytes of memory a reader of HTML, Word or PDF files may use "
                                       "(0: no limit).")
    cors: bool = _setting(True, "Allow cross-origin GET and POST on the SPARQL endpoint and API.")
    base_url: str = _setting("", "Public URL of the service, if it is behind a proxy.")
    index: str = _setting("", "Search index directory (default: inside the store's current snapshot).")
    store_update: str = _setting("", "Remote store: SPARQL Update endpoint URL (default: the store URL).")
    store_user: str = _setting("", "Remote store: user name for updates (HTTP digest or basic auth).")
    store_password: str = _setting("", "Remote store: password for updates.")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from `KG_*` variables, then explicit overrides (None ignored)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in fields(cls):
            raw = env.get(f"KG_{item.name.upper()}")
            if raw is not None and raw != "":
                values[item.name] = _convert(item.name, raw, type(getattr(cls(), item.name)))
        settings = cls(**values)
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def documentation(cls) -> list[tuple[str, str, str]]:
        """Return (variable, default, help) for every setting, for the docs and `--help`."""
        defaults = cls()
        return [(f"KG_{item.name.upper()}", str(getattr(defaults, item.name)), item.metadata["help"])
                for item in fields(cls)]


def _convert(name: str, raw: str, kind: type) -> Any:
    """Convert an environment string to a setting's type, naming the variable on error."""
    try:
        if kind is bool:
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        return kind(raw)
    except ValueError:
        raise ValueError(f"KG_{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
