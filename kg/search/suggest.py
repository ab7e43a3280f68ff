"""Suggestions as a person types: DPs, bodies, themes, policy areas and regions by name, acronym,
alias or known typo, and by a spelling one or two edits away.

The names are read once per published snapshot into word indexes (`suggester`), so a keystroke
costs a few dictionary and bisect lookups, not a query: about a millisecond at 5,000 DPs. Ranking
is by how the text matches (the whole name, its start, the start of each word, a near spelling),
then by how much the entity is used (DPs targeting a body, bodies a DP targets), then by name.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
import weakref
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.rdf.namespaces import BODY_NAMES, ID, NAMES, local_path
from kg.read.lists import list_bodies, list_dps, list_policy_areas, list_themes
from kg.read.queries import labels
from kg.search.query import edit_distance
from kg.store.base import Store
from kg.store.cache import cached, is_immutable

log = logging.getLogger(__name__)

#: The kinds a suggestion can be, in the order they are offered when scores tie.
KINDS = ("dp", "body", "theme", "policy-area", "region")
#: Most suggestions one request gets.
MAX_SUGGESTIONS = 20
#: How a name matched, best first (a suggestion keeps its best match).
EXACT, START, WORDS, NEAR = range(4)
_WORD = re.compile(r"[^\W_]+")
#: Most distinct words of a typed text that are matched (the last ones typed): a long text costs no more.
MAX_WORDS = 6
#: Seconds the names of a store that can still change are kept (a published snapshot's are kept for good).
CHANGING_STORE_SECONDS = 60.0
_NAMES = {kind: BODY_NAMES if kind == "body" else NAMES for kind in KINDS}  # the properties each kind is known by


def words_of(text: str) -> list[str]:
    """Return the words of a name or a query as they are matched: case folded, accents and ligatures undone.

    >>> words_of("Department of Trade & Industry (DTI)"), words_of("Société ﬁnance"), words_of("İstanbul")
    (['department', 'of', 'trade', 'industry', 'dti'], ['societe', 'finance'], ['istanbul'])
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _WORD.findall(plain.casefold())


@dataclass(frozen=True)
class Suggestion:
    """One suggestion: what to show, what it is, where it lives, and the name the text matched."""

    label: str
    kind: str
    iri: str
    url: str
    description: str
    matched: str


@dataclass
class _Entity:
    iri: str
    kind: str
    label: str
    description: str
    weight: int


