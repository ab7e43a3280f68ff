"""Resolve names as written to entities: bodies, DPs and concepts.

A name is looked up whole (label, abbreviation, alias, known typo); an unseparated list
(`Home Office NHS`) is split by the longest known names; a near miss (`OPDM`) is matched
when only one entity is one edit away; anything else becomes a new entity flagged as not
reconciled, so nothing is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.gazetteer import Entry, Found, Gazetteer, NameIndex
from ingest.summary_reader import clean_dp_name
from ingest.text import match_key
from kg.rdf.namespaces import entity_iri, slugify

_TOKEN = re.compile(r"[^\s/]+")
_ACRONYM = re.compile(r"^[A-Z0-9&\-]*[A-Z][A-Z0-9&\-]*\*?[.,;:]?$")
#: An abbreviation as prose writes it: all capitals, or mixed case with two capitals (`DfES`, `IDeA`, `DoH`).
_ABBREVIATION = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z0-9&+\-]+\*?[.,;:]?$|" + _ACRONYM.pattern)
_CONNECTORS = {"and", "or", "plus"}
_DP_WORDS = re.compile(r"\b(?:DPs?|D\.P\.|Development\s+Partnerships?)\b", re.IGNORECASE)
#: Texts whose concepts a linker remembers at most (then it starts again).
_REMEMBERED = 50_000
_NOISE_ONLY = {"other", "various", "relevant", "all", "the", "and", "etc", "e", "g", "eg", "of"}
#: Words never a DP name on their own: what is left between two known DP names ('Routes' and
#: 'Forum' known, 'Routes to Forum' written) is not a new DP called 'to'.
_NOT_A_DP = _NOISE_ONLY | _CONNECTORS | {"to", "into", "for", "in", "on", "at", "with", "from", "by"}


@dataclass(frozen=True)
class Link:
    """A name as written, resolved to an entity; `matched_by` is 'new' for unreconciled ones."""

    iri: str
    label: str
    written: str
    matched_by: str
    lead: bool = False

    @property
    def is_new(self) -> bool:
        """Tell whether the entity was made from this mention (not reconciled)."""
        return self.matched_by in ("new", "ambiguous")


@lru_cache(maxsize=1 << 16)
def _token_key(token: str) -> str:
    """Return a token's match key (cached: the same words recur in every document)."""
    return match_key(token.rstrip("*"))


def _tokens(text: str) -> tuple[list[re.Match[str]], list[str]]:
    """Split text into tokens (kept with their spans) and their match keys."""
    pairs = [(m, key) for m in _TOKEN.finditer(text) if (key := _token_key(m.group(0)))]
    return [m for m, _ in pairs], [key for _, key in pairs]


def _slice(text: str, spans: list[re.Match[str]], start: int, end: int) -> str:
    """Return the original text covered by tokens [start, end)."""
    return text[spans[start].start():spans[end - 1].end()]


