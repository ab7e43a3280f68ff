"""The long lists of the app (DPs, bodies, themes, policy areas, documents), sorted, filtered and paged.

Each list is read once per published snapshot as plain rows (the API serves them whole, as JSON or
CSV); a `Listing` says how its rows may be ordered and filtered, so that the pages and the API take
the same `sort=` and filter parameters and refuse a bad one with the same message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kg.errors import RequestError
from kg.rdf.namespaces import ID, slug_of
from kg.store.base import Store
from kg.store.cache import cached

Row = dict[str, object]
#: Rows a page of a long list shows.
PAGE_SIZE = 100


def _s(value: object) -> str | None:
    return None if value is None else str(value)


def _by_name(row: Row) -> tuple[str, str]:
    return str(row["label"]).lower(), str(row["iri"])


def _most(field: str) -> Callable[[Row], tuple[int, str, str]]:
    return lambda row: (-int(row[field]), *_by_name(row))  # type: ignore[call-overload]


@dataclass(frozen=True)
class Page:
    """One page of a long list: its items, its number (from 1), and whether pages follow."""

    items: list
    number: int
    size: int
    total: int

    @property
    def has_next(self) -> bool:
        """Tell whether another page follows this one."""
        return self.number * self.size < self.total

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first item in the whole list."""
        return (self.number - 1) * self.size + 1 if self.items else 0


def page_of(items: list, number: int, size: int = PAGE_SIZE) -> Page:
    """Return page `number` (from 1) of a list, `size` items a page (an empty page past the end)."""
    number = max(1, number)
    return Page(items[(number - 1) * size:number * size], number, size, len(items))


@dataclass(frozen=True)
class Listing:
    """How one list may be ordered (the first order is the default) and filtered.

    `filters` maps a parameter to the row field it tests: a row passes when the field equals the
    value, or holds it when the field is a list (case-insensitive either way). `defaults` are filters
    that apply unless asked for otherwise or `all=1` (bodies: only those a DP targets).
    """

    name: str
    orders: dict[str, Callable[[Row], object]]
    filters: dict[str, str]
    defaults: dict[str, str] = field(default_factory=dict)

    @property
    def default_order(self) -> str:
        """The order a list has when none is asked for."""
        return next(iter(self.orders))

    def arrange(self, rows: list[Row], order: str | None = None, **wanted: str | None) -> list[Row]:
        """Return the rows that pass the filters given (None or "" is no filter), in an order.

        Raises:
            RequestError: an order or filter this list does not have, named with the ones it has.
        """
        order = order or self.default_order
        if order not in self.orders:
            raise RequestError(f"sort must be one of {', '.join(self.orders)}, not {order!r}")
        unknown = sorted(set(wanted) - set(self.filters))
        if unknown:
            raise RequestError(f"{self.name} cannot be filtered by {', '.join(unknown)}: "
                               f"use {', '.join(self.filters) or 'no filter'}")
        chosen = {name: value for name, value in wanted.items() if value}
        for name, value in chosen.items():  # each value against the whole list: a combination may match nothing
            choices = self.choices(rows, name)
            if value.strip().lower() not in {choice.lower() for choice in choices}:
                shown = ", ".join(choices[:12]) + (", ..." if len(choices) > 12 else "")
                raise RequestError(f"{name} must be one of {shown or 'nothing yet'}, not {value!r}")
        for name, value in chosen.items():
            rows = [row for row in rows if _passes(row[self.filters[name]], value)]
        return sorted(rows, key=self.orders[order])

    def choices(self, rows: list[Row], name: str) -> list[str]:
        """Return the values a filter can take in these rows, sorted (for a page's select box)."""
        found: set[str] = set()
        for row in rows:
            value = row[self.filters[name]]
            found.update(str(v) for v in (value if isinstance(value, list) else [value]) if v)
        return sorted(found, key=str.lower)


def _passes(field: object, value: str) -> bool:
    value = value.strip().lower()
    if isinstance(field, list):
        return any(str(v).lower() == value for v in field)
    return field is not None and str(field).lower() == value


