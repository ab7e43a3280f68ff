"""The equal-kg benchmark: ingest, cold start, latency, throughput and memory, side by side with rdflib.

    python bench/run.py --sizes 1000,5000,20000 --seed 1 --out bench/results.json
    python bench/run.py --sizes 200 --quick            # a smoke run, about a minute

For each size: generate the corpus (cached in --work), ingest it with `kg ingest` (a subprocess:
seconds, documents/s, peak RSS), export it as N-Quads, start `kg serve` (cold start until the first
200 on /), time pages, JSON, search, partners, network views, the SPARQL endpoint and the JSON-LD
export over HTTP; load the same N-Quads into rdflib (engine timings side by side with pyoxigraph)
and serve them with rdflib-endpoint (the same queries over HTTP, alternating with ours, then
throughput rounds alternating); time network views in headless Chromium; check issue 6's targets.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import browser
import procs
import queries
import report
import timing
from corpus import REPO, ensure_corpus, kg_command


@dataclass(frozen=True)
class Plan:
    """How hard to measure: repetitions, warm-ups, throughput seconds and rounds, clients."""

    repeat: int = 30
    sparql_repeat: int = 10
    export_repeat: int = 3
    warmup: int = 2
    seconds: float = 10.0
    rounds: int = 3
    clients: int = 8
    sparql_clients: int = 4  # the endpoint runs 2 queries at once and queues 4 (KG_QUERY_*): more get 503
    browser_repeat: int = 3
    engine_repeat: int = 5
    engine_budget: float = 30.0


QUICK = Plan(repeat=3, sparql_repeat=2, export_repeat=1, warmup=1, seconds=1.5, rounds=1, clients=4, sparql_clients=2,
             browser_repeat=1, engine_repeat=1, engine_budget=5.0)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def summaries(series: dict[str, timing.Series]) -> dict[str, dict[str, object]]:
    return {name: s.summary() for name, s in series.items()}


def start(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a server process we own, its output in a log file."""
    with log.open("wb") as output:
        return subprocess.Popen(args, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=output,
                                stderr=subprocess.STDOUT)


def sparql_phase(ours: str, baseline: str | None, sparql: dict[str, str], engines: dict[str, dict],
                 plan: Plan) -> dict[str, object]:
    """Time every query on both endpoints (alternating request by request), then throughput rounds.

    With no baseline (a size past --baseline-max), only our endpoint is timed.
    """
    skipped = list(sparql) if baseline is None else [n for n, e in engines.items() if e.get("baseline_timeout")]
    both = [queries.sparql_request(n, q) for n, q in sparql.items() if n not in skipped]
    only_ours = [queries.sparql_request(n, q) for n, q in sparql.items() if n in skipped]
    targets = {"ours": ours, "baseline": baseline} if baseline else {"ours": ours}
    series = {"baseline": {}, **timing.measure_series(targets, both, plan.sparql_repeat, plan.warmup)}
    series["ours"].update(timing.measure_series({"ours": ours}, only_ours, plan.sparql_repeat, plan.warmup)["ours"])
    endpoint = {}
    for name in sparql:
        mine = series["ours"][name].summary()
        theirs = series["baseline"][name].summary() if name in series["baseline"] else None
        endpoint[name] = {"ours_p50_ms": mine["p50_ms"], "ours_p95_ms": mine["p95_ms"], "ours_ok": mine["ok"],
                          "baseline_p50_ms": theirs["p50_ms"] if theirs else None,
                          "baseline_ok": theirs["ok"] if theirs else None,
                          "baseline_skipped": name in skipped,
                          "ratio": round(mine["p50_ms"] / theirs["p50_ms"], 4)
                          if theirs and theirs["p50_ms"] else None}
    examples = [r for r in both or only_ours if r.name.startswith("example-")]
    rounds: dict[str, list[dict]] = {"ours": [], "baseline": []}
    for _ in range(plan.rounds):
        for target, base in targets.items():
            rounds[target].append(timing.throughput(base, examples, plan.sparql_clients, plan.seconds))
    ours_rps = statistics.median(r["rps"] for r in rounds["ours"])
    base_rps = statistics.median(r["rps"] for r in rounds["baseline"]) if baseline else None
    return {"endpoint": endpoint, "skipped_on_baseline": skipped, "throughput": {
        "queries": [r.name for r in examples], "ours_rps": ours_rps, "baseline_rps": base_rps,
        "ratio": round(ours_rps / base_rps, 2) if base_rps else None, "rounds": rounds}}


