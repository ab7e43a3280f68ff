"""Full-text search over the graph: ranked, highlighted, paginated hits with facet counts.

`SearchIndex` is the one object the CLI and the web app use. Its index is the one of the store's
snapshot when the store has snapshots; otherwise the location it is given (`KG_INDEX`), else the
store location's default (`kg.store.location.Location.default_index`: `<store>-index`, or a folder
in the data home for a remote store). It brings the index up to date with the store on first use,
and answers queries. Whoosh stays inside `kg.search`.
"""

from __future__ import annotations

import html
import os
import re
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from whoosh import highlight
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.query import And, Every, MultiTerm, Query, Term

from kg.errors import SearchError
from kg.rdf.namespaces import ID, slug_of
from kg.read.queries import labels, labels_under
from kg.search.entries import FACETS, TEXT_FIELDS, shorten
from kg.search.index import build_index, index_exists, open_index, sync_index, update_index
from kg.search.query import Aliases, check, expand, fuzzy, parse, whoosh_failures
from kg.store.base import Store
from kg.store.cache import is_immutable
from kg.store.location import parse_location

__all__ = ["FACETS", "MAX_PAGE_SIZE", "Hit", "SearchIndex", "SearchResults", "build_index",
           "update_index"]

MAX_PAGE_SIZE = 100
#: Most values a facet lists (the most frequent, and any value already chosen): at 5,000 DPs a phrase
#: matched 2,467 documents, whose labels made 240 KB of an answer of 325 KB.
MAX_FACET_VALUES = 50
#: Longest summary (a DP's aim) a hit carries when no snippet of it was highlighted.
SUMMARY_CHARS = 240
#: Answers remembered while the index does not change (the same query is asked again when paging back).
ANSWERS_KEPT = 256
#: Deepest result a page may reach (page x page size).
DEFAULT_WINDOW = 1000
KIND_LABELS = {"dp": "Development Partnership", "row": "Strategy row", "body": "Body", "document": "Document"}
_FACET_PATHS = {"theme": "theme", "region": "region", "body": "body", "level": "level", "area": "policy-area",
                "document": "doc"}
#: The fields whose highlights a hit shows, in order, by kind (a row's WHAT is its title, so not a snippet).
_SNIPPET_FIELDS = {"row": ("who", "how", "when", "why", "dps", "policy", "bodies"),
                   "dp": ("aim", "objectives", "outcomes", "background", "beneficiaries", "bodies", "name"),
                   "body": ("name", "aliases"), "document": ("name", "text")}


class _Marker(highlight.Formatter):
    """Format fragments as escaped text with <mark> around hits: escape first, then mark."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return "<mark>" + html.escape(highlight.get_text(text, token, replace)) + "</mark>"


def _terms(query: Query, reader: Any) -> set[str]:
    """Return the words to highlight: the query's words and phrases, wildcards and fuzzy terms expanded."""
    words = {text for name, text in query.all_terms(phrases=True) if name not in FACETS and isinstance(text, str)}
    for leaf in query.leaves():
        if isinstance(leaf, MultiTerm) and leaf.field() not in FACETS:
            for index, found in enumerate(leaf._btexts(reader)):
                if index == 200:
                    break
                words.add(found.decode("utf-8") if isinstance(found, bytes) else found)
    return words


def _facet_labels(store: Store, iris: dict[str, Any]) -> dict[str, str]:
    """Return the labels of facet values: from a table read once per snapshot, or asked each time."""
    if not is_immutable(store):
        return labels(store, iris)
    table = labels_under(store, tuple(_FACET_PATHS.values()))
    return {iri: table[iri] for iri in iris if iri in table}


class _TopAndAll(TopCollector):
    """Keep the best `limit` hits, and the number of every document that matched (for facet counts)."""

    def _collect(self, global_docnum: int, score: float) -> float:
        self.docset.add(global_docnum)
        return TopCollector._collect(self, global_docnum, score)


