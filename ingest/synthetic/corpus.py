"""Generate a reproducible synthetic corpus (DP summaries, thematic strategy tables) with its ground truth.

`generate_corpus(N, seed, out)` plans N DPs across the nine themes, splits each theme's DPs over
strategy documents of realistic size, names audiences with a Zipf skew over the curated bodies
(plus a few unknown ones), writes the documents with the quirks of the samples, and records in
`manifest.json` which bodies each DP targets, so ingest can be measured against it. The same N
and seed give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from ingest.gazetteer import Gazetteer
from ingest.synthetic.names import BodyForms, DPName, load_bodies, make_dp_names, make_unknown_bodies
from ingest.synthetic.output import Output, write_page, write_strategy
from ingest.synthetic.text import Audience, Row, Section, render_strategy, render_summary
from ingest.synthetic.words import AFFINITY, HEAD_BODIES, SECTION_TITLES, THEME_WEIGHTS
from kg.rdf.namespaces import entity_iri
from kg.rdf.reference import reference_graph

#: Zipf exponent of the audience skew, and the rates of the quirks that are not in `generate_text`.
ZIPF = 1.0
UNKNOWN_RATE = 0.05
FORM_WEIGHTS = {"label": 45, "abbreviation": 30, "alias": 17, "typo": 8}
OUTPUT_PARTS = ("summaries", "strategies", "manifest.json")


@dataclass
class Manifest:
    """What a generated corpus holds and its ground truth (`manifest.json`)."""

    path: Path
    data: dict[str, Any]
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, Any]:
        """Counts of DPs, documents, links and bodies."""
        return self.data["counts"]

    def targets(self) -> set[tuple[str, str]]:
        """Return every (DP IRI, body IRI) link the corpus is meant to state."""
        return {(dp["iri"], body) for dp in self.data["dps"] for body in dp["targets"]}


@dataclass
class _DP:
    name: DPName
    theme: str
    round: int
    strategies: list[str] = field(default_factory=list)
    targets: dict[str, None] = field(default_factory=dict)

    @property
    def iri(self) -> str:
        return str(entity_iri("dp", self.name.slug))


class _Audiences:
    """Draws a section's audiences: Zipf over the bodies of the time, boosted by theme, plus unknown names."""

    def __init__(self, bodies: list[BodyForms], unknown: list[tuple[str, str]], seed: int) -> None:
        self.bodies = bodies
        self.unknown = unknown
        head = {str(entity_iri("body", slug)): rank for rank, slug in enumerate(HEAD_BODIES)}
        tail = sorted((b for b in bodies if b.iri not in head),
                      key=lambda b: hashlib.sha1(f"{seed}:{b.iri}".encode()).hexdigest())
        self.rank = dict(head) | {b.iri: len(head) + i for i, b in enumerate(tail)}
        self._tables: dict[tuple[str, int], tuple[list[BodyForms], list[float]]] = {}

    def _table(self, theme: str, year: int) -> tuple[list[BodyForms], list[float]]:
        if (theme, year) not in self._tables:
            boosted = {str(entity_iri("body", slug)) for slug in AFFINITY[theme]}
            live = [b for b in self.bodies if b.exists_in(year)]
            weights = [(4.0 if b.iri in boosted else 1.0) / (self.rank[b.iri] + 2) ** ZIPF for b in live]
            self._tables[(theme, year)] = (live, list(accumulate(weights)))
        return self._tables[(theme, year)]

    def draw(self, rng: random.Random, theme: str, year: int, count: int) -> list[Audience]:
        live, cumulative = self._table(theme, year)
        chosen: dict[str, Audience] = {}
        while len(chosen) < count:
            if rng.random() < UNKNOWN_RATE and self.unknown:
                name, iri = rng.choice(self.unknown)
                chosen.setdefault(iri, Audience(iri, name, rng.choice(["Local/Regional", "Local"])))
                continue
            body = live[min(bisect(cumulative, rng.random() * cumulative[-1]), len(live) - 1)]
            if body.iri not in chosen:
                chosen[body.iri] = _written(rng, body)
        return list(chosen.values())


def _written(rng: random.Random, body: BodyForms) -> Audience:
    """Write one body as a strategy would: a label, abbreviation, alias or typo, maybe with quirks."""
    hows = [how for how in FORM_WEIGHTS if how in body.forms]
    how = rng.choices(hows, [FORM_WEIGHTS[h] for h in hows])[0]
    written = rng.choice(body.forms[how])
    level = body.level
    if body.kind:
        level = rng.choices(["Local/Regional", "Local", "Regional", "Practitioner"], [60, 15, 10, 15])[0]
    elif level == "Regional" and rng.random() < 0.5:
        level = "Local/Regional"
    plain = how in ("label", "abbreviation")
    quirk = rng.random()
    if quirk < 0.08 and body.parent:
        written, plain = f"{written} ({body.parent})", False
    elif quirk < 0.11 and level in ("Regional", "Local/Regional") and not body.kind:
        written, plain = written + "*", False
    elif quirk < 0.15 and body.kind:
        written, plain = rng.choice(["other ", "various ", "relevant "]) + written, False
    return Audience(iri=body.iri, written=written, level=level, plain=plain)