@dataclass
class Suggester:
    """The names of every entity that can be suggested, indexed by whole name and by word."""

    entities: list[_Entity] = field(default_factory=list)
    names: list[tuple[str, int, str]] = field(default_factory=list)  # (normalised name, entity, as written)
    by_name: list[tuple[str, int]] = field(default_factory=list)  # sorted (normalised name, name number)
    by_word: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # word -> name numbers
    words: list[str] = field(default_factory=list)  # every word, sorted (for prefixes)
    by_initial: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # for near spellings
    _near_words: dict[str, list[str]] = field(default_factory=dict)

    def add(self, entity: _Entity, names: set[str]) -> None:
        """Index an entity under each of its names."""
        number = len(self.entities)
        self.entities.append(entity)
        for name in sorted(names | {entity.label}):
            words = words_of(name)
            if not words:
                continue
            self.names.append((" ".join(words), number, name))
            for word in words:
                self.by_word[word].add(len(self.names) - 1)

    def finish(self) -> Suggester:
        """Sort the indexes once every entity is added."""
        self.by_name = sorted((name, i) for i, (name, _, _) in enumerate(self.names))
        self.words = sorted(self.by_word)
        for word in self.words:
            self.by_initial[word[0]].append(word)
        return self

    def suggest(self, text: str, kinds: tuple[str, ...] = KINDS, limit: int = 10) -> list[Suggestion]:
        """Return up to `limit` suggestions for what was typed, best first."""
        words = list(dict.fromkeys(words_of(text)))[-MAX_WORDS:]
        if not words:
            return []
        best: dict[int, tuple[int, str]] = {}

        def offer(names: set[int] | list[int], how: int) -> None:
            for number in names:
                _, entity, written = self.names[number]
                if self.entities[entity].kind not in kinds:
                    continue
                known = best.get(entity)
                if known is None or how < known[0] or (how == known[0] and written == self.entities[entity].label):
                    best[entity] = (how, written)  # the label, when it matches as well as an alias

        typed = " ".join(words)
        start = bisect_left(self.by_name, (typed, -1))
        starting = []
        for name, number in self.by_name[start:]:
            if not name.startswith(typed):
                break
            starting.append(number)
        offer([n for n in starting if self.names[n][0] == typed], EXACT)
        offer(starting, START)
        offer(self._matching(words, self._prefixed), WORDS)
        if len(best) < limit:
            offer(self._matching(words, self._near), NEAR)
        ranked = sorted(best.items(), key=lambda item: (
            item[1][0], -self.entities[item[0]].weight, KINDS.index(self.entities[item[0]].kind),
            self.entities[item[0]].label.lower()))
        return [self._suggestion(entity, written) for entity, (_, written) in ranked[:limit]]

    def _matching(self, words: list[str], expand: Callable[[str], list[str]]) -> set[int]:
        """Return the names holding, for each typed word, a word it expands to (`_prefixed`, `_near`)."""
        found: set[int] | None = None
        for word in words:
            names: set[int] = set()
            for indexed in expand(word):
                names |= self.by_word[indexed]
            found = names if found is None else found & names
            if not found:
                return set()
        return found or set()

    def _prefixed(self, word: str) -> list[str]:
        """Return the indexed words that start with `word`."""
        start = bisect_left(self.words, word)
        out = []
        for indexed in self.words[start:]:
            if not indexed.startswith(word):
                break
            out.append(indexed)
        return out

    def _near(self, word: str) -> list[str]:
        """Return the indexed words a typo away (one edit up to four letters, two beyond), or that start
        with such a spelling of a word being typed; sharing the first letter keeps the search small.
        Words under three letters only match as prefixes. Remembered per word."""
        known = self._near_words.get(word)
        if known is None:
            known = self._near_words[word] = self._near_uncached(word) if len(word) >= 3 else self._prefixed(word)
            if len(self._near_words) > 10_000:
                self._near_words.clear()
        return known

    def _near_uncached(self, word: str) -> list[str]:
        allowed = 1 if len(word) <= 4 else 2
        near = []
        for indexed in self.by_initial.get(word[0], ()):
            if abs(len(indexed) - len(word)) <= allowed and edit_distance(indexed, word) <= allowed:
                near.append(indexed)
            elif len(indexed) > len(word) and edit_distance(indexed[:len(word)], word) <= allowed - 1:
                near.append(indexed)  # a near spelling of the start of a longer word
        return near + self._prefixed(word)

    def _suggestion(self, number: int, written: str) -> Suggestion:
        entity = self.entities[number]
        return Suggestion(entity.label, entity.kind, entity.iri, local_path(entity.iri) or entity.iri,
                          entity.description, "" if written == entity.label else written)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@cached
