"""Plain records the readers produce and the builder consumes (no RDF here)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """A piece of a document facts are read from: a table cell or a summary section.

    `row` is the 1-based data-row number for table cells, None for summary sections;
    `column` is the table column (WHAT, WHO ...) or the summary field (aim, objectives ...).
    """

    column: str
    line: int
    text: str
    row: int | None = None


@dataclass(frozen=True)
class Mention:
    """A name as written in a cell (a body, a DP), with what the cell says about it.

    `separated` says the cell separates its names (commas, semicolons, lines): the item is one name.
    """

    text: str
    cells: tuple[Cell, ...]
    level: str | None = None
    lead: bool = False
    qualifier: str | None = None
    separated: bool = False


@dataclass
class Outcome:
    """An outcome sentence with its figure, if it has one."""

    text: str
    quantity: int | None = None
    qualifier: str | None = None
    unit: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Partner:
    """A member of a DP's partnership as the page lists it; `lead` if marked as the lead partner."""

    name: str
    cell: Cell
    lead: bool = False


@dataclass
class Summary:
    """What a DP summary says: the DP, its sections, and what they list.

    `name_source` says how the DP's name was found (title, field, prose, override), `theme_source`
    where the theme came from (field, line, prose); `theme_cell` is the cell that states it.
    """

    path: str
    dp_name: str
    dp_line: int
    sections: list[Cell]
    objectives: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    theme: str | None = None
    round: int | None = None
    title: str | None = None
    aliases: list[str] = field(default_factory=list)
    name_source: str = "prose"
    theme_source: str | None = None
    theme_cell: Cell | None = None
    partners: list[Partner] = field(default_factory=list)
    format: str = "text"
    warnings: list[str] = field(default_factory=list)
    private_lines: list[int] = field(default_factory=list)

    def section(self, name: str) -> Cell | None:
        """Return the section of a field (aim, background ...), if the summary has it."""
        return next((cell for cell in self.sections if cell.column == name), None)


@dataclass
class StrategyRow:
    """One data row of a strategy table: its cells by column."""

    number: int
    line: int
    cells: dict[str, Cell]


@dataclass
class StrategySection:
    """A numbered policy-area section of a strategy table and the rows under it."""

    number: int | None
    title: str
    line: int
    rows: list[StrategyRow] = field(default_factory=list)
    audiences: list[Mention] = field(default_factory=list)
    dps: list[Mention] = field(default_factory=list)
    title_cell: Cell | None = None


@dataclass
class Strategy:
    """What a thematic mainstreaming strategy says: title, theme, round, sections."""

    path: str
    title: str
    theme: str | None
    round: int | None
    year: int | None
    sections: list[StrategySection]
    columns: list[str]
    prose: str = ""