LISTINGS: dict[str, Listing] = {listing.name: listing for listing in (
    Listing("dps", {"name": _by_name, "bodies": _most("bodies_targeted")}, {"theme": "themes", "region": "regions"}),
    Listing("bodies", {"dps": _most("dps"), "name": _by_name},
            {"type": "type_id", "theme": "themes", "level": "levels", "targeted": "targeted"}, {"targeted": "yes"}),
    Listing("themes", {"letter": lambda row: str(row["letter"]), "dps": _most("dps")}, {}),
    Listing("policy-areas", {"dps": _most("dps"), "name": _by_name, "activities": _most("activities")},
            {"theme": "themes"}),
    Listing("documents", {"name": _by_name, "kind": lambda row: (str(row["kind"]), *_by_name(row))},
            {"kind": "kind", "theme": "theme"}),
)}


@cached
def arranged(store: Store, name: str, order: str | None = None, **wanted: str | None) -> list[Row]:
    """Return a whole list (`LISTINGS`) filtered and ordered, remembered per published snapshot."""
    listing = LISTINGS[name]
    return listing.arrange(READERS[name](store), order, **wanted)


@cached
def filter_choices(store: Store, name: str, filter_name: str) -> list[str]:
    """Return the values a list's filter can take (for a page's select box), remembered per snapshot."""
    return LISTINGS[name].choices(READERS[name](store), filter_name)


def _sets(store: Store, query: str, key: str, value: str) -> dict[str, set[str]]:
    """Group the values of a two-column SELECT by its key column."""
    grouped: dict[str, set[str]] = {}
    for row in store.values(query):
        if row[key] is not None and row[value] is not None:
            grouped.setdefault(str(row[key]), set()).add(str(row[value]))
    return grouped


@cached
def list_dps(store: Store) -> list[Row]:
    """Return every DP with its themes, regions and the number of bodies it targets.

    Four small queries merged here, not one with three OPTIONALs: joined OPTIONALs multiply a
    DP's labels, themes and regions (35 s at 5,000 DPs over the old union default graph, which
    also repeated them once per document, against under a second).
    """
    dps: dict[str, Row] = {}
    for r in store.values("SELECT DISTINCT ?dp ?label WHERE { ?dp a eq:DevelopmentPartnership ; rdfs:label ?label }"):
        iri, label = str(r["dp"]), str(r["label"])
        item = dps.setdefault(iri, {"iri": iri, "slug": slug_of(iri), "label": label, "themes": [], "regions": [],
                                    "bodies_targeted": 0})
        if (label.lower(), label) < (str(item["label"]).lower(), str(item["label"])):
            item["label"] = label  # the first label in alphabetical order
    themes = _sets(store, "SELECT DISTINCT ?dp ?t WHERE { ?dp eq:theme ?theme . ?theme skos:notation ?t }", "dp", "t")
    regions = _sets(store, "SELECT DISTINCT ?dp ?r WHERE { ?dp eq:region ?region . ?region rdfs:label ?r }",
                    "dp", "r")
    for r in store.values("""SELECT ?dp (COUNT(?b) AS ?n) WHERE {
            SELECT DISTINCT ?dp ?b WHERE { ?dp eq:targets ?b } } GROUP BY ?dp"""):
        if str(r["dp"]) in dps:
            dps[str(r["dp"])]["bodies_targeted"] = int(str(r["n"]))
    for iri, item in dps.items():
        item["themes"] = sorted(themes.get(iri, ()))
        item["regions"] = sorted(regions.get(iri, ()))
    return sorted(dps.values(), key=_by_name)


@cached
def list_bodies(store: Store) -> list[Row]:
    """Return every body with its type, the number of DPs targeting it (directly), and the themes and
    levels it is targeted in; most targeted first. `targeted` is "yes" when a DP targets it."""
    rows = store.values("""SELECT ?b (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?typeIri) (SAMPLE(?tl) AS ?type)
        (COUNT(DISTINCT ?dp) AS ?dps) (SAMPLE(?rec) AS ?reconciled) WHERE {
        ?b a eq:Body ; rdfs:label ?l .
        OPTIONAL { ?b eq:bodyType ?t . ?t rdfs:label ?tl }
        OPTIONAL { ?b eq:reconciled ?rec }
        OPTIONAL { ?dp eq:targets ?b } } GROUP BY ?b""")
    themes = _sets(store, """SELECT DISTINCT ?b ?t WHERE { ?dp eq:targets ?b ; eq:theme ?theme .
        ?theme skos:notation ?t }""", "b", "t")
    levels = _sets(store, """SELECT DISTINCT ?b ?level WHERE {
        ?st rdf:predicate eq:targets ; rdf:object ?b ; eq:level ?level }""", "b", "level")
    bodies = [{"iri": str(r["b"]), "slug": slug_of(r["b"]), "label": str(r["label"]), "type": r["type"],
               "type_id": slug_of(r["typeIri"]) if r["typeIri"] else None, "dps": int(str(r["dps"])),
               "targeted": "yes" if int(str(r["dps"])) else "no",
               "reconciled": r["reconciled"] != "false", "themes": sorted(themes.get(str(r["b"]), ())),
               "levels": sorted(slug_of(level) for level in levels.get(str(r["b"]), ()))} for r in rows]
    return sorted(bodies, key=_most("dps"))  # sorted here: Virtuoso refuses LCASE() of a SAMPLE alias