def suggester(store: Store) -> Suggester:
    """Read every name that can be suggested, with a short description of its entity (once per snapshot)."""
    names: dict[str, set[str]] = defaultdict(set)
    for kind, properties in _NAMES.items():
        path = "policy-area" if kind == "policy-area" else kind
        for row in store.values(f"""SELECT ?x ?name WHERE {{ ?x {properties} ?name
                FILTER(STRSTARTS(STR(?x), "{ID}{path}/")) }}"""):
            names[str(row["x"])].add(str(row["name"]))
    index = Suggester()
    for dp in list_dps(store):
        themes = list(dp["themes"])  # type: ignore[call-overload]
        named = f"theme{'s' if len(themes) > 1 else ''} {', '.join(themes)}" if themes else ""
        where = " · ".join(filter(None, [named, ", ".join(dp["regions"])]))  # type: ignore[arg-type]
        index.add(_Entity(str(dp["iri"]), "dp", str(dp["label"]),
                          f"DP · {where + ' · ' if where else ''}targets "
                          f"{_count(int(dp['bodies_targeted']), 'body', 'bodies')}",  # type: ignore[call-overload]
                          int(dp["bodies_targeted"])), names[str(dp["iri"])])  # type: ignore[call-overload]
    for body in list_bodies(store):
        dps = int(body["dps"])  # type: ignore[call-overload]
        index.add(_Entity(str(body["iri"]), "body", str(body["label"]),
                          f"{body['type'] or 'Body'} · targeted by {_count(dps, 'DP', 'DPs')}", dps),
                  names[str(body["iri"])])
    for theme in list_themes(store):
        index.add(_Entity(str(theme["iri"]), "theme", str(theme["label"]),
                          f"Theme {theme['letter']} · {_count(int(theme['dps']), 'DP', 'DPs')}",  # type: ignore[call-overload]
                          int(theme["dps"])), names[str(theme["iri"])] | {f"theme {theme['letter']}"})  # type: ignore[call-overload]
    for area in list_policy_areas(store):
        index.add(_Entity(str(area["iri"]), "policy-area", str(area["label"]),
                          f"Policy area · {_count(int(area['dps']), 'DP', 'DPs')}",  # type: ignore[call-overload]
                          int(area["dps"])), names[str(area["iri"])])  # type: ignore[call-overload]
    regions = {str(r["r"]): int(str(r["n"])) for r in store.values(
        "SELECT ?r (COUNT(DISTINCT ?dp) AS ?n) WHERE { ?dp eq:region ?r } GROUP BY ?r")}
    region_iris = [iri for iri in names if iri.startswith(f"{ID}region/")]
    region_labels = labels(store, region_iris)
    for iri in region_iris:
        found = names[iri]
        label = region_labels.get(iri) or min(found, key=lambda n: (len(n), n))
        index.add(_Entity(iri, "region", label, f"Region · {_count(regions.get(iri, 0), 'DP', 'DPs')}",
                          regions.get(iri, 0)), found)
    return index.finish()


_warmed: weakref.WeakSet[Store] = weakref.WeakSet()
_warm_lock = threading.Lock()


def warm(store: Store) -> bool:
    """Read a published snapshot's names in a background thread (2.4 s at 5,000 DPs), so that the first
    keystroke does not wait for them; return whether a thread started. Stores that can change are read
    when first asked."""
    if not is_immutable(store):
        return False
    with _warm_lock:
        if store in _warmed:
            return False
        _warmed.add(store)
    threading.Thread(target=_warm, args=(store,), name="suggest-warm", daemon=True).start()
    return True


def _warm(store: Store) -> None:
    try:
        names_of(store)
    except Exception:  # the request that needs the names reads them again and reports the error
        log.warning("reading the suggestions' names in the background failed", exc_info=True)


_building = threading.Lock()
_changing: weakref.WeakKeyDictionary[Store, tuple[float, Suggester]] = weakref.WeakKeyDictionary()


def names_of(store: Store) -> Suggester:
    """Return a store's suggestion index, built by one thread at a time (others wait for it, then share it).

    A published snapshot's is kept for as long as the snapshot is served; a store that can still change
    (`memory:`, a remote endpoint) has its names read again after CHANGING_STORE_SECONDS, not per keystroke.
    """
    with _building:
        if is_immutable(store):
            return suggester(store)
        kept = _changing.get(store)
        if kept is None or time.monotonic() - kept[0] > CHANGING_STORE_SECONDS:
            kept = _changing[store] = (time.monotonic(), suggester(store))
        return kept[1]


def suggest(store: Store, text: str, kinds: tuple[str, ...] = KINDS, limit: int = 10) -> list[Suggestion]:
    """Return up to `limit` (at most MAX_SUGGESTIONS) suggestions of the given kinds for typed text."""
    return names_of(store).suggest(text[:200], kinds, max(1, min(limit, MAX_SUGGESTIONS)))