def generate_corpus(dps: int, seed: int, out_dir: Path, output: Output | None = None) -> Manifest:
    """Write N DP summaries, the strategies naming them, and manifest.json into out_dir.

    `output` says in which formats and summary layouts (default: text, the sample's layout).
    Raises:
        ValueError: N is below 1.
    """
    if dps < 1:
        raise ValueError("the number of DPs must be at least 1")
    output = output or Output()
    files = random.Random(f"{seed}:files")  # formats and layouts: their own stream, so text stays as it was
    started = time.perf_counter()
    graph = reference_graph()
    gazetteer = Gazetteer.from_graph(graph)
    bodies, dropped = load_bodies(graph, random.Random(f"{seed}:typos"))
    names = make_dp_names(random.Random(f"{seed}:names"), dps, set(gazetteer.bodies.keys()))
    known = set(gazetteer.bodies.keys())
    unknown = make_unknown_bodies(random.Random(f"{seed}:unknown"), max(8, dps // 12), known)
    audiences = _Audiences(bodies, unknown, seed)
    rng = random.Random(f"{seed}:plan")
    planned = _assign_themes(rng, names)
    out_dir = Path(out_dir)
    for part in ("summaries", "strategies"):
        (out_dir / part).mkdir(parents=True, exist_ok=True)
    strategies: dict[str, list[str]] = {theme: [] for theme in THEME_WEIGHTS}
    sections_total = 0
    for (theme, round_), members in _groups(planned).items():
        year = rng.choice([2003, 2004] if round_ == 1 else [2005, 2006, 2007])
        parts = max(1, round(len(members) / rng.uniform(100, 200)))
        for part in range(parts):
            chunk = members[part * len(members) // parts:(part + 1) * len(members) // parts]
            file = f"strategies/theme-{theme.lower()}-round-{round_}-{year}" + (
                f"-part-{part + 1:02d}.txt" if parts > 1 else ".txt")
            sections = _plan_sections(rng, theme, year, chunk, audiences, file)
            sections_total += len(sections)
            text = render_strategy(rng, theme, round_, year, part + 1, parts, sections)
            written = write_strategy(out_dir, file, text, output, files)
            for dp in chunk:
                dp.strategies = [written if name == file else name for name in dp.strategies]
            strategies[theme].append(written)
    records = []
    for dp in planned:
        mentions = _mentions(rng, dp, bodies)
        written = [form for _iri, form in mentions]
        extra: dict[str, object] = {}
        if output.layout == "pages" or (output.layout == "mixed" and files.random() < 0.5):
            summary, extra = write_page(out_dir, dp.name.slug, dp.name.name, dp.theme, dp.round, dp.name.region,
                                        dp.name.town, written, output, files)
        else:
            text = render_summary(rng, dp.name.name, dp.theme, dp.round, dp.name.region, dp.name.town, written)
            summary = f"summaries/{dp.name.slug}.txt"
            (out_dir / summary).write_bytes(text.encode("utf-8"))
        records.append({"name": dp.name.name, "iri": dp.iri, "theme": dp.theme, "round": dp.round,
                        "region": dp.name.region, "summary": summary,
                        "strategies": dp.strategies, "targets": sorted(dp.targets),
                        "mentions": sorted({iri for iri, _written in mentions}), **extra})
    data = _manifest_data(dps, seed, records, strategies, bodies, unknown, sections_total, dropped)
    path = out_dir / "manifest.json"
    path.write_bytes((json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return Manifest(path=path, data=data, seconds=time.perf_counter() - started)


def _assign_themes(rng: random.Random, names: list[DPName]) -> list[_DP]:
    """Give each DP a theme (by the themes' shares, every theme at least one from 9 DPs) and a round."""
    total = sum(THEME_WEIGHTS.values())
    quotas = {t: len(names) * w / total for t, w in THEME_WEIGHTS.items()}
    counts = {t: max(int(q), 1 if len(names) >= len(quotas) else 0) for t, q in quotas.items()}
    for theme in sorted(quotas, key=lambda t: quotas[t] - int(quotas[t]), reverse=True):
        if sum(counts.values()) >= len(names):
            break
        counts[theme] += 1
    while sum(counts.values()) > len(names):
        counts[max(counts, key=counts.__getitem__)] -= 1
    themes = [theme for theme, count in counts.items() for _ in range(count)]
    rng.shuffle(themes)
    return [_DP(name, theme, 1 if rng.random() < 0.45 else 2) for name, theme in zip(names, themes)]


def _groups(planned: list[_DP]) -> dict[tuple[str, int], list[_DP]]:
    groups: dict[tuple[str, int], list[_DP]] = {}
    for dp in sorted(planned, key=lambda d: (d.theme, d.round)):
        groups.setdefault((dp.theme, dp.round), []).append(dp)
    return groups


def _plan_sections(rng: random.Random, theme: str, year: int, members: list[_DP], audiences: _Audiences,
                   file: str) -> list[Section]:
    """Plan one strategy document: sections with audiences, DPs spread over sections and rows."""
    count = min(24, max(min(5, 2 + len(members) // 2), round(len(members) / 8) + rng.randint(-1, 1)))
    pool = SECTION_TITLES[theme] + [t for t in SECTION_TITLES["*"] if t not in SECTION_TITLES[theme]]
    titles = rng.sample(pool, k=min(count, len(pool))) + rng.choices(pool, k=max(0, count - len(pool)))
    if count > 2 and rng.random() < 0.25:
        titles[-1] = "Other"
    members_of: list[list[_DP]] = [[] for _ in range(count)]
    popularity = [rng.random() ** 2 + 0.05 for _ in range(count)]  # some policy areas draw many DPs, some few
    for dp in members:
        how_many = min(count, rng.choices([1, 2, 3], [55, 30, 15])[0])
        picked: list[int] = []
        while len(picked) < how_many:
            index = rng.choices(range(count), popularity)[0]
            if index not in picked:
                picked.append(index)
        for index in sorted(picked):
            members_of[index].append(dp)
    for index in range(count):
        if not members_of[index]:
            members_of[index].append(rng.choice(members))
    sections = []
    for index, (title, dps) in enumerate(zip(titles, members_of), start=1):
        named = audiences.draw(rng, theme, year, rng.randint(4, 9))
        for dp in dps:
            dp.targets.update(dict.fromkeys(a.iri for a in named))
            if file not in dp.strategies:
                dp.strategies.append(file)
        sections.append(Section(number=index, title=title, rows=_rows(rng, named, dps)))
    return sections


def _rows(rng: random.Random, named: list[Audience], dps: list[_DP]) -> list[Row]:
    """Spread a section's audiences and DPs over its rows (the first row usually names the DPs)."""
    count = min(rng.choice([1, 2, 2, 3, 3, 4]), max(1, len(named) // 2))
    cuts = sorted(rng.sample(range(1, len(named)), count - 1)) if count > 1 else []
    rows = [Row(audiences=named[a:b]) for a, b in zip([0, *cuts], [*cuts, len(named)])]
    together = rng.random() < 0.6
    for dp in dps:
        row = rows[0] if together else rng.choice(rows)
        row.dps.append(_dp_written(rng, dp.name.name, lead=not row.dps and rng.random() < 0.15))
    return rows


def _dp_written(rng: random.Random, name: str, lead: bool) -> str:
    """Write a DP as strategies do: its name, `X DP`, capitals, a full stop, and `*` to lead."""
    written = rng.choices([name, f"{name} DP", name.upper(), f"the {name} DP"], [88, 6, 4, 2])[0]
    return written + ("*" if lead else "")


def _mentions(rng: random.Random, dp: _DP, bodies: list[BodyForms]) -> list[tuple[str, str]]:
    """Pick up to two named bodies a DP targets for its summary's prose to mention (label or abbreviation)."""
    by_iri = {b.iri: b for b in bodies}
    named = [by_iri[iri] for iri in dp.targets if iri in by_iri and not by_iri[iri].kind]
    picked = rng.sample(named, k=min(len(named), rng.choice([0, 1, 1, 2])))
    return [(b.iri, rng.choice(b.forms.get("abbreviation", []) + b.forms.get("label", []) or [b.label]))
            for b in picked]


def _manifest_data(dps: int, seed: int, records: list[dict[str, Any]], strategies: dict[str, list[str]],
                   bodies: list[BodyForms], unknown: list[tuple[str, str]], sections: int,
                   dropped: int) -> dict[str, Any]:
    """Assemble the manifest: counts, themes, DPs with their targets, bodies by how many DPs target them."""
    labels = {b.iri: b.label for b in bodies} | {iri: name for name, iri in unknown}
    targeted: dict[str, int] = {}
    for record in records:
        for iri in record["targets"]:
            targeted[iri] = targeted.get(iri, 0) + 1
    links = sum(targeted.values())
    known = {b.iri for b in bodies}
    return {
        "generator": {"version": 1, "seed": seed, "dps": dps},
        "counts": {
            "dps": len(records), "summaries": len(records),
            "strategies": sum(map(len, strategies.values())), "sections": sections,
            "links": links, "links_per_dp": round(links / max(1, len(records)), 2),
            "bodies_targeted": len(targeted), "unknown_bodies_targeted": len(set(targeted) - known),
            "gazetteer_forms_dropped": dropped,
        },
        "themes": {theme: {"dps": sum(r["theme"] == theme for r in records), "strategies": files}
                   for theme, files in strategies.items()},
        "bodies": [{"iri": iri, "label": labels[iri], "known": iri in known, "dps": count}
                   for iri, count in sorted(targeted.items(), key=lambda item: (-item[1], item[0]))],
        "dps": records,
    }


def clear_output(out_dir: Path) -> None:
    """Remove what an earlier run wrote in out_dir (summaries/, strategies/, manifest.json), nothing else."""
    for part in OUTPUT_PARTS:
        target = Path(out_dir) / part
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
