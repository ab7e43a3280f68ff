"""Name indexes built from the curated graph: bodies, DPs and concepts by every label they have.

Names are compared by `match_key` (case, punctuation and plurals folded). An index finds a
whole name, scans a text for the longest names it contains, and tolerates one-letter typos.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ingest.text import match_key
from kg.rdf.namespaces import EQ

#: How a label was matched, from most to least trusted.
HOW_RANK = {"label": 0, "abbreviation": 1, "alias": 2, "typo": 3}


@dataclass(frozen=True)
class Entry:
    """An entity an index can return, and how the matched label relates to it."""

    iri: str
    label: str
    how: str
    kind: bool = False


@dataclass(frozen=True)
class Found:
    """A name found in a token list: tokens [start, end) matched `entry`."""

    start: int
    end: int
    entry: Entry


class NameIndex:
    """Entities by the match keys of their labels."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Entry]] = {}
        self._longest: dict[str, int] = {}  # first word of a key -> most words of a key starting with it
        self.max_tokens = 1

    def add(self, name: str, entry: Entry) -> None:
        """Index an entity under one of its names."""
        key = match_key(name)
        if not key:
            return
        entries = self._by_key.setdefault(key, [])
        if all(existing.iri != entry.iri for existing in entries):
            entries.append(entry)
        else:
            entries[:] = [min((e, entry), key=lambda x: HOW_RANK[x.how]) if e.iri == entry.iri
                          else e for e in entries]
        words = key.split()
        self.max_tokens = max(self.max_tokens, len(words))
        self._longest[words[0]] = max(self._longest.get(words[0], 0), len(words))

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def keys(self) -> Iterable[str]:
        """Return every indexed key."""
        return self._by_key.keys()

    def iris(self) -> set[str]:
        """Return the IRI of every indexed entity."""
        return {entry.iri for entries in self._by_key.values() for entry in entries}

    def get(self, name: str) -> Entry | None:
        """Return the one entity a whole name stands for, or None (unknown or ambiguous)."""
        return self._get_key(match_key(name))

    def all(self, name: str) -> list[Entry]:
        """Return every entity a whole name stands for (several when it is ambiguous)."""
        return list(self._by_key.get(match_key(name), ()))

    def _get_key(self, key: str) -> Entry | None:
        entries = self._by_key.get(key)
        if not entries:
            return None
        if len(entries) == 1:
            return entries[0]
        best = min(HOW_RANK[e.how] for e in entries)
        top = [e for e in entries if HOW_RANK[e.how] == best]
        return top[0] if len(top) == 1 else None

    def scan(self, keys: list[str]) -> list[Found]:
        """Find the longest known names in a list of token keys, left to right, not overlapping."""
        found: list[Found] = []
        position = 0
        while position < len(keys):
            longest = self._longest.get(keys[position].split(" ", 1)[0], 0)
            for length in range(min(longest, len(keys) - position), 0, -1):
                entry = self._get_key(" ".join(keys[position:position + length]))
                if entry is not None:
                    found.append(Found(position, position + length, entry))
                    position += length
                    break
            else:
                position += 1
        return found

    def fuzzy(self, name: str) -> Entry | None:
        """Return the one entity whose key is one edit (or one swap) from the name's, if any.

        Short keys (under 4 letters) never match fuzzily: 'DTI' and 'DWP' are too close.
        """
        key = match_key(name)
        if len(key.replace(" ", "")) < 4:
            return None
        candidates = {
            entry.iri: entry
            for other, entries in self._by_key.items()
            if other != key and abs(len(other) - len(key)) <= 1 and within_one_edit(other, key)
            for entry in entries
        }
        if len(candidates) != 1:
            return None
        return next(iter(candidates.values()))


def within_one_edit(a: str, b: str) -> bool:
    """Tell whether a and b are at most one edit apart, in one pass (fuzzy matching asks this of every key).

    The same as `kg.search.query.edit_distance(a, b) <= 1`, without filling a table.

    >>> within_one_edit("opdm", "odpm"), within_one_edit("dti", "dwp"), within_one_edit("lsc", "lscs")
    (True, False, True)
    """
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if start == len(a):
        return True
    if len(a) < len(b):  # one letter inserted at `start`
        return a[start:] == b[start + 1:]
    if a[start + 1:] == b[start + 1:]:  # one letter replaced
        return True
    return (start + 1 < len(a) and a[start] == b[start + 1] and a[start + 1] == b[start]
            and a[start + 2:] == b[start + 2:])  # two neighbours swapped


@dataclass
class Gazetteer:
    """Every name index the linker needs, built from the curated graph."""

    bodies: NameIndex
    concepts: dict[str, NameIndex]
    levels: dict[str, str]
    themes: dict[str, str]
    #: One-word names exactly as the curated data writes them (`Defra`, `Ofsted`): prose that writes
    #: a one-word name just so names the body, where another one-word match could be an ordinary word.
    one_word_forms: frozenset[str] = frozenset()

    @classmethod
    def from_graph(cls, graph: Graph) -> Gazetteer:
        """Build the indexes from a graph holding the gazetteer and concept schemes."""
        bodies = NameIndex()
        for body in set(graph.subjects(RDF.type, EQ.Body)):
            _index_labels(bodies, graph, body, kind=(body, RDF.type, EQ.BodyKind) in graph)
        concepts: dict[str, NameIndex] = {}
        for name, cls_ in CONCEPT_CLASSES.items():
            index = NameIndex()
            for concept in set(graph.subjects(RDF.type, cls_)):
                _index_labels(index, graph, concept)
            concepts[name] = index
        levels: dict[str, str] = {}
        for level in graph.subjects(RDF.type, EQ.AudienceLevel):
            slug = str(level).rsplit("/", 1)[-1]
            for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
                for label in graph.objects(level, predicate):
                    levels[str(label)] = slug
        themes: dict[str, str] = {}
        for theme in graph.subjects(RDF.type, EQ.Theme):
            letter = str(graph.value(theme, SKOS.notation) or "")
            for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
                for label in graph.objects(theme, predicate):
                    wording = match_key(str(label).split(":", 1)[-1])
                    if letter and wording and not wording.startswith("theme "):
                        themes[wording] = letter
        one_word = frozenset(str(name) for predicate in (RDFS.label, EQ.abbreviation, SKOS.altLabel)
                             for node, name in graph.subject_objects(predicate)
                             if (node, RDF.type, EQ.Body) in graph and len(str(name).split()) == 1)
        return cls(bodies=bodies, concepts=concepts, levels=levels, themes=themes, one_word_forms=one_word)


#: Concept classes the linker matches in text, by the name the builder uses.
CONCEPT_CLASSES = {
    "theme": EQ.Theme,
    "policy_area": EQ.PolicyArea,
    "method": EQ.Method,
    "group": EQ.BeneficiaryGroup,
    "region": EQ.Region,
    "policy": EQ.Policy,
}


def _index_labels(index: NameIndex, graph: Graph, node: URIRef, kind: bool = False) -> None:
    """Index one entity under its label, preferred label, aliases, abbreviations and typos."""
    label = str(graph.value(node, RDFS.label) or graph.value(node, SKOS.prefLabel) or node)
    for predicate, how in ((RDFS.label, "label"), (SKOS.prefLabel, "label"),
                           (EQ.abbreviation, "abbreviation"), (SKOS.altLabel, "alias"),
                           (SKOS.hiddenLabel, "typo")):
        for name in graph.objects(node, predicate):
            index.add(str(name), Entry(str(node), label, how, kind))
