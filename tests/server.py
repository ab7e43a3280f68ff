"""Run a real `kg serve` process on a free loopback port for tests that need HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(store: Path, extra_env: dict[str, str] | None = None,
                   log: Path | None = None) -> Iterator[str]:
    """Start `kg serve` on a store and yield its base URL; stop it afterwards.

    Its output (start-up lines, the error log with tracebacks) goes to `log`, else to a file
    beside the store: a pipe nobody reads would stall the server once its buffer filled.
    """
    port = free_port()
    env = {**os.environ, "KG_STORE": str(store), "KG_PORT": str(port), "KG_HOST": "127.0.0.1",
           **(extra_env or {})}
    if log is None:
        beside = Path(store).parent
        if "://" in str(store) or not beside.is_dir():  # a remote store: no folder of ours
            beside = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        log = beside / f"serve-{port}.log"
    output = log.open("w", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "web.cli", "serve"], env=env,
                               stdout=output, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"kg serve exited: {log.read_text(encoding='utf-8')}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("kg serve did not start within 60 s") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        output.close()