def lookup_side_by_side(ours: str, store: Path, query: str, repeat: int) -> dict[str, object]:
    """Time one SPARQL lookup over HTTP and in this process on the served snapshot, alternating.

    In process is pyoxigraph on the same on-disk database, its answer read to the end (as the
    baseline's engine timings do on an in-memory copy): the difference is what the endpoint adds.
    """
    import pyoxigraph as ox

    snapshot = store / "snapshots" / (store / "current").read_text().strip() / "store"
    engine = ox.Store.read_only(str(snapshot))
    request = queries.sparql_request(report.LOOKUP, query)
    over_http: list[float] = []
    in_process: list[float] = []
    rows = 0
    for turn in range(repeat + 2):
        seconds, status, size = timing.fetch(ours, request)
        started = time.perf_counter()
        rows = sum(1 for _ in engine.query(query))
        spent = time.perf_counter() - started
        if turn >= 2 and 200 <= status < 300:  # two warm-ups each
            over_http.append(seconds * 1000)
            in_process.append(spent * 1000)
    del engine
    http_p50, engine_p50 = statistics.median(over_http), statistics.median(in_process)
    return {"query": report.LOOKUP, "rows": rows, "bytes": size, "http_p50_ms": round(http_p50, 2),
            "in_process_p50_ms": round(engine_p50, 2), "ratio": round(http_p50 / engine_p50, 2)}


