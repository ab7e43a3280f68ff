"""Turn reader records into one document's RDF graph, with provenance for every fact.

Each fact `s p o` is written as a triple and as an `rdf:Statement` that names the cells it
came from (`prov:wasDerivedFrom`), the name as written, and how it was linked. IRIs are
derived from the document and its content only, so re-ingesting gives an isomorphic graph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ingest.built_graph import document_graph
from ingest.linker import Link, Linker
from ingest.records import Cell, Mention, Strategy, StrategySection, Summary
from ingest.text import match_key, one_line, without_contact_details
from kg.rdf.namespaces import EQ, ID, ORG, entity_iri, slugify, theme_iri

_ROW_TEXT = {"WHAT": EQ.what, "WHO": EQ.who, "WHEN": EQ.when, "HOW": EQ.how, "WHY": EQ.why,
             "DPS": EQ.dpsText}
_NEW_CONCEPT = {"policy-area": (EQ.PolicyArea, "policy-areas")}
#: Summary cells that are not running text: no bodies are read from them as mentions.
_NOT_PROSE = frozenset({"title", "region", "partners", "theme", "round", "field", "beneficiaries"})
_SUMMARY_TEXT = {"aim": EQ.aim, "background": EQ.background, "beneficiaries": EQ.beneficiaryText}
# The terms of every cell and statement, looked up once: rdflib resolves `RDF.type` and `EQ.line`
# by a Python-level __getattr__ each time, a million times for 5,000 DPs
_TYPE, _STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.Statement, RDF.subject, RDF.predicate, RDF.object
_PART_OF, _DERIVED_FROM = DCTERMS.isPartOf, PROV.wasDerivedFrom
_CELL, _COLUMN, _LINE, _TEXT, _ROW_NUMBER = EQ.Cell, EQ.column, EQ.line, EQ.text, EQ.rowNumber
_MENTION_TEXT, _MATCHED_BY, _LEVEL, _ACTIVITY, _QUALIFIER = (EQ.mentionText, EQ.matchedBy, EQ.level, EQ.activity,
                                                             EQ.qualifier)


#: Media types of the formats documents are read from (`dcterms:format`).
MEDIA_TYPES = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html", "pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


#: What stands in the stored text for a line of contact details.
NOT_STORED = "[contact details are not stored]"


def without_lines(text: str, lines: list[int]) -> str:
    r"""Return a text with some lines (1-based) replaced, keeping the line numbers of the others.

    >>> without_lines("Aim\nContact: Ann Lee\nText", [2])
    'Aim\n[contact details are not stored]\nText'
    """
    if not lines:
        return text
    parts = text.split("\n")
    for number in lines:
        if 0 < number <= len(parts):
            parts[number - 1] = NOT_STORED
    return "\n".join(parts)


def section_theme(theme: URIRef | None) -> str | None:
    """Return a theme IRI's letter (`.../theme/D` -> `D`)."""
    return str(theme).rsplit("/", 1)[-1] if theme is not None else None


@lru_cache(maxsize=64)
def _level(slug: str) -> URIRef:
    """Return a level's IRI (a handful of levels, named by most statements)."""
    return entity_iri("level", slug)


@dataclass
class BuildReport:
    """What one document added: entities by kind and the names nothing matched."""

    document: str
    kind: str
    dps: set[str] = field(default_factory=set)
    bodies: set[str] = field(default_factory=set)
    activities: int = 0
    unreconciled: list[str] = field(default_factory=list)
    triples: int = 0
    warnings: list[str] = field(default_factory=list)
    dp_names: list[str] = field(default_factory=list)


