"""Write generated DPs and strategy plans as text in the genres of the sample corpus, with their quirks.

Summaries: headings that vary in wording, case and order, the DP named in prose, bullet or
numbered objectives, outcomes with figures. Strategies: prose, then a tab-separated table with
headers repeated at page breaks, numbered section rows, HTML cells, inline audience levels,
unseparated lists, lead markers, bracketed qualifiers, cells continued after a page break,
placeholders, curly quotes and dashes (DESIGN.md section 3).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from itertools import pairwise

from ingest.synthetic.words import (
    AIMS,
    BACKGROUND,
    GROUPS,
    HEADERS,
    HEADINGS,
    HOW,
    OBJECTIVES,
    OUTCOMES,
    PROSE,
    THEME_NAMES,
    WHAT,
    WHEN,
    WHY,
)

#: Written variants of the audience levels (the reader takes them from the level scheme).
LEVEL_LABELS = {
    "Local/Regional": ["Local/Regional", "Local/Regional", "Local/ regional", "Local / Regional", "Local and Regional"],
    "Regional": ["Regional", "Regional"], "Local": ["Local", "Sub-regional"],
    "National": ["National", "National", "National level"], "European": ["European", "Europe", "Transnational"],
    "Practitioner": ["Practitioner", "Practitioners"],
}
LEVEL_ORDER = ["Local/Regional", "Local", "Regional", "National", "European", "Practitioner"]


@dataclass
class Audience:
    """A body as one strategy section names it."""

    iri: str
    written: str
    level: str
    plain: bool = False  # written as a label or abbreviation (may join an unseparated list)


@dataclass
class Row:
    """One data row of a planned strategy table: its audiences and DPs (as written)."""

    audiences: list[Audience] = field(default_factory=list)
    dps: list[str] = field(default_factory=list)


@dataclass
class Section:
    """One numbered policy-area section of a planned strategy table."""

    number: int
    title: str
    rows: list[Row] = field(default_factory=list)


def render_summary(rng: random.Random, name: str, theme: str, round_: int, region: str, town: str,
                   mentions: list[str]) -> str:
    """Write a DP summary: optional title line, then Aim, Objectives, Background, beneficiaries, outcomes."""
    dp_ref = [f"the {name} DP", f"the {name} Development Partnership", f"{name} DP"]
    fields = ["aim", "objectives", "background", "beneficiaries", "outcomes"]
    if rng.random() < 0.25:
        fields.remove("background")
        fields.insert(1, "background")
    if rng.random() < 0.1:
        fields.remove(rng.choice(["background", "beneficiaries"]))
    title = rng.choices([None, f"{name} Development Partnership", f"DP name: {name}",
                         f"Development Partnership: {name}", f"{name} DP summary"], [35, 25, 15, 10, 15])[0]
    lines = [title, ""] if title else []
    upper = rng.random() < 0.15
    first_mention = True
    for name_of_field in fields:
        heading = rng.choice(HEADINGS[name_of_field])
        heading = heading.upper() if upper else heading
        colon = ":" if upper or rng.random() < 0.3 else ""
        if name_of_field == "aim":
            aim = rng.choice(AIMS[theme])
            text = rng.choice([f"The aim of {dp_ref[0]} was to {aim}.", f"{dp_ref[2]} aimed to {aim}.",
                               f"The overall aim of {dp_ref[1]} was to {aim}."])
            first_mention = False
            body = [(text + " " + rng.choice(PROSE["aim_more"])).strip()]
        elif name_of_field == "objectives":
            body = _objectives(rng, theme, mentions)
        elif name_of_field == "background":
            body = [_background(rng, name, theme, round_, region, town, first_mention)]
            first_mention = False
        elif name_of_field == "beneficiaries":
            groups = rng.sample(GROUPS[theme], k=min(len(GROUPS[theme]), rng.randint(2, 4)))
            sentence = rng.choice(PROSE["beneficiaries"]).format(groups=_and_list(groups))
            body = [sentence[:1].upper() + sentence[1:]]
        else:
            body = [_outcomes(rng, round_)]
        if colon and rng.random() < 0.3 and len(body) == 1:
            lines.append(f"{heading}{colon} {body[0]}")
        else:
            lines.append(heading + colon)
            lines.extend(body)
        if title and rng.random() < 0.4:
            lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    return _curly(rng, text, 0.3)


def _objectives(rng: random.Random, theme: str, mentions: list[str]) -> list[str]:
    """Write objectives as bullets, numbers or one line split by semicolons; bodies may be named."""
    items = rng.sample(OBJECTIVES[theme] + OBJECTIVES["*"], k=rng.randint(3, 7))
    for body in mentions:
        at = rng.randrange(len(items))
        items[at] = items[at] + rng.choice([f", working with {body}", f" through {body}",
                                            f" and informing {body} policy"])
    style = rng.choice(["dash", "dash", "bullet", "number", "semicolon"])
    lead = [rng.choice(["Key priorities and actions were:", "The DP set out to:", "Objectives were:"])] \
        if rng.random() < 0.35 and style != "semicolon" else []
    if style == "semicolon":
        return ["; ".join(items)]
    marks = {"dash": lambda i: "- ", "bullet": lambda i: "\u2022 ", "number": lambda i: f"{i}. "}[style]
    return lead + [marks(i) + item for i, item in enumerate(items, start=1)]


def _background(rng: random.Random, name: str, theme: str, round_: int, region: str, town: str,
                first_mention: bool) -> str:
    """Write the background: why the DP was set up, where, and (often) its theme and round."""
    opening = rng.choice(BACKGROUND["opening"]).format(theme_name=THEME_NAMES[theme].lower())
    who = f"The {name} DP" if first_mention or rng.random() < 0.6 else "The DP"
    region = region if region in ("London", "Wales", "Scotland", "Yorkshire and the Humber") else f"the {region}"
    where = rng.choice(BACKGROUND["where"]).format(who=who, town=town, region=region)
    parts = [opening, where]
    if rng.random() < 0.5:
        parts.append(f"It was funded under Equal Theme {theme} in Round {round_} of the programme.")
    elif rng.random() < 0.5:
        parts.append(f"The {name} Development Partnership brought together partners from {town} "
                     f"and across {region}.")
    parts.append(rng.choice(BACKGROUND["closing"]))
    return " ".join(parts)


def _outcomes(rng: random.Random, round_: int) -> str:
    """Write outcome sentences with figures, qualifiers and periods (over 300 people, 2003-4)."""
    start = 2002 if round_ == 1 else 2005
    year = rng.randint(start, start + 2)
    period = rng.choice([f"{year}-{str(year + 1)[-1]}", f"{year}/{str(year + 1)[-2:]}", str(year)])
    sentences = [template.format(period=period, n=rng.choice([12, 25, 40, 60, 85, 120, 150, 300, 450, 1200]),
                                 m=rng.choice([8, 15, 30, 45, 70, 150]), p=rng.choice([20, 35, 45, 60]))
                 for template in rng.sample(OUTCOMES, k=rng.randint(2, 4))]
    return " ".join(sentences)


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _curly(rng: random.Random, text: str, rate: float) -> str:
    """Put curly quotes and dashes into a text, as word processors do, at a rate."""
    if rng.random() >= rate:
        return text
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
    text = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text)
    return text.replace(" - ", " \u2013 ")


def render_strategy(rng: random.Random, theme: str, round_: int, year: int, part: int, parts: int,
                    sections: list[Section]) -> str:
    """Write a thematic mainstreaming strategy: title, prose, then the table with its quirks."""
    part_text = f" (part {part} of {parts})" if parts > 1 else ""
    title = rng.choice([
        f"Equal Round {round_}: Theme {theme} Mainstreaming Strategy {year}{part_text}",
        f"Equal Round {round_} \u2013 Theme {theme} Thematic Mainstreaming Strategy {year}{part_text}",
        f"EQUAL Theme {theme} Mainstreaming Strategy, Round {round_}, {year}{part_text}",
    ])
    prose = [p.format(theme=theme, theme_name=THEME_NAMES[theme]) for p in rng.sample(PROSE["strategy"], k=3)]
    header = rng.choice(HEADERS)
    lines = ["", "", title, "", *[line for paragraph in prose for line in (paragraph, "")], header]
    html_from = rng.randrange(len(sections) + 1) if rng.random() < 0.5 else len(sections) + 1
    page_left = rng.randint(3, 6)
    for section in sections:
        html = section.number > html_from
        lines.append(_section_row(rng, section) + "\t" * (len(header.split("\t")) - 1))
        for row in section.rows:
            what, who, dps = (rng.choice(WHAT[theme]), _who_cell(rng, row.audiences, html),
                              _dps_cell(rng, row.dps, html))
            when = rng.choice(WHEN).format(year=year, next=year + 1)
            how, why = ", ".join(rng.sample(HOW, k=rng.randint(2, 4))).capitalize(), rng.choice(WHY)
            page_left -= 1
            cut = _cut_point(who) if page_left <= 0 and rng.random() < 0.4 else None
            cells = [what, who[:cut] if cut else who, when, how, why, dps]
            lines.append("\t".join(_html(c, html, rng) for c in cells))
            if page_left <= 0:
                lines.extend(["", header if rng.random() < 0.6 else header.rstrip(")")])
                page_left = rng.randint(3, 6)
                if cut:
                    lines.append("\t".join(_html(c, html, rng) for c in ["", who[cut:].lstrip(), "", "", "", ""]))
    return _curly(rng, "\n".join(lines) + "\n", 0.5)


def _section_row(rng: random.Random, section: Section) -> str:
    """Write a numbered section heading in one of the styles tables use (`1. X`, `5.Other`, `2) X`)."""
    style = rng.choices(["{n}. {t}", "{n}.{t}", "{n}) {t}", "Section {n}: {t}"], [70, 10, 15, 5])[0]
    return style.format(n=section.number, t=section.title)


def _who_cell(rng: random.Random, audiences: list[Audience], html: bool) -> str:
    """Write a WHO cell: audiences grouped by level, labels inline, items in lists of several styles."""
    if not audiences:
        return rng.choice(["", "To be completed", "TBC"])
    groups: dict[str, list[Audience]] = {}
    for audience in audiences:
        groups.setdefault(audience.level, []).append(audience)
    labelled = rng.random() < 0.9
    parts = []
    for level in sorted(groups, key=LEVEL_ORDER.index):
        items = _join(rng, groups[level])
        parts.append(f"{rng.choice(LEVEL_LABELS[level])}: {items}" if labelled else items)
    joiner = rng.choices([" ", "; ", "<br>", ", "], [60, 15, 15 if html else 5, 5 if labelled else 0])[0]
    cell = joiner.join(parts) if labelled else ", ".join(parts)
    return cell[:1].upper() + cell[1:]  # a cell in lower case would continue the one above


def _join(rng: random.Random, audiences: list[Audience]) -> str:
    """Join a level's audiences: commas, semicolons, a final 'and', or (between plain names) nothing."""
    comma = rng.choice([", ", ", ", ", ", "; "])
    out = audiences[0].written
    for before, audience in pairwise(audiences):
        if before.plain and audience.plain and rng.random() < 0.08:
            out += " "
        elif audience is audiences[-1] and rng.random() < 0.1:
            out += " and "
        else:
            out += comma
        out += audience.written
    return out + (" etc." if rng.random() < 0.03 else "")


def _dps_cell(rng: random.Random, dps: list[str], html: bool) -> str:
    """Write a DPs cell: names with commas, semicolons, paragraphs, or nothing between them."""
    if not dps:
        return ""
    dps = [dps[0][:1].upper() + dps[0][1:], *dps[1:]]  # a cell in lower case would continue the one above
    style = rng.choices([", ", " ", "; ", "and", "<p>"], [45, 25, 10, 10, 10 if html else 0])[0]
    if style == "and" and len(dps) > 1:
        return ", ".join(dps[:-1]) + " and " + dps[-1]
    if style == "<p>":
        return "</p> <p>".join(dps)
    return (style if style != "and" else ", ").join(dps)


def _cut_point(who: str) -> int | None:
    """Where a page break may cut a WHO cell: before a lower-case word (so the rest reads as a continuation)."""
    points = [m.start() for m in re.finditer(r"(?<=[ ,;]) *[a-z]", who) if m.start() > len(who) // 3]
    return points[0] if points else None


def _html(text: str, html: bool, rng: random.Random) -> str:
    """Wrap a cell in `<p>` (with entities) when the table's export has turned to HTML."""
    if not html or not text:
        return text
    return "<p>" + text.replace("&", "&amp;") + "</p>"