def bench_size(size: int, seed: int, work: Path, plan: Plan, with_baseline: bool = True) -> dict[str, object]:
    """Measure everything at one corpus size (with or without the rdflib baseline); return the results."""
    log(f"{size} DPs: corpus")
    started = time.perf_counter()
    corpus, corpus_info = ensure_corpus(size, seed, work)
    corpus_info["prepare_s"] = round(time.perf_counter() - started, 2)
    store = work / f"store-{size}"
    for path in (store, store.with_name(store.name + "-index")):
        shutil.rmtree(path, ignore_errors=True)
    kg = kg_command()

    log(f"{size} DPs: ingest {corpus_info['documents']} documents")
    ingest = procs.run_measured([*kg, "ingest", "--store", str(store), str(corpus)], cwd=str(REPO))
    if ingest["returncode"] not in (0, 1):
        raise RuntimeError(f"kg ingest failed: {ingest['output']}")
    ingest["documents_per_s"] = round(corpus_info["documents"] / ingest["seconds"], 1)
    ingest["summary"] = ingest.pop("first_line")
    ingest.pop("output")

    nquads = work / f"store-{size}.nq"
    log(f"{size} DPs: export N-Quads")
    export = procs.run_measured([*kg, "export", "--store", str(store), "--format", "nquads", "-o", str(nquads)],
                                cwd=str(REPO))
    export.pop("output")
    export.pop("first_line")
    export["bytes"] = nquads.stat().st_size

    port, base_port = procs.free_port(), procs.free_port()
    ours, baseline = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{base_port}"
    log(f"{size} DPs: cold start")
    t0 = time.perf_counter()
    server = start([*kg, "serve", "--store", str(store), "--no-sample", "--port", str(port)],
                   work / f"serve-{size}.log", os.environ.copy())
    result: dict[str, object] = {"size": size, "corpus": corpus_info, "ingest": ingest, "export_nquads": export}
    rival = None
    try:
        with procs.MemoryWatch(server.pid) as watch:
            procs.wait_http(ours + "/", server)
            result["cold_start_s"] = round(time.perf_counter() - t0, 3)
            watch.phase("cold start")
            picked = queries.pick_entities(ours)
            result["entities"] = picked
            # the service builds the DP-body network in the background after its first answers;
            # wait for it (a partners request waits for the build), so latencies are steady state
            started = time.perf_counter()
            timing.fetch(ours, timing.Request("warm", f"/api/partners?dp={picked['dp']}"), timeout=600)
            result["network_ready_after_start_s"] = round(time.perf_counter() - t0, 2)
            result["network_wait_s"] = round(time.perf_counter() - started, 2)
            result["store"] = json.loads(timing.fetch_text(ours, "/api/stats"))
            sparql = queries.sparql_queries(picked["heavy_body"], picked["dti_dp"])
            query_file = work / f"queries-{size}.json"
            query_file.write_text(json.dumps(sparql, indent=1))
            engines_file = work / f"engines-{size}.json"
            engines_file.unlink(missing_ok=True)
            if with_baseline:
                log(f"{size} DPs: baseline loads the graph and times both engines")
                rival = start([sys.executable, str(REPO / "bench" / "baseline.py"), "--nquads", str(nquads),
                               "--queries", str(query_file), "--out", str(engines_file), "--port", str(base_port),
                               "--repeat", str(plan.engine_repeat), "--budget", str(plan.engine_budget)],
                              work / f"baseline-{size}.log")
            with procs.MemoryWatch(rival.pid) if rival else contextlib.nullcontext() as rival_watch:
                if rival:
                    procs.wait_http(baseline + "/sparql?query=ASK%7B%7D", rival, timeout=7200, interval=0.5)
                    engines = json.loads(engines_file.read_text())
                else:
                    engines = {"engines": {name: {} for name in sparql}}
                result["baseline_load"] = {k: v for k, v in engines.items() if k != "engines"}

                log(f"{size} DPs: latency of pages, API, search, partners, network views")
                groups = queries.service_requests(picked)
                result["request_groups"] = {g: [r.name for r in rs] for g, rs in groups.items()}
                latency: dict[str, dict] = {}
                for requests in groups.values():
                    latency.update(summaries(timing.measure_series({"ours": ours}, requests, plan.repeat,
                                                                   plan.warmup)["ours"]))
                result["latency"] = latency
                watch.phase("pages, API, search, partners, network")

                log(f"{size} DPs: SPARQL endpoint, ours and rdflib-endpoint alternating")
                phase = sparql_phase(ours, baseline if rival else None, sparql, engines["engines"], plan)
                result["sparql"] = {"endpoint": phase["endpoint"], "engine": engines["engines"],
                                    "skipped_on_baseline": phase["skipped_on_baseline"]}
                watch.phase("SPARQL examples and throughput")
                log(f"{size} DPs: HTTP throughput on the mix")
                result["throughput"] = {"sparql": phase["throughput"], "mix": timing.throughput(
                    ours, queries.mix(groups), plan.clients, plan.seconds * plan.rounds)}
                watch.phase("HTTP mix throughput")
            result["memory_baseline"] = rival_watch.result() if rival_watch else {}
            if rival:
                procs.stop(rival)  # its 2.5 GB at 5,000 DPs would weigh on the lookup timed next
            log(f"{size} DPs: a SPARQL lookup over HTTP and in process, alternating")
            result["sparql"]["lookup"] = lookup_side_by_side(ours, store, sparql[report.LOOKUP], plan.sparql_repeat * 3)
            log(f"{size} DPs: network views in headless Chromium")
            result["browser"] = browser.network_ready(
                ours, ["/network/theme/D", f"/network/body/{picked['dwp_body']}", "/network"], plan.browser_repeat)
            watch.phase("browser")
            service_memory = watch.result()  # before the whole-graph export, which builds it all in memory
            log(f"{size} DPs: JSON-LD export of the whole graph")
            export_jsonld = timing.Request("export-jsonld", "/export/graph.jsonld")
            result["export_jsonld"] = timing.measure_series({"ours": ours}, [export_jsonld], plan.export_repeat, 0,
                                                            timeout=3600)["ours"]["export-jsonld"].summary()
            watch.phase("JSON-LD export")
        result["memory"] = {"service": service_memory, "service_with_export": watch.result(),
                            "baseline": result.pop("memory_baseline")}
    finally:
        procs.stop(server)
        if rival is not None:
            procs.stop(rival)
    result["checks"] = report.checks(result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma-separated numbers of DPs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "equal-kg-bench",
                        help="where corpora (cached), stores and exports are written")
    parser.add_argument("--quick", action="store_true", help="few repetitions, short throughput runs")
    parser.add_argument("--clients", type=int, help="concurrent clients in throughput runs")
    parser.add_argument("--baseline-max", type=int, default=5000,
                        help="largest size also run on the rdflib baseline (2.5-6 GB at 5,000 DPs)")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else Plan()
    if args.clients:
        plan = Plan(**{**plan.__dict__, "clients": args.clients, "sparql_clients": min(args.clients,
                                                                                        plan.sparql_clients)})
    args.work.mkdir(parents=True, exist_ok=True)
    output: dict[str, object] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "seed": args.seed,
                                 "quick": args.quick, "plan": plan.__dict__, "machine": report.machine(),
                                 "sizes": {}}
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        output["sizes"][str(size)] = bench_size(size, args.seed, args.work, plan,
                                                     with_baseline=size <= args.baseline_max)  # type: ignore[index]
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(output, indent=1))
    print(report.table(output["sizes"]))  # type: ignore[arg-type]
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