class Linker:
    """Resolves mentions against the gazetteer and the DPs known so far."""

    def __init__(self, gazetteer: Gazetteer, dps: NameIndex | None = None,
                 dp_themes: dict[str, set[str]] | None = None) -> None:
        self.gazetteer = gazetteer
        self.dp_index = dps or NameIndex()
        #: The themes each known DP has been read under: a DP name met under another theme is another DP.
        self.dp_themes: dict[str, set[str]] = dp_themes if dp_themes is not None else {}
        #: Things a reader should hear about (name conflicts, ambiguous names), taken by `take_warnings`.
        self.warnings: list[str] = []
        self._known_body_iris = gazetteer.bodies.iris()
        self._fuzzy_cache: dict[str, Entry | None] = {}
        self._concepts: dict[tuple[str, str], tuple[Link, ...]] = {}

    # ---- bodies ----

    def bodies(self, text: str) -> list[Link]:
        """Resolve one audience list item to one or more bodies.

        An unseparated list is split when every part is a known name, or when the known parts
        are abbreviations (`DTI Foo Board`); parts joined by 'and' are resolved one by one
        when the whole is unknown.
        """
        name = text.replace("*", "").strip()
        index = self.gazetteer.bodies
        whole = index.get(name)
        if whole is not None:
            return [self._link(whole, name, whole.how)]
        spans, keys = _tokens(name)
        found = index.scan(keys)
        if found and self._split_is_sound(spans, keys, found):
            return self._split_links(name, spans, keys, found)
        parts = [part for part in re.split(r"\s+(?:and|&)\s+", name) if part.strip()]
        if len(parts) > 1 and any(index.get(p) or self._fuzzy(p) for p in parts):
            return [link for part in parts for link in self.bodies(part)]
        near = self._fuzzy(name)
        if near is not None:
            return [self._link(near, name, "fuzzy")]
        return [self._new_body(name)]

    def _split_is_sound(self, spans: list[re.Match[str]], keys: list[str], found: list[Found]) -> bool:
        """Accept a split if it covers every word, or its known parts are abbreviations."""
        covered = {i for f in found for i in range(f.start, f.end)}
        rest = [i for i in range(len(keys)) if i not in covered and keys[i] not in _CONNECTORS]
        if not rest:
            return len(found) > 1 or found[0].end - found[0].start < len(keys)
        return all(f.end - f.start == 1 and _ACRONYM.match(spans[f.start].group(0)) for f in found)

    def _split_links(self, name: str, spans: list[re.Match[str]], keys: list[str],
                     found: list[Found]) -> list[Link]:
        """Turn a split into links: known parts, and new bodies for the words between them."""
        links: list[Link] = []
        position = 0
        for item in found + [Found(len(keys), len(keys), Entry("", "", "label"))]:
            gap = [i for i in range(position, item.start) if keys[i] not in _CONNECTORS]
            if gap and not all(keys[i] in _NOISE_ONLY for i in gap):
                links.append(self._new_body(_slice(name, spans, gap[0], gap[-1] + 1)))
            if item.entry.iri:
                links.append(self._link(item.entry, _slice(name, spans, item.start, item.end),
                                        item.entry.how))
            position = item.end
        return links

    def _fuzzy(self, name: str) -> Entry | None:
        key = match_key(name)
        if key not in self._fuzzy_cache:
            self._fuzzy_cache[key] = self.gazetteer.bodies.fuzzy(name)
        return self._fuzzy_cache[key]

    def _new_body(self, name: str) -> Link:
        slug = slugify(name)
        iri = str(entity_iri("body", slug))
        if iri in self._known_body_iris:
            iri = str(entity_iri("body", slug + "-unreconciled"))
        return Link(iri=iri, label=name, written=name, matched_by="new")

    @staticmethod
    def _link(entry: Entry, written: str, how: str) -> Link:
        return Link(iri=entry.iri, label=entry.label, written=written, matched_by=how)

    # ---- DPs ----

    def take_warnings(self) -> list[str]:
        """Return the warnings gathered since the last call, and forget them."""
        taken, self.warnings = self.warnings, []
        return taken

    def dp(self, name: str, theme: str | None = None) -> Link:
        """Resolve one DP name, under a theme if the document gives one; new DPs are remembered.

        The same name under another theme is another DP (`dp/<name>-<theme>`), never one DP with
        two themes: an organisation can lead DPs in several themes. The conflict is reported.
        """
        name = clean_dp_name(name)
        candidates = self.dp_index.all(name)
        if theme:
            same = [e for e in candidates if theme in self.dp_themes.get(e.iri, ())]
            unthemed = [e for e in candidates if not self.dp_themes.get(e.iri)]
            chosen = (same or unthemed or [None])[0]
            if chosen is not None:
                self.dp_themes.setdefault(chosen.iri, set()).add(theme)
                return Link(iri=chosen.iri, label=chosen.label, written=name, matched_by=chosen.how)
            if candidates:
                others = sorted({t for e in candidates for t in self.dp_themes.get(e.iri, ())})
                iri = str(entity_iri("dp", f"{slugify(name)}-{theme.lower()}"))
                self.warnings.append(f"DP '{name}' is in theme {theme} here and in theme {', '.join(others)} "
                                     f"elsewhere: kept as a separate DP ({iri.rsplit('/', 2)[-2]}/"
                                     f"{iri.rsplit('/', 1)[-1]})")
                return self._new_dp(name, iri, theme)
        elif candidates:
            chosen = sorted(candidates, key=lambda e: e.iri)[0]
            if len(candidates) > 1:
                self.warnings.append(f"DP name '{name}' names {len(candidates)} DPs in different themes; "
                                     f"linked to {chosen.iri.rsplit('/', 1)[-1]}")
            return Link(iri=chosen.iri, label=chosen.label, written=name, matched_by=chosen.how)
        return self._new_dp(name, str(entity_iri("dp", slugify(name))), theme)

    def _new_dp(self, name: str, iri: str, theme: str | None) -> Link:
        self.dp_index.add(name, Entry(iri, name, "label"))
        if theme:
            self.dp_themes.setdefault(iri, set()).add(theme)
        return Link(iri=iri, label=name, written=name, matched_by="new")

    def dp_alias(self, link: Link, alias: str) -> None:
        """Remember another name of a DP (its acronym's expansion), so that other documents find it."""
        self.dp_index.add(alias, Entry(link.iri, link.label, "alias"))

    def partner(self, name: str) -> tuple[Link | None, list[tuple[Link, bool]]]:
        """Resolve a partner organisation: the body it is, or the bodies and kinds its name places it under.

        `Jobcentre Plus` is the body itself; `Learning and Skills Council West Yorkshire` is a local
        arm of the LSC; `Business Link Greater Manchester` one of the Business Links. Each parent
        comes with whether it is a kind of body rather than one body.
        """
        whole = self.gazetteer.bodies.get(name)
        if whole is not None and not whole.kind:
            return self._link(whole, name, whole.how), []
        spans, keys = _tokens(name)
        parents = []
        for item in self.gazetteer.bodies.scan(keys):
            written = _slice(name, spans, item.start, item.end)
            one_word = item.end - item.start == 1 and not _ABBREVIATION.match(written) and item.entry.how != "label"
            if one_word and item.start > 0:  # `Connexions West Yorkshire` leads with its body's name
                continue
            parents.append((self._link(item.entry, written, item.entry.how), item.entry.kind))
        return None, parents

    def dps(self, text: str, theme: str | None = None, separated: bool = False) -> list[Link]:
        """Resolve a 'DPs involved' item, splitting unseparated lists ('NESEP SEEM SEASY').

        Known DP names are found first (longest first); the words left are split so that an
        all-capitals word stands alone and other runs of words make one name, unless the cell
        separates its names (`separated`: `LEAP Yorkshire*; AGILE`), where what is left is one
        name. A `*` on a word marks that DP as willing to lead.
        """
        text = _DP_WORDS.sub(" ", text)
        spans, keys = _tokens(text)
        found = self.dp_index.scan(keys)
        pieces: list[tuple[int, int]] = []
        position = 0
        for item in found + [Found(len(keys), len(keys), Entry("", "", "label"))]:
            if separated and position < item.start:
                pieces.extend(_split_at_leads(spans, position, item.start))
            else:
                pieces.extend(_split_unknown(spans, position, item.start))
            if item.entry.iri:
                pieces.append((item.start, item.end))
            position = item.end
        links = []
        for start, end in pieces:
            written = _slice(text, spans, start, end)
            lead = "*" in written
            link = self.dp(written, theme)
            links.append(Link(link.iri, link.label, clean_dp_name(written), link.matched_by, lead))
        return links

    # ---- concepts ----

    def concepts(self, scheme: str, text: str) -> list[Link]:
        """Return every concept of a scheme named in a text, once each, in order.

        Remembered per text: a strategy names the same policy areas and methods in row after row.
        """
        known = self._concepts.get((scheme, text))
        if known is None:
            spans, keys = _tokens(text)
            links: dict[str, Link] = {}
            for item in self.gazetteer.concepts[scheme].scan(keys):
                written = _slice(text, spans, item.start, item.end)
                links.setdefault(item.entry.iri, Link(item.entry.iri, item.entry.label, written,
                                                      item.entry.how))
            if len(self._concepts) >= _REMEMBERED:
                self._concepts.clear()
            known = self._concepts[(scheme, text)] = tuple(links.values())
        return list(known)

    def concept_for_title(self, scheme: str, kind: str, title: str) -> Link:
        """Return the concept a heading names (its longest known label), or a new one."""
        _spans, keys = _tokens(title)
        found = self.gazetteer.concepts[scheme].scan(keys)
        if found:
            best = max(found, key=lambda f: (f.end - f.start, -f.start))
            return Link(best.entry.iri, best.entry.label, title, best.entry.how)
        return Link(str(entity_iri(kind, slugify(title))), title, title, "new")

    def bodies_in_prose(self, text: str, own_names: frozenset[str] = frozenset()) -> list[Link]:
        """Return named bodies (not kinds) a running text mentions, written with a capital.

        The DP's own names (`own_names`, match keys) are never bodies. An acronym that is also a
        DP's name, or of two letters, links to a body only with support from its context: another
        body named in the same sentence, or a word that goes with bodies (`SBS agendas`, `DfES
        officials`); otherwise it is kept as an unreconciled mention and a warning says so.
        """
        spans, keys = _tokens(text)
        found = self.gazetteer.bodies.scan(keys)
        links: dict[str, Link] = {}
        for item in found:
            written = re.sub(r"^the\s+", "", _slice(text, spans, item.start, item.end), flags=re.I)
            written = re.sub(r"['\u2019]s$", "", written)  # `the DWP's Age Positive team`
            as_curated = written.strip("*.,;:") in self.gazetteer.one_word_forms  # `Defra`, `emda`
            if item.entry.kind or not (written[:1].isupper() or as_curated) or match_key(written) in own_names:
                continue
            one_word = item.end - item.start == 1 and item.entry.how != "label"
            short_form = bool(_ABBREVIATION.match(written)) or as_curated
            if one_word and not short_form:
                continue
            acronym = one_word and short_form
            if acronym and (self.dp_index.get(written) is not None or len(written.strip("*.,;:")) <= 2) \
                    and not _supported(text, spans, keys, item, found):
                link = self._new_body(written.strip("*.,;:"))
                self.warnings.append(f"'{written}' may be the body {item.entry.label} or a DP of that name; "
                                     "nothing around it says which, so it is kept unreconciled")
                links.setdefault(link.iri, Link(link.iri, link.label, written, "ambiguous"))
                continue
            links.setdefault(item.entry.iri, self._link(item.entry, written, item.entry.how))
        return list(links.values())