@cached
def list_themes(store: Store) -> list[Row]:
    """Return the themes A-I with their pillar and the number of DPs in each."""
    rows = store.values("""SELECT ?t ?letter (SAMPLE(?l) AS ?label) (SAMPLE(?pl) AS ?pillar)
        (COUNT(DISTINCT ?dp) AS ?dps) WHERE {
        ?t a eq:Theme ; skos:notation ?letter ; rdfs:label ?l .
        OPTIONAL { ?p skos:narrower ?t ; rdfs:label ?pl }
        OPTIONAL { ?dp eq:theme ?t } } GROUP BY ?t ?letter ORDER BY ?letter""")
    return [{"iri": str(r["t"]), "letter": str(r["letter"]), "label": str(r["label"]),
             "pillar": r["pillar"], "dps": int(str(r["dps"]))} for r in rows]


@cached
def list_policy_areas(store: Store) -> list[Row]:
    """Return the policy areas with the number of mainstreaming activities and DPs in each, and the
    themes of those DPs; most DPs first."""
    areas: dict[str, Row] = {}
    for r in store.values(f"""SELECT ?a ?l WHERE {{ ?a a eq:PolicyArea ; rdfs:label ?l
            FILTER(STRSTARTS(STR(?a), "{ID}policy-area/")) }} ORDER BY ?a ?l"""):
        areas.setdefault(str(r["a"]), {"iri": str(r["a"]), "slug": slug_of(r["a"]), "label": str(r["l"]),
                                        "activities": 0, "dps": 0, "themes": []})
    for counted, cls in (("activities", "eq:MainstreamingActivity"), ("dps", "eq:DevelopmentPartnership")):
        for r in store.values(f"""SELECT ?a (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} ; eq:policyArea ?a }}
                GROUP BY ?a"""):
            if str(r["a"]) in areas:
                areas[str(r["a"])][counted] = int(str(r["n"]))
    themes = _sets(store, """SELECT DISTINCT ?a ?t WHERE { ?dp a eq:DevelopmentPartnership ; eq:policyArea ?a ;
        eq:theme ?theme . ?theme skos:notation ?t }""", "a", "t")
    for iri, item in areas.items():
        item["themes"] = sorted(themes.get(iri, ()))
    return sorted(areas.values(), key=_most("dps"))


@cached
def list_documents(store: Store) -> list[Row]:
    """Return every ingested document with its kind (summary, strategy), theme and file name."""
    rows = store.values("""SELECT ?d (SAMPLE(?l) AS ?label) (SAMPLE(?f) AS ?file)
        (GROUP_CONCAT(DISTINCT STRAFTER(STR(?k), "#"); separator=" ") AS ?kinds) (SAMPLE(?n) AS ?theme)
        WHERE { ?d a eq:Document ; rdfs:label ?l ; a ?k . FILTER(?k != eq:Document)
        OPTIONAL { ?d eq:fileName ?f } OPTIONAL { ?d eq:theme/skos:notation ?n } }
        GROUP BY ?d""")
    documents = [{"iri": str(r["d"]), "slug": slug_of(r["d"]), "label": str(r["label"]), "file": r["file"],
                  "kind": _DOCUMENT_KINDS.get(str(r["kinds"] or ""), r["kinds"]), "theme": r["theme"]}
                 for r in rows]
    # sorted here: Virtuoso 7.2 returns ORDER BY on a SAMPLE alias in reverse
    return sorted(documents, key=lambda d: (str(d["label"]), str(d["iri"])))


#: The names a person filters documents by, for the classes a document has besides eq:Document.
_DOCUMENT_KINDS = {"DPSummary": "summary", "MainstreamingStrategy": "strategy"}

#: The function that reads each list whole.
READERS: dict[str, Callable[[Store], list[Row]]] = {
    "dps": list_dps, "bodies": list_bodies, "themes": list_themes, "policy-areas": list_policy_areas,
    "documents": list_documents,
}
