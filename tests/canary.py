"""A canary: a tiny loopback TCP server that records every connection made to it.

Hostile inputs name the canary's URL (SERVICE, FROM, LOAD, JSON-LD contexts, XML entities); the
suite then asserts that nothing connected. It records at the socket level, so a connection counts
even if it never sends a full HTTP request; it answers anything with an empty Turtle document.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Connection:
    """One connection the canary accepted: who, when, and the first bytes it sent."""

    peer: tuple[str, int]
    at: float
    data: bytes = b""


@dataclass
class Canary:
    """A loopback server on a random port, in a daemon thread; `connections` lists what reached it."""

    connections: list[Connection] = field(default_factory=list)
    _sock: socket.socket | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Canary:
        """Listen on 127.0.0.1 on a free port and accept in the background."""
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        threading.Thread(target=self._serve, name="canary", daemon=True).start()
        return self

    @property
    def port(self) -> int:
        assert self._sock is not None, "the canary is not started"
        return self._sock.getsockname()[1]

    @property
    def url(self) -> str:
        """The canary's base URL, `http://127.0.0.1:<port>`."""
        return f"http://127.0.0.1:{self.port}"

    def count(self) -> int:
        """How many connections reached the canary so far."""
        with self._lock:
            return len(self.connections)

    def reached(self) -> list[str]:
        """A line per connection (peer and first request line), for assertion messages."""
        with self._lock:
            return [f"{c.peer[0]}:{c.peer[1]} {c.data.splitlines()[:1]!r}" for c in self.connections]

    def probe(self) -> None:
        """Connect once ourselves: proves the canary is up and counting (callers subtract it)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(b"GET /probe HTTP/1.0\r\n\r\n")
            sock.recv(1024)

    def stop(self) -> None:
        """Stop accepting and close the socket."""
        self._stop.set()
        if self._sock is not None:
            self._sock.close()

    def _serve(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                client, peer = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            record = Connection(peer=peer, at=time.time())
            with self._lock:
                self.connections.append(record)
            threading.Thread(target=self._answer, args=(client, record), daemon=True).start()

    @staticmethod
    def _answer(client: socket.socket, record: Connection) -> None:
        with client:
            client.settimeout(2)
            try:
                record.data = client.recv(4096)
                client.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/turtle\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass
