"""HTTP timing for the benchmark: one request, latency series (median, p95), and concurrent throughput.

Plain urllib, one connection per request, the same for our service and the baselines, so
ratios compare servers rather than clients.
"""

from __future__ import annotations

import statistics
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    """One HTTP request the benchmark sends: a name, a path, and optionally a body and headers."""

    name: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


def fetch(base: str, request: Request, timeout: float = 300.0) -> tuple[float, int, int]:
    """Send one request; return (seconds, status, bytes received). Errors give status 0 or the HTTP code."""
    req = urllib.request.Request(base + request.path, data=request.body, headers=dict(request.headers),
                                 method="POST" if request.body is not None else "GET")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            size = len(response.read())
            status = response.status
    except urllib.error.HTTPError as error:
        size, status = len(error.read()), error.code
    except OSError:
        size, status = 0, 0
    return time.perf_counter() - started, status, size


def fetch_text(base: str, path: str, timeout: float = 300.0) -> str:
    """GET a path and return its body as text (raises on an HTTP error)."""
    with urllib.request.urlopen(base + path, timeout=timeout) as response:
        return response.read().decode("utf-8")


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of values (share in 0..1).

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)
    10
    """
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Series:
    """Latencies of one request, in milliseconds."""

    name: str
    path: str
    first_ms: float = 0.0
    samples: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    size: int = 0

    def summary(self) -> dict[str, object]:
        """Return median, p95, min, count, first-request time, response size and any failures."""
        ok = all(200 <= s < 300 for s in self.statuses)
        return {"path": self.path, "p50_ms": round(statistics.median(self.samples), 2) if self.samples else None,
                "p95_ms": round(percentile(self.samples, 0.95), 2) if self.samples else None,
                "min_ms": round(min(self.samples), 2) if self.samples else None, "n": len(self.samples),
                "first_ms": round(self.first_ms, 2), "bytes": self.size,
                "ok": ok, "statuses": sorted(set(self.statuses))}


def measure_series(targets: dict[str, str], requests: list[Request], repeat: int, warmup: int = 2,
                   timeout: float = 300.0, slow: float = 10.0) -> dict[str, dict[str, Series]]:
    """Time each request `repeat` times on every target, alternating targets request by request.

    `targets` maps a name ('ours', 'baseline') to a base URL. The first call of each request is
    kept apart (`first_ms`: caches cold), then `warmup` more calls are not counted. A request that
    fails or takes more than `slow` seconds the first time is not sent again (its one time counts).
    """
    out: dict[str, dict[str, Series]] = {t: {} for t in targets}
    for request in requests:
        again = dict(targets)
        for target, base in targets.items():
            series = out[target][request.name] = Series(request.name, request.path)
            seconds, status, size = fetch(base, request, timeout)
            series.first_ms, series.size = seconds * 1000, size
            series.statuses.append(status)
            if seconds > slow or not 200 <= status < 300:
                series.samples.append(seconds * 1000)
                del again[target]
                continue
            for _ in range(warmup):
                fetch(base, request, timeout)
        for _ in range(repeat):
            for target, base in again.items():
                seconds, status, _ = fetch(base, request, timeout)
                out[target][request.name].samples.append(seconds * 1000)
                out[target][request.name].statuses.append(status)
    return out


def throughput(base: str, requests: list[Request], clients: int, seconds: float,
               timeout: float = 300.0) -> dict[str, object]:
    """Run `clients` threads looping over the requests (each from its own offset) for `seconds`.

    Requests started before the deadline are allowed to finish; the rate is completed requests
    over the time until the last one finished.
    """
    done: list[tuple[float, int]] = []
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def client(offset: int) -> None:
        index = offset
        while time.perf_counter() < deadline:
            took, status, _ = fetch(base, requests[index % len(requests)], timeout)
            with lock:
                done.append((took, status))
            index += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ok = [t for t, s in done if 200 <= s < 300]
    statuses: dict[str, int] = {}
    for _, status in done:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {"clients": clients, "seconds": round(elapsed, 2), "requests": len(done), "ok": len(ok),
            "errors": len(done) - len(ok), "statuses": statuses, "rps": round(len(ok) / elapsed, 2) if elapsed else 0.0,
            "p50_ms": round(statistics.median(ok) * 1000, 1) if ok else None,
            "p95_ms": round(percentile(ok, 0.95) * 1000, 1) if ok else None}