#: Words that go with a public body, so that an acronym next to them names one.
_BODY_CONTEXT = frozenset({
    "department", "agency", "council", "service", "office", "official", "minister", "funding", "funded", "fund",
    "contract", "agenda", "policy", "guidance", "consultation", "board", "commission", "unit",
    "government", "directorate", "inspector", "regional", "national", "initiative", "target", "regulation"})


def _supported(text: str, spans: list[re.Match[str]], keys: list[str], item: Found, found: list[Found]) -> bool:
    """Tell whether a body's acronym has support around it: a body word nearby, or another body in its sentence."""
    near = keys[max(0, item.start - 3):item.start] + keys[item.end:item.end + 5]
    if any(word in _BODY_CONTEXT for word in near):
        return True
    start, end = spans[item.start].start(), spans[item.end - 1].end()
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start))
    right = min((i for i in (text.find(".", end), text.find("\n", end)) if i >= 0), default=len(text))
    return any(other is not item and not other.entry.kind and left < spans[other.start].start() < right
               and other.entry.iri != item.entry.iri for other in found)


def _split_at_leads(spans: list[re.Match[str]], start: int, end: int) -> list[tuple[int, int]]:
    """Split the words of one listed DP item only after a lead marker (`INSPIRE* Bristol City Council`)."""
    pieces: list[tuple[int, int]] = []
    run = start
    for i in range(start, end):
        if spans[i].group(0).endswith("*") and i + 1 < end:
            pieces.append((run, i + 1))
            run = i + 1
    pieces.append((run, end))
    return [(s, e) for s, e in pieces if s < e and not all(_token_key(sp.group(0)) in _NOT_A_DP for sp in spans[s:e])]


def _split_unknown(spans: list[re.Match[str]], start: int, end: int) -> list[tuple[int, int]]:
    """Split unknown DP words: an all-capitals word alone, other runs of words together."""
    pieces: list[tuple[int, int]] = []
    run_start: int | None = None
    for i in range(start, end):
        word = spans[i].group(0)
        if _ACRONYM.match(word):
            if run_start is not None:
                pieces.append((run_start, i))
                run_start = None
            pieces.append((i, i + 1))
        elif run_start is None:
            run_start = i
    if run_start is not None:
        pieces.append((run_start, end))
    return [(s, e) for s, e in pieces  # `and the` left between two names is no DP either
            if not all(_token_key(sp.group(0)) in _NOT_A_DP for sp in spans[s:e])]
