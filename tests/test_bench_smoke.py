"""The benchmark suite runs end to end in its quick mode and reports every measure (timings are not checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GROUPS = ("pages", "html", "api", "rdf", "search", "suggest", "partners", "network")
TARGETS = {"ingest end to end", "service cold start", "body and DP pages p50", "their JSON p50", "search p50",
           "entity RDF (a page of its description) p50", "entity RDF largest answer",
           "partners p50", "network view ready in the browser", "SPARQL endpoint throughput vs rdflib-endpoint",
           "service memory (peak PSS, all processes)", "every HTML page p50", "largest HTML page",
           "suggest (type-ahead) p50",
           "SPARQL lookup over HTTP vs pyoxigraph in process"}


def test_quick_benchmark_reports_every_measure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "25", "--quick", "--clients", "2",
                           "--out", str(out), "--work", str(tmp_path / "work")],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "ingest end to end" in done.stdout  # the table is printed
    report = json.loads(out.read_text())
    assert {"machine", "plan", "seed", "sizes"} <= set(report)
    result = report["sizes"]["25"]

    assert result["ingest"]["returncode"] == 0
    assert {"seconds", "cpu_s", "documents_per_s", "peak_rss_mb"} <= set(result["ingest"])
    assert result["corpus"]["documents"] > 25 and result["store"]["dps"] > 0
    assert result["cold_start_s"] > 0

    latency = result["latency"]
    for group in GROUPS:
        names = result["request_groups"][group]
        assert names, group
        for name in names:
            assert latency[name]["ok"], (name, latency[name])
            assert {"p50_ms", "p95_ms", "first_ms", "n"} <= set(latency[name])
    assert result["export_jsonld"]["ok"]

    sparql = result["sparql"]
    examples = [name for name in sparql["endpoint"] if name.startswith("example-")]
    assert len(examples) >= 5 and {"probe-dps-targeting-body", "probe-partners-two-shared",
                                    "probe-count-group-by-body"} <= set(sparql["endpoint"])
    for name, engines in sparql["engine"].items():
        assert engines["ours_p50_ms"] is not None, name
        assert engines["baseline_p50_ms"] is not None or engines.get("baseline_timeout"), name
    throughput = result["throughput"]
    assert throughput["sparql"]["ours_rps"] > 0 and throughput["sparql"]["baseline_rps"] > 0
    assert throughput["sparql"]["ratio"] and throughput["mix"]["ok"] > 0 and throughput["mix"]["errors"] == 0

    memory = result["memory"]
    for part in ("service", "service_with_export", "baseline"):
        assert memory[part]["peak_rss_mb"] > 0 and memory[part]["processes"] >= 1
    assert result["browser"]  # view timings, or the reason Chromium could not run
    assert {c["target"] for c in result["checks"]} == TARGETS
    assert all(isinstance(c["pass"], bool) for c in result["checks"])
