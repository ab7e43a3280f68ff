"""Benchmark: ingest a generated corpus of DP pages written as .html/.docx/.pdf against the same corpus as .txt.

Both corpora come from `kg generate N --layout pages` with the same seed: the same DPs, pages and
strategies, written once as text and once as a mix of saved web pages, Word files and PDFs. Each
is ingested by `kg ingest` (a subprocess, into a fresh snapshot root, with its search index), in
turns, and what was read is scored against the ground truth (`ingest.synthetic.check`). The ratio
of the two ingest times is the figure to read; absolute times vary with the machine's load.

    python bench/formats.py --size 1000 --seed 1 --runs 2 [--work DIR] [--json results-formats.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import kg_command  # noqa: E402

CORPORA = {"txt": "txt", "mixed": "html,docx,pdf"}


def generate(size: int, seed: int, formats: str, out: Path) -> float:
    """Write a corpus of DP pages in the given formats; return the seconds it took."""
    started = time.perf_counter()
    subprocess.run([*kg_command(), "generate", str(size), str(out), "--seed", str(seed), "--layout", "pages",
                    "--formats", formats, "--force"], cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - started


def ingest(corpus: Path, store: Path) -> float:
    """Ingest a corpus into a fresh store with `kg ingest`; return the wall-clock seconds."""
    shutil.rmtree(store, ignore_errors=True)
    started = time.perf_counter()
    result = subprocess.run([*kg_command(), "ingest", "--store", str(store), str(corpus / "summaries"),
                             str(corpus / "strategies")], cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"kg ingest failed on {corpus}: {result.stderr[-2000:]}")
    return seconds


def score(corpus: Path, store: Path) -> dict[str, object]:
    """Score what the store read against the corpus's manifest."""
    from ingest.synthetic.check import score_corpus
    from kg.store.opening import open_reader

    with open_reader(str(store)) as opened:
        return score_corpus(opened, json.loads((corpus / "manifest.json").read_text())).as_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2, help="ingests of each corpus, taken in turns")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-formats-"))
    results: dict[str, dict[str, object]] = {}
    for name, formats in CORPORA.items():
        corpus = work / f"pages-{args.size}-seed{args.seed}-{name}"
        seconds = generate(args.size, args.seed, formats, corpus)
        files = [p for p in corpus.rglob("*") if p.is_file() and p.name != "manifest.json"]
        results[name] = {"formats": formats, "generate_s": round(seconds, 1), "documents": len(files),
                         "bytes": sum(p.stat().st_size for p in files), "ingest_s": []}
    for _run in range(args.runs):
        for name in CORPORA:
            corpus = work / f"pages-{args.size}-seed{args.seed}-{name}"
            results[name]["ingest_s"].append(round(ingest(corpus, work / f"store-{name}"), 2))  # type: ignore[union-attr]
    for name in CORPORA:
        corpus = work / f"pages-{args.size}-seed{args.seed}-{name}"
        median = statistics.median(results[name]["ingest_s"])  # type: ignore[arg-type]
        results[name].update(ingest_median_s=median,
                             documents_per_s=round(int(results[name]["documents"]) / median, 1),  # type: ignore[call-overload]
                             reading=score(corpus, work / f"store-{name}"))
    ratio = results["mixed"]["ingest_median_s"] / results["txt"]["ingest_median_s"]  # type: ignore[operator]
    report = {"size": args.size, "seed": args.seed, "runs": args.runs, "mixed_over_txt": round(ratio, 2),
              "corpora": results}
    text = json.dumps(report, indent=1)
    if args.json:
        args.json.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