def _search(searcher: Any, query: Query, chosen: list[Term], limit: int) -> tuple[Any, set[int]]:
    """Search once: the top hits (chosen facets kept, the meta entry left out) and every match's number."""
    top = _TopAndAll(limit=limit, usequality=False, replace=0)  # no skipping or pruning: every match is seen
    collector = FilterCollector(top, allow=And(chosen) if chosen else None, restrict=Term("kind", "meta"))
    searcher.search_with_collector(query, collector)
    return collector.results(), top.docset


def _first_best(fragment: Any) -> float:
    """Score a fragment as whoosh does, earlier first among equals (whoosh breaks ties by memory address)."""
    return highlight.BasicFragmentScorer()(fragment) - fragment.startchar * 1e-9


def snippet_parts(marked: str) -> list[tuple[str, bool]]:
    """Split a highlighted snippet into (plain text, is a hit) parts, for templates that escape.

    >>> snippet_parts("a &lt;b&gt; <mark>DTI</mark>.")
    [('a <b> ', False), ('DTI', True), ('.', False)]
    """
    parts = []
    for index, piece in enumerate(re.split(r"</?mark>", marked)):
        if piece:
            parts.append((html.unescape(piece), index % 2 == 1))
    return parts


@dataclass
class Hit:
    """One result: the entity, its link (a table row links to its cell), what it is, and highlighted snippets.

    A strategy row is titled by its WHAT text, with its row number, policy area and document as
    `context`; a DP has its themes and regions as context and its aim as `summary`.
    """

    id: str
    kind: str
    title: str
    url: str
    score: float
    snippets: list[dict[str, str]]
    cells: dict[str, str]
    facets: dict[str, list[str]]
    title_parts: list[tuple[str, bool]] = field(default_factory=list)
    context: str = ""
    summary: str = ""


@dataclass
class FacetValue:
    """One value of a facet with how many results have it; `selected` if it already filters them."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    """A page of results with the total, the facet counts, and how the query was read."""

    query: str
    expanded: str
    total: int
    page: int
    page_size: int
    pages: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    selected: list[str]
    #: How many distinct values each facet has in the whole result set (`facets` lists the most frequent).
    facet_values: dict[str, int] = field(default_factory=dict)
    fuzzy: bool = False
    took_ms: float = 0.0
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the results as plain JSON-ready data."""
        return asdict(self)