class DocumentGraph:
    """Builds the named graph of one document."""

    def __init__(self, doc: URIRef, linker: Linker) -> None:
        self.doc = doc
        self.linker = linker
        self.graph = document_graph(doc)
        self._cells: dict[Cell, URIRef] = {}

    def cell(self, cell: Cell) -> URIRef:
        """Add a source cell (once: facts name the same cells many times) and return its IRI
        (`<doc>/cell/<line>-<column>`)."""
        known = self._cells.get(cell)
        if known is not None:
            return known
        iri = self._cells[cell] = URIRef(f"{self.doc}/cell/{cell.line}-{cell.column.lower()}")
        add = self.graph.add
        add((iri, _TYPE, _CELL))
        add((iri, _PART_OF, self.doc))
        add((iri, _COLUMN, Literal(cell.column)))
        add((iri, _LINE, Literal(cell.line)))
        add((iri, _TEXT, Literal(without_contact_details(cell.text))))
        if cell.row is not None:
            add((iri, _ROW_NUMBER, Literal(cell.row)))
        return iri

    def fact(self, s: URIRef, p: URIRef, o: URIRef, cells: tuple[Cell, ...] | list[Cell],
             written: str | None = None, matched_by: str | None = None,
             level: str | None = None, activity: URIRef | None = None,
             qualifier: str | None = None) -> None:
        """Add `s p o` and a statement saying where it came from.

        Each source of a fact gets its own statement (its cells, the name as written, the
        level and activity), so provenance never mixes two readings of the same fact.
        """
        add = self.graph.add
        add((s, p, o))
        source = "|".join([f"{c.line}-{c.column}" for c in cells] + [str(x) for x in (
            written, matched_by, level, activity, qualifier)])
        digest = hashlib.sha1(f"{s} {p} {o} {source}".encode()).hexdigest()[:16]
        statement = URIRef(f"{self.doc}/statement/{digest}")
        add((statement, _TYPE, _STATEMENT))
        add((statement, _SUBJECT, s))
        add((statement, _PREDICATE, p))
        add((statement, _OBJECT, o))
        for cell in cells:
            add((statement, _DERIVED_FROM, self.cell(cell)))
        if written:
            add((statement, _MENTION_TEXT, Literal(written)))
        if matched_by:
            add((statement, _MATCHED_BY, Literal(matched_by)))
        if level:
            add((statement, _LEVEL, _level(level)))
        if activity is not None:
            add((statement, _ACTIVITY, activity))
        if qualifier:
            add((statement, _QUALIFIER, Literal(qualifier)))

    def dp(self, link: Link, round_: int | None) -> URIRef:
        """Add a DP's own triples; return its IRI."""
        iri = URIRef(link.iri)
        self.graph.add((iri, RDF.type, EQ.DevelopmentPartnership))
        self.graph.add((iri, RDFS.label, Literal(link.label)))
        if round_:
            self.graph.add((iri, EQ.round, Literal(round_)))
        return iri

    def body(self, link: Link) -> URIRef:
        """Return a body's IRI, adding a new (unreconciled) body's triples when needed."""
        iri = URIRef(link.iri)
        if link.is_new:
            self.graph.add((iri, RDF.type, EQ.Body))
            self.graph.add((iri, RDFS.label, Literal(link.label)))
            self.graph.add((iri, EQ.reconciled, Literal(False)))
            self.graph.add((iri, EQ.bodyType, entity_iri("body-type", "unknown")))
        return iri

    def concept(self, link: Link, kind: str) -> URIRef:
        """Return a concept's IRI, adding a new (unreconciled) concept's triples when needed."""
        iri = URIRef(link.iri)
        if link.is_new:
            cls, scheme = _NEW_CONCEPT[kind]
            for triple in ((iri, RDF.type, cls), (iri, RDF.type, SKOS.Concept),
                           (iri, RDFS.label, Literal(link.label, lang="en")),
                           (iri, SKOS.prefLabel, Literal(link.label, lang="en")),
                           (iri, SKOS.inScheme, URIRef(f"{ID}scheme/{scheme}")),
                           (iri, EQ.reconciled, Literal(False))):
                self.graph.add(triple)
        return iri

    def document(self, cls: URIRef, title: str, path: str, text: str, sha256: str, fmt: str = "text") -> None:
        """Add the document's own triples (its text as read, its format as a media type)."""
        g = self.graph
        g.add((self.doc, RDF.type, EQ.Document))
        g.add((self.doc, RDF.type, cls))
        g.add((self.doc, RDFS.label, Literal(title)))
        g.add((self.doc, DCTERMS.title, Literal(title)))
        g.add((self.doc, EQ.fileName, Literal(path.rsplit("/", 1)[-1])))
        g.add((self.doc, EQ.sha256, Literal(sha256)))
        g.add((self.doc, EQ.content, Literal(text)))
        g.add((self.doc, DCTERMS.format, Literal(MEDIA_TYPES.get(fmt, "text/plain"))))


