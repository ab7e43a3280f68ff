"""The baseline a user would otherwise pick, in its own process: rdflib's in-memory store and SPARQL engine.

Run by bench/run.py as `python bench/baseline.py --nquads F --queries Q.json --out T.json --port P`:
loads our exported graph (N-Quads) into an rdflib Dataset (union default graph, a set) and, side by
side in the same process, into an in-memory pyoxigraph store (our engine, its default graph the
merge of the graphs as in our store); times every query on both,
alternating engine by engine; writes the timings; then serves the rdflib Dataset over HTTP with
the `rdflib-endpoint` package on uvicorn (path /sparql) until stopped.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import select
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_rdflib(dataset: Dataset, query: str) -> int:
    """Run a query on rdflib's engine and consume the whole answer; return the number of rows/triples."""
    result = dataset.query(query)
    return 1 if result.type == "ASK" else sum(1 for _ in result)


def run_oxigraph(store: ox.Store, query: str) -> int:
    """Run a query on pyoxigraph (default graph = the merge of the graphs, as our service's); consume the answer."""
    result = store.query(query)
    return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)


def run_capped(run: Callable[[], int], seconds: float) -> tuple[float, int] | None:
    """Run a query once in a forked child; return (seconds, rows), or None if it was not done in time.

    Neither engine can be stopped from Python, and a query can need minutes and gigabytes (the
    cross-theme pairs example builds the DP-DP projection): the child is killed past the budget.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report, exit without cleanup
        os.close(read)
        try:
            started = time.perf_counter()
            rows = run()
            os.write(write, json.dumps([time.perf_counter() - started, rows]).encode())
        finally:
            os._exit(0)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], seconds)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            return None
        data = os.read(read, 1024)
        return tuple(json.loads(data)) if data else None  # type: ignore[return-value]
    finally:
        os.waitpid(pid, 0)
        os.close(read)


def time_engines(dataset: Dataset, store: ox.Store, queries: dict[str, str], repeat: int,
                 budget: float) -> dict[str, dict[str, object]]:
    """Time each query on both engines, alternating; stop repeating a query once rdflib spent `budget` s on it.

    Each query first runs once per engine in a child killed after `budget` seconds; an engine that
    did not finish is reported with `ours_timeout` or `baseline_timeout` and not run again.
    """
    out: dict[str, dict[str, object]] = {}
    for name, query in queries.items():
        first = {"ours": run_capped(lambda q=query: run_oxigraph(store, q), budget),
                 "baseline": run_capped(lambda q=query: run_rdflib(dataset, q), budget)}
        rows = {k: (v[1] if v else None) for k, v in first.items()}
        if first["ours"] is None or first["baseline"] is None:
            ours = first["ours"][0] * 1000 if first["ours"] else None
            theirs = first["baseline"][0] * 1000 if first["baseline"] else None
            out[name] = {"ours_p50_ms": round(ours, 2) if ours else None,
                         "baseline_p50_ms": round(theirs, 2) if theirs else None, "n": 1, "rows": rows,
                         "ours_timeout": budget if ours is None else None,
                         "baseline_timeout": budget if theirs is None else None, "ratio": None,
                         "speedup": f"> {budget * 1000 / ours:.0f}" if ours and theirs is None else None}
            print(f"engine {name}: oxigraph {ours} ms, rdflib {theirs} ms (budget {budget} s)", file=sys.stderr,
                  flush=True)
            continue
        ours_times: list[float] = []
        theirs_times: list[float] = []
        spent = first["baseline"][0]
        for _ in range(repeat):
            if spent > budget and theirs_times:
                break
            t0 = time.perf_counter()
            run_oxigraph(store, query)
            t1 = time.perf_counter()
            run_rdflib(dataset, query)
            t2 = time.perf_counter()
            ours_times.append((t1 - t0) * 1000)
            theirs_times.append((t2 - t1) * 1000)
            spent += t2 - t1
        p50, b50 = statistics.median(ours_times), statistics.median(theirs_times)
        out[name] = {"ours_p50_ms": round(p50, 2), "baseline_p50_ms": round(b50, 2), "n": len(ours_times),
                     "rows": rows, "ratio": round(p50 / b50, 4) if b50 else None,
                     "speedup": round(b50 / p50, 1) if p50 else None}
        print(f"engine {name}: oxigraph {p50:.1f} ms, rdflib {b50:.1f} ms", file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nquads", required=True)
    parser.add_argument("--queries", required=True, help="JSON object: name -> SPARQL")
    parser.add_argument("--out", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20.0, help="most seconds of rdflib time per query")
    args = parser.parse_args()
    queries = json.loads(Path(args.queries).read_text())
    report: dict[str, object] = {}

    base_rss = _rss_mb()
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(args.nquads, format="nquads")
    report["rdflib_load_s"] = round(time.perf_counter() - started, 2)
    report["rdflib_quads"] = len(dataset)
    report["rdflib_rss_mb"] = round(_rss_mb() - base_rss, 1)

    before = _rss_mb()
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=args.nquads, format=ox.RdfFormat.N_QUADS)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")  # the merge, as our store keeps it
    report["oxigraph_load_s"] = round(time.perf_counter() - started, 2)
    report["oxigraph_rss_mb"] = round(_rss_mb() - before, 1)

    report["engines"] = time_engines(dataset, store, queries, args.repeat, args.budget)
    del store
    gc.collect()
    Path(args.out).write_text(json.dumps(report, indent=1))

    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    app = SparqlEndpoint(graph=dataset, path="/sparql", title="rdflib baseline", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
