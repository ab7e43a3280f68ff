"""Load test on loopback: N concurrent clients for a while over search, pages, the JSON API and SPARQL.

Not part of pytest. Each client loops over a mix of requests (search page, entity pages, the body
API, the example SPARQL queries of `kg.sparql.examples`); one more client sends a pathological query every
few seconds, which the server must stop (503) within its timeout plus one second. Prints a table
and writes JSON: requests, errors, status counts and p50/p95/p99 latency per kind.

    python bench/load.py                                # starts `kg serve` on the sample corpus
    python bench/load.py --store DIR                    # ... on a store of yours
    python bench/load.py --url http://127.0.0.1:8080    # against a running service
    python bench/load.py --clients 20 --duration 60 --every 5 --env KG_QUERY_TIMEOUT=5 --out load.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.sparql.examples import EXAMPLES  # noqa: E402

#: Queries the server must stop: cross products, an alternative-path closure, a huge ORDER BY, a long COUNT.
PATHOLOGICAL = (
    "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i",
    "SELECT * { ?s (rdfs:label|!rdfs:label)* ?o } ORDER BY ?o",
    "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(STR(?c)) ?f",
    "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
)
SEARCH_WORDS = ("employment", "women", "disability", "training", "council", "childcare", "ethnic", "asylum",
                "enterprise", "social economy", "partner*", "\"local authority\"", "health OR care", "age")
#: Relative weights of the kinds of request each client sends.
MIX = {"search": 3, "page": 3, "api": 2, "sparql": 2}
REQUEST_TIMEOUT = 120.0


def fetch(url: str, accept: str = "*/*") -> tuple[int, float]:
    """GET a URL and read the whole answer; return (status, seconds). A connection error is status 0."""
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def targets(base: str) -> dict[str, list[str]]:
    """Find the URLs each kind of request picks from, from the service's own API."""
    def get_json(path: str) -> dict:
        with urllib.request.urlopen(base + path, timeout=60) as response:
            return json.load(response)

    dps = [d["slug"] for d in get_json("/api/dps")["dps"]]
    bodies = [b["slug"] for b in get_json("/api/bodies")["bodies"]][:60]
    sparql = [base + "/sparql?" + urllib.parse.urlencode({"query": e.text}) for e in EXAMPLES]
    return {
        "search": [base + "/search?" + urllib.parse.urlencode({"q": w}) for w in SEARCH_WORDS],
        "page": [f"{base}/id/dp/{s}" for s in dps] + [f"{base}/id/body/{s}" for s in bodies] + [base + "/"],
        "api": [f"{base}/api/bodies/{s}" for s in bodies] + [f"{base}/api/bodies/{s}/dps" for s in bodies],
        "sparql": sparql,
    }


