"""Issue 6's targets as checks on one size's results, the machine description, and the printed tables."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

#: The targets, at 5,000 DPs on a 2-core machine (partners: 300 ms at 20,000).
TARGETS = {
    "ingest_s": 60.0, "cold_start_s": 2.0, "page_p50_ms": 30.0, "json_p50_ms": 15.0, "search_p50_ms": 30.0,
    "partners_p50_ms": 100.0, "partners_p50_ms_20k": 300.0, "network_ready_s": 3.0,
    "sparql_throughput_ratio": 10.0, "service_memory_mb": 500.0, "rdf_p50_ms": 50.0, "rdf_kb": 500.0,
    "html_p50_ms": 15.0, "lookup_vs_engine": 1.5, "suggest_p50_ms": 20.0, "html_kb": 300.0,
}
#: The SPARQL lookup timed over HTTP and in process (issue 13: 3,355 rows for the DWP at 5,000 DPs).
LOOKUP = "probe-dps-targeting-body"


def _worst(latency: dict[str, dict], group: list[str]) -> tuple[float | None, str]:
    values = [(latency[n]["p50_ms"], n) for n in group if n in latency and latency[n]["p50_ms"] is not None]
    return max(values) if values else (None, "")


def _verdict(passed: bool | None) -> str:
    return "n/a" if passed is None else "pass" if passed else "FAIL"


def checks(result: dict) -> list[dict[str, object]]:
    """Compare one size's results with the targets: one row per target, worst case of its requests."""
    latency_of = result["latency"]
    groups = result["request_groups"]
    size = result["size"]
    rows: list[dict[str, object]] = []

    def add(name: str, value: float | None, limit: float, unit: str, detail: str = "", more: bool = False) -> None:
        ok: bool | None = value is not None and (value >= limit if more else value < limit)
        if value is None and detail.startswith("not measured"):
            ok = None
        rows.append({"target": name, "value": value, "limit": limit, "unit": unit, "pass": ok,
                     "detail": detail, "rule": ">=" if more else "<"})

    add("ingest end to end", result["ingest"]["seconds"], TARGETS["ingest_s"], "s")
    add("service cold start", result["cold_start_s"], TARGETS["cold_start_s"], "s")
    def latency(name: str, group: str, limit: float) -> None:
        value, worst = _worst(latency_of, groups.get(group, []))
        add(name, value, limit, "ms", f"worst: {worst}")

    latency("body and DP pages p50", "pages", TARGETS["page_p50_ms"])
    html = [*groups.get("pages", []), *groups.get("html", []),
            *(n for n in groups.get("network", []) if not n.endswith("json"))]
    value, worst = _worst(latency_of, html)
    add("every HTML page p50", value, TARGETS["html_p50_ms"], "ms", f"worst: {worst}")
    pages = [(latency_of[n]["bytes"] / 1024, n) for n in html if n in latency_of and latency_of[n].get("bytes")]
    largest = max(pages, default=(None, ""))
    add("largest HTML page", round(largest[0], 1) if largest[0] is not None else None, TARGETS["html_kb"], "KB",
        f"{largest[1]}")
    latency("suggest (type-ahead) p50", "suggest", TARGETS["suggest_p50_ms"])
    latency("their JSON p50", "api", TARGETS["json_p50_ms"])
    latency("search p50", "search", TARGETS["search_p50_ms"])
    latency("entity RDF (a page of its description) p50", "rdf", TARGETS["rdf_p50_ms"])
    sizes = [latency_of[n]["bytes"] / 1024 for n in groups.get("rdf", []) if n in latency_of]
    add("entity RDF largest answer", round(max(sizes), 1) if sizes else None, TARGETS["rdf_kb"], "KB")
    latency("partners p50", "partners",
            TARGETS["partners_p50_ms_20k"] if size >= 20000 else TARGETS["partners_p50_ms"])
    views = {k: v for k, v in result["browser"].items() if isinstance(v, dict)}
    worst = max(views.items(), key=lambda kv: kv[1]["p50_s"], default=(result["browser"].get("error", ""), None))
    add("network view ready in the browser", worst[1]["p50_s"] if worst[1] else None, TARGETS["network_ready_s"],
        "s", str(worst[0]))
    lookup = result.get("sparql", {}).get("lookup") or {}
    in_memory = result.get("sparql", {}).get("engine", {}).get(LOOKUP, {}).get("ours_p50_ms")
    add("SPARQL lookup over HTTP vs pyoxigraph in process", lookup.get("ratio"), TARGETS["lookup_vs_engine"], "x",
        f"{LOOKUP}, {lookup.get('rows')} rows: {lookup.get('http_p50_ms')} ms over HTTP, "
        f"{lookup.get('in_process_p50_ms')} ms in process on the same database, "
        f"{in_memory} ms on an in-memory copy" if lookup else "not measured")
    ratio = result["throughput"]["sparql"].get("ratio")
    add("SPARQL endpoint throughput vs rdflib-endpoint", ratio, TARGETS["sparql_throughput_ratio"], "x",
        "examples both can answer" if result["throughput"]["sparql"].get("baseline_rps") is not None
        else "not measured: no baseline at this size (--baseline-max)", more=True)
    # PSS: the service's processes share pages (the forkserver and the workers it forks, mapped files);
    # RSS counts a shared page once per process that maps it, PSS splits it between them
    memory = result["memory"]["service"]
    add("service memory (peak PSS, all processes)", memory["peak_pss_mb"], TARGETS["service_memory_mb"], "MB",
        f"RSS {memory['peak_rss_mb']} MB over {memory['processes']} process(es)")
    return rows