def build_strategy(doc: URIRef, strategy: Strategy, text: str, linker: Linker,
                   sha256: str | None = None, fmt: str = "text") -> tuple[Graph, BuildReport]:
    """Build the graph of a thematic mainstreaming strategy."""
    out = DocumentGraph(doc, linker)
    report = BuildReport(document=str(doc), kind="strategy")
    out.document(EQ.MainstreamingStrategy, strategy.title, strategy.path, without_contact_details(text),
                 sha256 or hashlib.sha256(text.encode()).hexdigest(), fmt)
    title_cell = Cell(column="title", line=_title_line(text), text=strategy.title)
    theme = theme_iri(strategy.theme) if strategy.theme else None
    if theme is not None:
        out.fact(doc, EQ.theme, theme, [title_cell])
    if strategy.round:
        out.graph.add((doc, EQ.round, Literal(strategy.round)))
    if strategy.year:
        out.graph.add((doc, EQ.year, Literal(str(strategy.year), datatype=XSD.gYear)))
    for section in strategy.sections:
        _build_section(out, report, strategy, section, theme, title_cell)
    report.warnings = linker.take_warnings()
    report.triples = len(out.graph)
    return out.graph, report


def _build_section(out: DocumentGraph, report: BuildReport, strategy: Strategy,
                   section: StrategySection, theme: URIRef | None, title_cell: Cell) -> None:
    """Add one policy-area section: the activity, its rows, DPs, audiences and targets."""
    g, doc, linker = out.graph, out.doc, out.linker
    slug = str(doc).rsplit("/", 1)[-1]
    activity = entity_iri("activity", f"{slug}-{section.number if section.number is not None else 0}")
    report.activities += 1
    g.add((activity, RDF.type, EQ.MainstreamingActivity))
    g.add((activity, RDFS.label, Literal(_activity_label(section, strategy))))
    g.add((activity, DCTERMS.isPartOf, doc))
    if section.number is not None:
        g.add((activity, EQ.sectionNumber, Literal(section.number)))
    heading_cells = [section.title_cell] if section.title_cell else [title_cell]
    area_link = linker.concept_for_title("policy_area", "policy-area", section.title)
    area = out.concept(area_link, "policy-area")
    out.fact(activity, EQ.policyArea, area, heading_cells, written=section.title,
             matched_by=area_link.matched_by)
    if theme is not None:
        out.fact(activity, EQ.theme, theme, [title_cell])
    for row in section.rows:
        row_iri = URIRef(f"{doc}/row/{row.number}")
        g.add((row_iri, RDF.type, EQ.StrategyRow))
        g.add((row_iri, DCTERMS.isPartOf, activity))
        g.add((row_iri, EQ.rowNumber, Literal(row.number)))
        g.add((row_iri, EQ.line, Literal(row.line)))
        g.add((activity, EQ.row, row_iri))
        for column, cell in row.cells.items():
            out.cell(cell)
            if column in _ROW_TEXT:
                g.add((row_iri, _ROW_TEXT[column], Literal(one_line(cell.text))))
            if column == "HOW":
                for method in linker.concepts("method", cell.text):
                    out.fact(activity, EQ.method, URIRef(method.iri), [cell], written=method.written)
    dps = _section_dps(out, report, section, theme, strategy.round, activity, area, title_cell)
    bodies = _section_audiences(out, report, section, activity)
    for dp, dp_cells in dps:
        for body, mention, link in bodies:
            out.fact(dp, EQ.targets, body, dp_cells + mention.cells, written=link.written,
                     level=mention.level, activity=activity)