def parse_facets(values: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """Parse `name:value` facet selections; SearchError names the facets when one is unknown.

    >>> parse_facets(["theme:D", "kind:row"])
    [('theme', 'd'), ('kind', 'row')]
    """
    out = []
    for value in values:
        name, _, wanted = value.partition(":")
        if name not in FACETS or not wanted.strip():
            raise SearchError(f"Facet {value!r} is not name:value with a name among {', '.join(FACETS)}.")
        if (name, wanted.strip().lower()) not in out:
            out.append((name, wanted.strip().lower()))
    return out


@dataclass
class SearchIndex:
    """The search index of a store, brought up to date on first use."""

    store: Store
    location: str = ""
    window: int = DEFAULT_WINDOW  # the deepest result a client may page to (KG_SEARCH_WINDOW)
    _aliases: Aliases | None = None
    _synced: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _search_lock: threading.Lock = field(default_factory=threading.Lock)
    _state: tuple[Any, dict[str, dict[int, list[str]]]] | None = None
    _opened: tuple[int, int] | None = None
    _answers: OrderedDict[tuple, SearchResults] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        self.location = (self.store.index_location or self.location
                         or parse_location(self.store.location).default_index())

    def sync(self) -> str:
        """Bring the index up to date with the store (built when absent); return what was done."""
        with self._lock:
            done = sync_index(self.store, self.location)
            self._synced = True
            return done

    def rebuild(self) -> int:
        """Rebuild the index from scratch; return the number of search documents."""
        with self._lock:
            self._synced = True
            self._aliases = None
            self._state = None
            return build_index(self.store, self.location)

    def update(self, documents: list[str]) -> int:
        """Re-index documents (graph IRIs) that were loaded or removed."""
        if not index_exists(self.location):
            return self.rebuild()
        return update_index(self.store, self.location, documents)

    @property
    def aliases(self) -> Aliases:
        """The names of every curated body, loaded once."""
        if self._aliases is None:
            self._aliases = Aliases.from_store(self.store)
        return self._aliases

    def search(self, text: str, facets: list[str] | tuple[str, ...] = (), page: int = 1,
               page_size: int = 20) -> SearchResults:
        """Run a query; SearchError says what is wrong with a malformed one."""
        started = time.perf_counter()
        text = (text or "").strip()
        selected = parse_facets(facets)
        page, page_size = max(1, int(page)), max(1, min(int(page_size), MAX_PAGE_SIZE))
        if (page - 1) * page_size >= self.window:
            raise SearchError(f"Results go no deeper than {self.window:,}: refine the query or pick a facet.")
        if len(text) > 1000:
            raise SearchError("The query is too long: use at most 1,000 characters.")
        if not self._synced:
            self.sync()
        if text:
            check(text)
            expanded = expand(text, self.aliases)
            query = parse(expanded)
        elif selected:
            expanded, query = "", Every()
        else:
            return SearchResults("", "", 0, 1, page_size, 0, [], {}, [])
        key = (expanded, tuple(selected), page, page_size, text)
        with self._search_lock:
            self._searcher()  # drops remembered answers if the index changed
            known = self._answers.get(key)
        if known is None:
            known = self._run(query, selected, page, page_size, text)
            known.query, known.expanded = text, expanded
            with self._search_lock:
                self._answers[key] = known
                while len(self._answers) > ANSWERS_KEPT:
                    self._answers.popitem(last=False)
        return replace(known, took_ms=round((time.perf_counter() - started) * 1000, 2))

    def _searcher(self) -> tuple[Any, dict[str, dict[int, list[str]]]]:
        """Return an open searcher on the latest index and each facet's values by document number.

        Both are kept while the index does not change: whoosh's own facet grouping read every
        posting of the seven facet fields again on each search (0.2-0.7 s a query at 5,000 DPs).
        Call with `_search_lock` held.
        """
        state, stamp = self._state, self._stamp()
        if state is None or stamp != self._opened or not state[0].up_to_date():
            if state is not None:
                state[0].close()
            self._opened = stamp
            self._answers.clear()
            searcher = open_index(self.location).searcher()
            reader = searcher.reader()
            values: dict[str, dict[int, list[str]]] = {}
            for name in FACETS:
                by_doc = values[name] = {}
                for term in reader.lexicon(name):
                    value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    for docnum in reader.postings(name, term).all_ids():
                        by_doc.setdefault(docnum, []).append(value)
            state = self._state = (searcher, values)
        return state

    def _run(self, query: Query, selected: list[tuple[str, str]], page: int, page_size: int,
             text: str) -> SearchResults:
        chosen = [Term(name, value) for name, value in selected]
        with self._search_lock:
            searcher, facet_values = self._searcher()
            with whoosh_failures("The query could not be run ({}): simplify it or quote unusual characters."):
                query = fuzzy(query, searcher.reader())
                results, matched = _search(searcher, query, chosen, page * page_size)
                loose = False
                if not matched and text:
                    query = fuzzy(query, searcher.reader(), every_word=True)
                    (results, matched), loose = _search(searcher, query, chosen, page * page_size), True
                terms = _terms(query, searcher.reader())
            total = len(matched)
            hits = [self._hit(hit, terms) for hit in results[(page - 1) * page_size: page * page_size]]
        counts = {name: dict(Counter(v for doc in matched for v in by_doc.get(doc, ())))
                  for name, by_doc in facet_values.items()}
        return SearchResults(
            query=text, expanded="", total=total, page=page, page_size=page_size,
            pages=(total + page_size - 1) // page_size, hits=hits,
            facets=self._facets(counts, selected), selected=[f"{n}:{v}" for n, v in selected],
            facet_values={name: sum(1 for v in found if v) for name, found in counts.items() if found},
            fuzzy=loose and total > 0,
            message="No exact matches: showing close spellings." if loose and total else None)

    def _stamp(self) -> tuple[int, int] | None:
        """Identify the index folder on disk: a rebuild swaps in a new folder with the same generation."""
        try:
            status = os.stat(self.location)
        except OSError:
            return None
        return status.st_ino, status.st_ctime_ns

    def _hit(self, hit: Any, terms: set[str]) -> Hit:
        stored = hit.fields()
        fragmenter, formatter = highlight.ContextFragmenter(maxchars=240, surround=60), _Marker()
        analyzer = hit.searcher.schema["content"].analyzer
        snippets = []
        for name in _SNIPPET_FIELDS.get(stored["kind"], TEXT_FIELDS):
            if name in stored and terms:
                marked = highlight.highlight(stored[name], terms, analyzer, fragmenter, formatter, top=2,
                                             scorer=_first_best)
                if marked:
                    snippets.append({"field": name, "html": marked, "parts": snippet_parts(marked)})
            if len(snippets) == 3:
                break
        if not snippets:
            first = next((n for n in _SNIPPET_FIELDS.get(stored["kind"], ()) if stored.get(n)), None)
            if first:
                snippets.append({"field": first, "html": html.escape(stored[first][:240]),
                                 "parts": [(stored[first][:240], False)]})
        title = stored.get("title", "")
        whole = highlight.WholeFragmenter()
        marked_title = highlight.highlight(title, terms, analyzer, whole, formatter) if terms and title else ""
        summary = ""
        if stored["kind"] == "dp" and stored.get("aim") and not any(s["field"] == "aim" for s in snippets):
            summary = shorten(stored["aim"], SUMMARY_CHARS)
        return Hit(id=stored["id"], kind=stored["kind"], title=title, url=stored.get("url", ""),
                   score=round(float(hit.score or 0.0), 4), snippets=snippets, cells=stored.get("cells") or {},
                   facets={n: stored[n].split(",") for n in FACETS if stored.get(n) and n != "kind"},
                   title_parts=snippet_parts(marked_title) if marked_title else [(title, False)],
                   context=stored.get("context", ""), summary=summary)

    def _facets(self, counts: dict[str, dict[Any, int]],
                selected: list[tuple[str, str]]) -> dict[str, list[FacetValue]]:
        """Count each facet's values over the whole result set: the MAX_FACET_VALUES most frequent, and
        any value already chosen, labelled from the graph."""
        every = {name: {(v.decode() if isinstance(v, bytes) else str(v)): n for v, n in found.items() if v}
                 for name, found in counts.items()}
        values = {name: dict(sorted(found.items(), key=lambda item: (-item[1], item[0]))[:MAX_FACET_VALUES]
                             + [(v, found[v]) for n, v in selected if n == name and v in found])
                  for name, found in every.items()}
        labels = self._labels(values)
        return {name: sorted((FacetValue(v, labels.get((name, v), v), n, (name, v) in selected)
                              for v, n in found.items()), key=lambda f: (-f.count, f.label.lower(), f.value))
                for name, found in values.items() if found}

    def _labels(self, values: dict[str, dict[str, int]]) -> dict[tuple[str, str], str]:
        """Label facet values from the graph (theme d is 'D: Strengthening the social economy')."""
        labels = {("kind", k): label for k, label in KIND_LABELS.items()}
        iris = {}
        for name, found in values.items():
            for value in found:
                if name in _FACET_PATHS:
                    iris[f"{ID}{_FACET_PATHS[name]}/{value.upper() if name == 'theme' else value}"] = (name, value)
        for iri, label in _facet_labels(self.store, iris).items():
            labels[iris[iri]] = label
        for (name, value) in {(n, v) for n, found in values.items() for v in found} - set(labels):
            labels[(name, value)] = value.upper() if name == "theme" else slug_of(value)
        return labels
