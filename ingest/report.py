"""What was read from each file, told to the user: format, genre, the DP and how it was found, theme, warnings.

`kg ingest` prints it for every file, `kg ingest --dry-run` shows it without storing anything,
and `--json` gives the same as JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ingest.blocks import Document
from ingest.records import Strategy, Summary


@dataclass
class Reading:
    """How one file was read."""

    file: str
    format: str
    genre: str
    dp: str | None = None
    name_source: str | None = None
    aliases: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    theme: str | None = None
    theme_source: str | None = None
    round: int | None = None
    objectives: int = 0
    partners: list[str] = field(default_factory=list)
    dps: list[str] = field(default_factory=list)
    policy_areas: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Return the reading as plain JSON-ready data."""
        return asdict(self)

    def describe(self) -> list[str]:
        """Return the reading as lines for a terminal."""
        head = f"{self.file}: {self.format}, {self.genre}"
        lines = [head]
        if self.genre == "summary":
            aliases = f" (also {', '.join(repr(a) for a in self.aliases)})" if self.aliases else ""
            lines.append(f"  DP: {self.dp!r}{aliases}, from the {self.name_source}")
            lines.append(f"  sections: {', '.join(self.sections) or 'none'}; {self.objectives} objectives; "
                         f"{len(self.partners)} partners")
        else:
            lines.append(f"  {self.policy_areas} policy areas; DPs: {', '.join(self.dps) or 'none'}")
        theme = f"{self.theme} (from the {self.theme_source})" if self.theme else "not stated"
        lines.append(f"  theme: {theme}; round: {self.round or 'not stated'}")
        lines.extend(f"  warning: {warning}" for warning in self.warnings)
        return lines


_THEME_SOURCES = {"field": "field", "line": "line that states it", "prose": "prose", "title": "title"}


def reading_of(document: Document, record: Summary | Strategy) -> Reading:
    """Describe what a reader made of a document."""
    if isinstance(record, Strategy):  # its DPs are named once the linker has split the DP cells
        return Reading(file=document.path, format=document.format, genre="strategy", theme=record.theme,
                       theme_source="title" if record.theme else None, round=record.round,
                       policy_areas=len(record.sections), warnings=list(document.notes))
    return Reading(file=document.path, format=document.format, genre="summary", dp=record.dp_name,
                   name_source={"override": "--dp-name option"}.get(record.name_source, record.name_source),
                   aliases=list(record.aliases),
                   sections=list(dict.fromkeys(c.column for c in record.sections)),
                   theme=record.theme, theme_source=_THEME_SOURCES.get(record.theme_source or ""),
                   round=record.round, objectives=len(record.objectives),
                   partners=[p.name for p in record.partners],
                   warnings=list(document.notes) + list(record.warnings))