def _section_dps(out: DocumentGraph, report: BuildReport, section: StrategySection,
                 theme: URIRef | None, round_: int | None, activity: URIRef, area: URIRef,
                 title_cell: Cell) -> list[tuple[URIRef, tuple[Cell, ...]]]:
    """Add the DPs a section names; return them with the cells that name them."""
    dps: dict[URIRef, tuple[Cell, ...]] = {}
    for mention in section.dps:
        for link in out.linker.dps(mention.text, section_theme(theme), mention.separated):
            dp = out.dp(link, round_)
            report.dps.add(str(dp))
            if link.label not in report.dp_names:
                report.dp_names.append(link.label)
            out.fact(activity, EQ.involves, dp, mention.cells, written=link.written)
            if link.lead:
                out.fact(activity, EQ.lead, dp, mention.cells, written=link.written)
            out.fact(dp, EQ.policyArea, area, mention.cells, activity=activity)
            if theme is not None:
                out.fact(dp, EQ.theme, theme, (title_cell,) + mention.cells)
            dps[dp] = dps.get(dp, ()) + tuple(c for c in mention.cells if c not in dps.get(dp, ()))
    return list(dps.items())


def _section_audiences(out: DocumentGraph, report: BuildReport, section: StrategySection,
                       activity: URIRef) -> list[tuple[URIRef, Mention, Link]]:
    """Add the bodies a section's WHO cells name; return them with their mentions."""
    bodies = []
    for mention in section.audiences:
        for link in out.linker.bodies(mention.text):
            body = out.body(link)
            report.bodies.add(str(body))
            if link.is_new and link.written not in report.unreconciled:
                report.unreconciled.append(link.written)
            out.fact(activity, EQ.audience, body, mention.cells, written=link.written,
                     matched_by=link.matched_by, level=mention.level, qualifier=mention.qualifier)
            bodies.append((body, mention, link))
    return bodies


def _activity_label(section: StrategySection, strategy: Strategy) -> str:
    """Label an activity by its section title and its strategy's theme and year."""
    source = " ".join(part for part in (
        f"Theme {strategy.theme}" if strategy.theme else "", "strategy",
        str(strategy.year) if strategy.year else "") if part)
    return f"{section.title} ({source})"