def machine() -> dict[str, object]:
    """Describe the machine and the versions measured."""
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    versions = {}
    for package in ("equal-kg", "pyoxigraph", "rdflib", "Whoosh", "networkx", "pyvis", "Flask", "waitress",
                    "rdflib-endpoint", "uvicorn", "playwright"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": memory, "kernel": platform.release(),
            "python": platform.python_version(), "versions": versions, "chromium": chromium}


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 100 else f"{value:.2f}"
    return str(value)


def table(results: dict[str, dict]) -> str:
    """Render the results of every size as one text table: latencies, then the checks."""
    sizes = list(results)
    lines = [f"{'measure':44}" + "".join(f"{s + ' DPs':>22}" for s in sizes)]

    def row(label: str, values: list[object]) -> None:
        lines.append(f"{label:44}" + "".join(f"{_fmt(v):>22}" for v in values))

    row("ingest (s)", [results[s]["ingest"]["seconds"] for s in sizes])
    row("ingest (documents/s)", [results[s]["ingest"]["documents_per_s"] for s in sizes])
    row("ingest peak RSS (MB)", [results[s]["ingest"]["peak_rss_mb"] for s in sizes])
    row("cold start (s)", [results[s]["cold_start_s"] for s in sizes])
    names = list(results[sizes[0]]["latency"])
    for name in names:
        row(f"{name} p50/p95/first (ms)", [
            "/".join(_fmt(results[s]["latency"][name][k]) for k in ("p50_ms", "p95_ms", "first_ms"))
            if name in results[s]["latency"] else None for s in sizes])
    for name in results[sizes[0]]["sparql"]["endpoint"]:
        row(f"sparql {name[:30]} ours/base (ms)", [
            "{} / {}".format(_fmt(results[s]["sparql"]["endpoint"][name]["ours_p50_ms"]),
                             _fmt(results[s]["sparql"]["endpoint"][name]["baseline_p50_ms"]))
            for s in sizes])
    row("export-jsonld (ms)", [results[s]["export_jsonld"]["p50_ms"] for s in sizes])
    row("HTTP mix throughput (req/s)", [results[s]["throughput"]["mix"]["rps"] for s in sizes])
    row("SPARQL throughput ours (req/s)", [results[s]["throughput"]["sparql"]["ours_rps"] for s in sizes])
    row("SPARQL throughput rdflib-endpoint (req/s)", [results[s]["throughput"]["sparql"]["baseline_rps"]
                                                      for s in sizes])
    row("service peak RSS (MB)", [results[s]["memory"]["service"]["peak_rss_mb"] for s in sizes])
    row("service peak RSS with the export (MB)", [results[s]["memory"]["service_with_export"]["peak_rss_mb"]
                                                  for s in sizes])
    lines.append("")
    lines.append(f"{'target':44}" + "".join(f"{s + ' DPs':>22}" for s in sizes))
    for index, check in enumerate(results[sizes[0]]["checks"]):
        cells = []
        for s in sizes:
            c = results[s]["checks"][index]
            cells.append(f"{_fmt(c['value'])} {_verdict(c['pass'])}")
        row(f"{check['target'][:30]} {check['rule']} {_fmt(check['limit'])} {check['unit']}", cells)
    return "\n".join(lines)


def _md_row(cells: list[object]) -> str:
    return "| " + " | ".join(_fmt(c) if not isinstance(c, str) else c for c in cells) + " |"


