"""Corpora for the benchmark: generated once per (size, seed) with `kg generate`, cached in the work dir.

Where `kg generate` is missing (an older checkout), a stand-in corpus is cloned from the sample
documents (renamed DPs, one strategy per theme naming them); its manifest says `"fallback": true`.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "ingest" / "sample_corpus"
THEMES = "ABCDEFGHI"


def kg_command() -> list[str]:
    """The `kg` command of this checkout (run as a module, so the venv's script need not be on PATH)."""
    return [sys.executable, "-m", "web.cli"]


def has_generator() -> bool:
    """Tell whether this checkout has `kg generate`."""
    result = subprocess.run([*kg_command(), "generate", "--help"], cwd=REPO, capture_output=True)
    return result.returncode == 0


def ensure_corpus(size: int, seed: int, work: Path) -> tuple[Path, dict[str, object]]:
    """Return a corpus of `size` DPs (generated or cached) and its manifest, plus how long generating took."""
    out = work / f"corpus-{size}-seed{seed}"
    manifest_path = out / "manifest.json"
    if not manifest_path.exists():
        if out.exists():
            shutil.rmtree(out)
        if has_generator():
            command = [*kg_command(), "generate", str(size), "--seed", str(seed), str(out)]
            result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"kg generate failed: {result.stdout}{result.stderr}")
        else:
            clone_corpus(size, seed, out)
    manifest = json.loads(manifest_path.read_text())
    files = [p for p in out.rglob("*.txt")]
    info = {"path": str(out), "documents": len(files), "bytes": sum(p.stat().st_size for p in files),
            "fallback": bool(manifest.get("fallback")), **manifest.get("counts", {}),
            **{k: v for k, v in manifest.items() if isinstance(v, (int, float, str, bool))}}
    return out, info


def _dp_name(index: int) -> str:
    syllables = ("ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "xe", "zu")
    word = "".join(syllables[int(d)] for d in f"{index:04d}")
    return word.upper()


def clone_corpus(size: int, seed: int, out: Path) -> None:
    """Write a stand-in corpus: `size` renamed copies of the sample summary, and per theme a copy of
    the sample strategy whose DP cells name that theme's DPs (a few bodies' rows reused)."""
    rng = random.Random(seed)
    summaries, strategies = out / "summaries", out / "strategies"
    summaries.mkdir(parents=True)
    strategies.mkdir(parents=True)
    summary = (SAMPLE / "seem_dp_summary.txt").read_text(encoding="utf-8")
    strategy = (SAMPLE / "theme_d_mainstreaming_strategy_2005.txt").read_text(encoding="utf-8")
    names = [_dp_name(i) for i in range(size)]
    by_theme: dict[str, list[str]] = {t: [] for t in THEMES}
    for index, name in enumerate(names):
        by_theme[THEMES[index % len(THEMES)]].append(name)
        text = summary.replace("SEEM", name)
        (summaries / f"{name.lower()}_dp_summary.txt").write_text(text, encoding="utf-8")
    for theme, members in by_theme.items():
        lines = []
        for line in strategy.replace("Theme D", f"Theme {theme}").split("\n"):
            cells = line.split("\t")
            if len(cells) >= 6 and not cells[0].startswith("WHAT?") and cells[1].strip():
                picked = rng.sample(members, min(len(members), rng.randint(2, 12))) if members else []
                cells[5] = ", ".join(n + ("*" if i == 0 else "") for i, n in enumerate(picked))
                line = "\t".join(cells)
            lines.append(line)
        name = f"theme_{theme.lower()}_mainstreaming_strategy_2005.txt"
        (strategies / name).write_text(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)), encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"dps": size, "seed": seed, "fallback": True}, indent=1))