class Recorder:
    """Latencies and statuses per kind of request, from many threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.seconds[kind].append(seconds)
            self.statuses[kind][status] += 1


def client(urls: dict[str, list[str]], recorder: Recorder, stop: float, seed: int) -> None:
    """Send requests of random kinds (weighted by MIX) until the time is up."""
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    while time.monotonic() < stop:
        kind = rng.choices(kinds, weights)[0]
        accept = "application/sparql-results+json" if kind == "sparql" else "text/html,application/json"
        status, seconds = fetch(rng.choice(urls[kind]), accept)
        recorder.add(kind, status, seconds)


def pathological(base: str, recorder: Recorder, stop: float, every: float) -> None:
    """Send one pathological query every `every` seconds, one after the other."""
    number = 0
    while time.monotonic() < stop:
        started = time.monotonic()
        query = PATHOLOGICAL[number % len(PATHOLOGICAL)]
        status, seconds = fetch(base + "/sparql?" + urllib.parse.urlencode({"query": query}),
                                "application/sparql-results+json")
        recorder.add("pathological", status, seconds)
        number += 1
        time.sleep(max(0.0, every - (time.monotonic() - started)))


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of a list of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def summary(recorder: Recorder, duration: float) -> dict:
    """Summarise per kind: requests, errors (status 0 or >= 400; 503 expected for pathological ones)."""
    kinds = {}
    for kind, seconds in sorted(recorder.seconds.items()):
        statuses = recorder.statuses[kind]
        expected = {503} if kind == "pathological" else set(range(200, 400))
        kinds[kind] = {
            "requests": len(seconds),
            "errors": sum(n for status, n in statuses.items() if status not in expected),
            "statuses": {str(status): n for status, n in sorted(statuses.items())},
            "per_second": round(len(seconds) / duration, 1),
            "p50_ms": round(percentile(seconds, 0.50) * 1000, 1),
            "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
            "p99_ms": round(percentile(seconds, 0.99) * 1000, 1),
            "max_ms": round(max(seconds) * 1000, 1),
        }
    normal = [k for k in kinds if k != "pathological"]
    return {"kinds": kinds, "requests": sum(kinds[k]["requests"] for k in normal),
            "errors": sum(kinds[k]["errors"] for k in normal),
            "pathological_not_stopped": kinds.get("pathological", {}).get("errors", 0)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(store: str | None, env: dict[str, str]) -> Iterator[str]:
    """Start `kg serve` on a store (or on the sample corpus in a temporary one); yield its URL."""
    with tempfile.TemporaryDirectory(prefix="kg-load-") as folder:
        environment = {**os.environ, **env}
        if store is None:
            store = str(Path(folder) / "store")
            subprocess.run([sys.executable, "-m", "web.cli", "ingest", "--sample", "--store", store], cwd=ROOT,
                           env=environment, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        environment.update(KG_STORE=store, KG_PORT=str(port), KG_HOST="127.0.0.1")
        process = subprocess.Popen([sys.executable, "-m", "web.cli", "serve"], cwd=ROOT, env=environment,
                                   stdout=subprocess.DEVNULL, stderr=open(Path(folder) / "serve.log", "w"))  # noqa: SIM115
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while fetch(base + "/")[0] != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("kg serve did not start:\n" + (Path(folder) / "serve.log").read_text())
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(15)


def run(base: str, clients: int, duration: float, every: float) -> dict:
    """Run the load and return the summary."""
    urls = targets(base)
    for kind_urls in urls.values():  # warm up: every URL once
        for url in kind_urls:
            fetch(url)
    recorder = Recorder()
    stop = time.monotonic() + duration
    threads = [threading.Thread(target=client, args=(urls, recorder, stop, n)) for n in range(clients)]
    if every > 0:
        threads.append(threading.Thread(target=pathological, args=(base, recorder, stop, every)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(recorder, time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="A running service; default: start `kg serve` here.")
    parser.add_argument("--store", help="Store for the started service (default: the sample corpus).")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds.")
    parser.add_argument("--every", type=float, default=5.0, help="Seconds between pathological queries (0: none).")
    parser.add_argument("--env", action="append", default=[], metavar="KG_X=V", help="Setting for the started service.")
    parser.add_argument("--out", default="load.json", help="Where to write the JSON results.")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    with contextlib.ExitStack() as stack:
        base = args.url.rstrip("/") if args.url else stack.enter_context(serving(args.store, env))
        result = run(base, args.clients, args.duration, args.every)
    result["settings"] = {"clients": args.clients, "duration_s": args.duration, "pathological_every_s": args.every,
                          "url": args.url or "started here", "env": env, "cpus": os.cpu_count()}
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{'kind':14}{'requests':>9}{'errors':>7}{'req/s':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for kind, row in result["kinds"].items():
        print(f"{kind:14}{row['requests']:9}{row['errors']:7}{row['per_second']:7}{row['p50_ms']:9}"
              f"{row['p95_ms']:9}{row['p99_ms']:9}  {row['statuses']}")
    print(f"total {result['requests']} requests, {result['errors']} errors; "
          f"pathological queries not stopped with 503: {result['pathological_not_stopped']}; wrote {args.out}")


if __name__ == "__main__":
    main()