def markdown(results: dict[str, dict]) -> str:
    """Render the results as the Markdown tables of docs/performance.md."""
    sizes = list(results)
    head = ["measure", *[f"{int(s):,} DPs" for s in sizes]]
    out = [_md_row(head), _md_row(["---"] * len(head))]

    def row(label: str, values: list[object]) -> None:
        out.append(_md_row([label, *values]))

    r = results
    row("quads in the store", [f"{r[s]['store']['quads']:,}" for s in sizes])
    row("ingest, end to end with the index (s)", [r[s]["ingest"]["seconds"] for s in sizes])
    row("ingest CPU time (s)", [r[s]["ingest"]["cpu_s"] for s in sizes])
    row("ingest (documents/s)", [r[s]["ingest"]["documents_per_s"] for s in sizes])
    row("ingest peak RSS (MB)", [r[s]["ingest"]["peak_rss_mb"] for s in sizes])
    row("cold start to the first 200 on / (s)", [r[s]["cold_start_s"] for s in sizes])
    for name in r[sizes[0]]["latency"]:
        row(f"`{name}` p50 / p95 / first (ms)", [
            " / ".join(_fmt(r[s]["latency"][name][k]) for k in ("p50_ms", "p95_ms", "first_ms")) for s in sizes])
    views = [k for k in r[sizes[0]]["browser"] if k != "error"]
    for view in views:
        row(f"`{view}` drawn in Chromium, p50 (s)", [r[s]["browser"].get(view, {}).get("p50_s") for s in sizes])
    row("JSON-LD export of the whole graph (s)", [round(r[s]["export_jsonld"]["p50_ms"] / 1000, 1) for s in sizes])
    row("HTTP throughput, mix, 8 clients (req/s)", [r[s]["throughput"]["mix"]["rps"] for s in sizes])
    row("service peak RSS, all processes (MB)", [r[s]["memory"]["service"]["peak_rss_mb"] for s in sizes])
    row("service peak PSS, all processes (MB)", [r[s]["memory"]["service"]["peak_pss_mb"] for s in sizes])
    row("service peak RSS during the export (MB)", [r[s]["memory"]["service_with_export"]["peak_rss_mb"]
                                                   for s in sizes])

    out += ["", _md_row(["query", *[f"{int(s):,}: endpoint ours / rdflib-endpoint (ms)" for s in sizes],
                         *[f"{int(s):,}: engine speed-up" for s in sizes]]),
            _md_row(["---"] * (1 + 2 * len(sizes)))]
    for name in r[sizes[0]]["sparql"]["endpoint"]:
        cells: list[object] = []
        for s in sizes:
            e = r[s]["sparql"]["endpoint"][name]
            cells.append(f"{_fmt(e['ours_p50_ms'])} / {_fmt(e['baseline_p50_ms'])}")
        for s in sizes:
            engine = r[s]["sparql"]["engine"][name]
            cells.append(engine.get("speedup") if engine.get("speedup") is not None else "-")
        out.append(_md_row([f"`{name}`", *cells]))
    out += ["", _md_row(["SPARQL throughput, 4 clients", *[f"{int(s):,} DPs" for s in sizes]]),
            _md_row(["---"] * (1 + len(sizes)))]
    out.append(_md_row(["ours (req/s)", *[r[s]["throughput"]["sparql"]["ours_rps"] for s in sizes]]))
    out.append(_md_row(["rdflib-endpoint (req/s)", *[r[s]["throughput"]["sparql"]["baseline_rps"] for s in sizes]]))
    out.append(_md_row(["ratio", *[r[s]["throughput"]["sparql"]["ratio"] for s in sizes]]))
    def pair(size: str, engine: str) -> str:
        load = r[size]["baseline_load"]
        return f"{_fmt(load.get(engine + '_load_s'))} / {_fmt(load.get(engine + '_rss_mb'))}"

    out.append(_md_row(["rdflib load time (s) / RSS (MB)", *[pair(s, "rdflib") for s in sizes]]))
    out.append(_md_row(["pyoxigraph (memory) load time (s) / RSS (MB)", *[pair(s, "oxigraph") for s in sizes]]))

    out += ["", _md_row(["target", *[f"{int(s):,} DPs" for s in sizes]]), _md_row(["---"] * (1 + len(sizes)))]
    for index, check in enumerate(r[sizes[0]]["checks"]):
        cells = []
        for s in sizes:
            c = r[s]["checks"][index]
            cells.append(f"{_fmt(c['value'])} {c['unit']} **{_verdict(c['pass'])}**")
        out.append(_md_row([f"{check['target']} {check['rule']} {_fmt(check['limit'])} {check['unit']}", *cells]))
    return "\n".join(out)


if __name__ == "__main__":  # python bench/report.py bench/results.json: the tables of docs/performance.md
    import json
    import sys

    print(markdown(json.loads(Path(sys.argv[1]).read_text())["sizes"]))