def _title_line(text: str) -> int:
    """Return the 1-based line of a document's first non-empty line."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            return number
    return 1


def build_summary(doc: URIRef, summary: Summary, text: str, linker: Linker,
                  sha256: str | None = None) -> tuple[Graph, BuildReport]:
    """Build the graph of a DP summary: the DP, its sections, mentions, partners and outcomes."""
    out = DocumentGraph(doc, linker)
    report = BuildReport(document=str(doc), kind="summary")
    link = linker.dp(summary.dp_name, summary.theme)
    dp = out.dp(link, summary.round)
    report.dps.add(str(dp))
    title = summary.title or f"{link.label} DP summary"
    out.document(EQ.DPSummary, title, summary.path,
                 without_contact_details(without_lines(text, summary.private_lines)),
                 sha256 or hashlib.sha256(text.encode()).hexdigest(), summary.format)
    named_at = Cell(column="name", line=summary.dp_line, text=summary.dp_name)  # a page of fields only
    name_cell = next((c for c in summary.sections if c.line <= summary.dp_line), named_at)
    out.fact(doc, DCTERMS.subject, dp, [name_cell], written=summary.dp_name, matched_by=summary.name_source)
    for alias in summary.aliases:
        out.graph.add((dp, SKOS.altLabel, Literal(alias)))
        linker.dp_alias(link, alias)
    own = frozenset(match_key(name) for name in (link.label, summary.dp_name, *summary.aliases))
    if summary.theme and summary.theme_cell is not None:
        out.fact(dp, EQ.theme, theme_iri(summary.theme), [summary.theme_cell])
    for cell in summary.sections:
        out.cell(cell)
        if cell.column in _SUMMARY_TEXT:
            out.graph.add((dp, _SUMMARY_TEXT[cell.column], Literal(without_contact_details(one_line(cell.text)))))
        for region in linker.concepts("region", cell.text):
            if cell.column in ("aim", "background", "region", "intro"):
                out.fact(dp, EQ.region, URIRef(region.iri), [cell], written=region.written)
        if cell.column == "beneficiaries":
            for group in linker.concepts("group", cell.text):
                out.fact(dp, EQ.beneficiaryGroup, URIRef(group.iri), [cell], written=group.written)
        if cell.column not in _NOT_PROSE:
            for mentioned in linker.bodies_in_prose(cell.text, own) + linker.concepts("policy", cell.text):
                target = out.body(mentioned) if mentioned.is_new else URIRef(mentioned.iri)
                out.fact(dp, EQ.mentions, target, [cell], written=mentioned.written, matched_by=mentioned.matched_by)
                if mentioned.iri.startswith(f"{ID}body/"):
                    report.bodies.add(mentioned.iri)
                if mentioned.is_new and mentioned.written not in report.unreconciled:
                    report.unreconciled.append(mentioned.written)
    _build_partners(out, report, summary, dp)
    for item in summary.objectives:
        out.graph.add((dp, EQ.objective, Literal(without_contact_details(item))))
    objectives = summary.section("objectives")
    if objectives is not None and not summary.objectives:
        out.graph.add((dp, EQ.objective, Literal(one_line(objectives.text))))
    _build_outcomes(out, summary, dp)
    report.warnings = summary.warnings + linker.take_warnings()
    report.triples = len(out.graph)
    return out.graph, report


def _build_partners(out: DocumentGraph, report: BuildReport, summary: Summary, dp: URIRef) -> None:
    """Link the DP to its partner organisations: a body when the partner is one, else an organisation of its own.

    An organisation whose name holds a body's (`Learning and Skills Council West Yorkshire`) is
    that body's local arm (`org:subOrganizationOf`), or one of a kind of body (`eq:kind`).
    """
    g = out.graph
    for partner in summary.partners:
        body, parents = out.linker.partner(partner.name)
        if body is not None:
            node, how = URIRef(body.iri), body.matched_by
            report.bodies.add(body.iri)
        else:
            node, how = entity_iri("org", slugify(partner.name)), "new"
            g.add((node, RDF.type, EQ.PartnerOrganisation))
            g.add((node, RDFS.label, Literal(partner.name)))
            for parent, is_kind in parents:
                g.add((node, EQ.kind if is_kind else ORG.subOrganizationOf, URIRef(parent.iri)))
                if not is_kind:
                    report.bodies.add(parent.iri)
        out.fact(dp, EQ.partner, node, [partner.cell], written=partner.name, matched_by=how)
        if partner.lead:
            out.fact(dp, EQ.leadPartner, node, [partner.cell], written=partner.name, matched_by=how)


def _build_outcomes(out: DocumentGraph, summary: Summary, dp: URIRef) -> None:
    """Add the outcome sentences, each with its figure, from the outcomes section."""
    outcomes_cell = summary.section("outcomes")
    g = out.graph
    for number, outcome in enumerate(summary.outcomes, start=1):
        node = URIRef(f"{out.doc}/outcome/{number}")
        g.add((node, RDF.type, EQ.Outcome))
        g.add((node, EQ.text, Literal(without_contact_details(outcome.text))))
        for predicate, value in ((EQ.quantity, outcome.quantity), (EQ.qualifier, outcome.qualifier),
                                 (EQ.unit, outcome.unit), (EQ.period, outcome.period)):
            if value is not None:
                g.add((node, predicate, Literal(value)))
        out.fact(dp, EQ.outcome, node, [outcomes_cell] if outcomes_cell else [])
