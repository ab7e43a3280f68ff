"""Start and stop a throw-away Virtuoso on loopback, for the remote-store tests and CI.

Its database lives in a temporary folder; the ports are free ones picked on 127.0.0.1. A fresh
database has the user `dba` with password `dba`, allowed to update through `/sparql-auth`.

    python -m tests.virtuoso start [FOLDER]   # prints the query endpoint's URL when it answers
    python -m tests.virtuoso stop FOLDER      # stops that server (by its recorded pid), deletes FOLDER
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.server import free_port

TEMPLATE = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
USER = PASSWORD = "dba"


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its endpoints, credentials, process id and folder."""

    url: str
    update_url: str
    user: str
    password: str
    pid: int
    folder: Path


def settings_for(url: str) -> dict[str, str]:
    """The `KG_*` settings for a Virtuoso query URL: updates go to `/sparql-auth` as dba/dba."""
    return {"KG_STORE": url, "KG_STORE_UPDATE": url.rsplit("/sparql", 1)[0] + "/sparql-auth",
            "KG_STORE_USER": USER, "KG_STORE_PASSWORD": PASSWORD}


def available() -> bool:
    """Tell whether Virtuoso is installed here (the `virtuoso-t` binary and its default ini)."""
    return shutil.which("virtuoso-t") is not None and TEMPLATE.exists()


def write_config(folder: Path, sql_port: int, http_port: int) -> Path:
    """Write `virtuoso.ini`: the packaged one with files in `folder`, loopback ports, no row cap."""
    values = {
        "Database": {"DatabaseFile": "virtuoso.db", "ErrorLogFile": "virtuoso.log",
                     "LockFile": "virtuoso.lck", "TransactionFile": "virtuoso.trx",
                     "xa_persistent_file": "virtuoso.pxa"},
        "TempDatabase": {"DatabaseFile": "virtuoso-temp.db", "TransactionFile": "virtuoso-temp.trx"},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}"},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
        "URIQA": {"DefaultHost": f"127.0.0.1:{http_port}"},
        # the packaged default cuts every answer at 10,000 rows without saying so
        "SPARQL": {"ResultSetMaxRows": "1000000"},
    }
    section = ""
    lines = []
    for line in TEMPLATE.read_text(encoding="utf-8").splitlines():
        header = re.match(r"\s*\[(.+)\]", line)
        if header:
            section = header.group(1).strip()
        key = re.match(r"\s*([A-Za-z_]\w*)\s*=", line)
        if key and key.group(1) in values.get(section, {}):
            value = values[section][key.group(1)]
            if section in ("Database", "TempDatabase"):
                value = str(folder / value)
            line = f"{key.group(1)} = {value}"
        lines.append(line)
    path = folder / "virtuoso.ini"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _die_with_parent() -> None:
    """In the child: ask Linux to stop it when the process that started it dies (a killed test run)."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(folder: Path | None = None, timeout: float = 180.0, tied: bool = False) -> Virtuoso:
    """Start Virtuoso in `folder` (a new temporary one by default); return once /sparql answers.

    `tied`: stop it if this process dies; otherwise it outlives it (`python -m tests.virtuoso start`).
    """
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="kg-virtuoso-"))
    folder.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    sql_port = free_port()
    config = write_config(folder, sql_port, http_port)
    with open(folder / "stdout.log", "wb") as log:
        process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(config)], cwd=folder,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True, preexec_fn=_die_with_parent if tied else None)
    (folder / "pid").write_text(str(process.pid))
    base = f"http://127.0.0.1:{http_port}"
    server = Virtuoso(base + "/sparql", base + "/sparql-auth", USER, PASSWORD, process.pid, folder)
    deadline = time.monotonic() + timeout
    while not _answers(server.url):
        if process.poll() is not None or time.monotonic() > deadline:
            log_text = (folder / "stdout.log").read_text(errors="replace")[-2000:]
            stop(folder)
            raise RuntimeError(f"Virtuoso did not start within {timeout:.0f} s:\n{log_text}")
        time.sleep(0.5)
    return server


def stop(folder: Path, remove: bool = True) -> None:
    """Stop the Virtuoso started in `folder` (the pid recorded there) and delete the folder."""
    pid_file = Path(folder) / "pid"
    if pid_file.exists():
        pid = int(pid_file.read_text())
        try:
            os.kill(pid, signal.SIGTERM)
            for _ in range(300):
                _reap(pid)
                os.kill(pid, 0)  # raises once the process is gone
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)
            _reap(pid)
        except (ProcessLookupError, ChildProcessError):
            pass
    if remove:
        shutil.rmtree(folder, ignore_errors=True)


def _reap(pid: int) -> None:
    """Collect the exit status of our own child, so it does not linger as a zombie."""
    with suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@contextmanager
def running_virtuoso() -> Iterator[Virtuoso]:
    """A throw-away Virtuoso for the length of a `with` block."""
    server = start(tied=True)
    try:
        yield server
    finally:
        stop(server.folder)


def main(argv: list[str]) -> int:
    """`start [FOLDER]` prints the URL of a new server; `stop FOLDER` ends it."""
    if len(argv) >= 1 and argv[0] == "start" and len(argv) <= 2:
        server = start(Path(argv[1]) if len(argv) == 2 else None)
        print(server.url)
        return 0
    if len(argv) == 2 and argv[0] == "stop":
        stop(Path(argv[1]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
