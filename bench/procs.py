"""Processes for the benchmark: free ports, waiting for HTTP, and memory of a process tree from /proc.

psutil is not a dependency: memory is read from /proc/<pid>/status (VmRSS, VmHWM) and
/proc/<pid>/smaps_rollup (Pss, which splits pages forked workers share), polled in a thread.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Return a process and all its descendants (read from /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


class MemoryWatch:
    """Poll the memory of a process tree in a thread; keep the peaks (MB).

    `rss_mb`: the highest sum of VmRSS over the tree seen in one sample; `pss_mb` the same with
    proportional set size (pages forked workers share are split between them); `largest_mb` the
    highest RSS of one process; `processes`: the most processes seen at once. `phase(name)` keeps
    the peaks since the previous phase under that name and starts counting again.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.rss_mb = self.pss_mb = self.largest_mb = 0.0
        self.processes = 0
        self.phases: dict[str, dict[str, float]] = {}
        self._phase = {"peak_rss_mb": 0.0, "peak_pss_mb": 0.0}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        pids = descendants(self.pid)
        sizes = [_status_kb(p, "VmRSS") / 1024 for p in pids]
        pss = sum(_pss_kb(p) for p in pids) / 1024
        with self._lock:
            self.rss_mb = max(self.rss_mb, sum(sizes))
            self.pss_mb = max(self.pss_mb, pss)
            self.largest_mb = max([self.largest_mb, *sizes])
            self.processes = max(self.processes, len([size for size in sizes if size]))
            self._phase["peak_rss_mb"] = max(self._phase["peak_rss_mb"], round(sum(sizes), 1))
            self._phase["peak_pss_mb"] = max(self._phase["peak_pss_mb"], round(pss, 1))

    def phase(self, name: str) -> None:
        """Close the current phase under `name` (its peaks), and start the next."""
        self._sample()
        with self._lock:
            self.phases[name], self._phase = self._phase, {"peak_rss_mb": 0.0, "peak_pss_mb": 0.0}

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def result(self) -> dict[str, float]:
        """Return the peaks, rounded."""
        return {"peak_rss_mb": round(self.rss_mb, 1), "peak_pss_mb": round(self.pss_mb, 1),
                "largest_process_mb": round(self.largest_mb, 1), "processes": self.processes,
                "phases": dict(self.phases)}


def run_measured(args: list[str], env: dict[str, str] | None = None, cwd: str | None = None,
                 timeout: float = 7200) -> dict[str, object]:
    """Run a command to its end; return seconds, exit code, peak RSS (ru_maxrss of wait4) and output tail."""
    started = time.perf_counter()
    with open(os.devnull, "rb") as stdin:
        process = subprocess.Popen(args, env=env, cwd=cwd, stdin=stdin, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout or []), daemon=True)
    reader.start()
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=5)
    text = b"".join(output).decode("utf-8", "replace")
    return {"seconds": round(seconds, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "returncode": process.returncode, "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "first_line": text.strip().split("\n", 1)[0][:300], "output": text[-4000:]}


def wait_http(url: str, process: subprocess.Popen | None = None, timeout: float = 120.0,
              interval: float = 0.01) -> float:
    """Poll a URL until it answers 200; return the time it took (s).

    Raises:
        RuntimeError: the process exited, or no 200 came within the timeout.
    """
    started = time.perf_counter()
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=max(1.0, timeout)) as response:  # never two at once
                if response.status == 200:
                    response.read()
                    return time.perf_counter() - started
        except (OSError, urllib.error.URLError):
            pass
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s")
        time.sleep(interval)


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate a process we started (by its id), killing it after a grace period."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace)
