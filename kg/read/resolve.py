"""Find an entity from what a person types: its IRI, its slug, or one of its names, in any case.

The CLI, the web app and the API resolve DPs and bodies here, with one rule for both kinds; the
suggest-as-you-type of the pickers offers names, this answers the one that was chosen.
"""

from __future__ import annotations

import re

from kg.rdf.namespaces import BODY_NAMES, NAMES, entity_iri
from kg.rdf.sparql_text import iri_ref, is_safe_iri
from kg.store.base import Store
from kg.store.cache import cached, is_immutable

#: The classes and name properties each kind is resolved by.
KINDS: dict[str, tuple[str, str]] = {"dp": ("eq:DevelopmentPartnership", NAMES), "body": ("eq:Body", BODY_NAMES)}
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def resolve(store: Store, kind: str, name: str) -> str | None:
    """Return the IRI of the entity of a kind (`dp`, `body`) known by an IRI, slug or name; None if none is."""
    cls, names = KINDS[kind]
    name = name.strip()
    if name.startswith(("http://", "https://")):
        return name if is_safe_iri(name) and store.ask(f"ASK {{ {iri_ref(name)} a {cls} }}") else None
    if _SLUG.fullmatch(name):  # could be a slug: <kind>/<slug>
        by_slug = str(entity_iri(kind, name.lower()))
        if store.ask(f"ASK {{ {iri_ref(by_slug)} a {cls} }}"):
            return by_slug
    if is_immutable(store):  # a published snapshot: every name in a table read once
        return name_table(store, kind).get(name.lower())
    literal = name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    rows = store.select(f"""SELECT ?x WHERE {{ ?x a {cls} ; {names} ?l
        FILTER(LCASE(STR(?l)) = LCASE("{literal}")) }} ORDER BY ?x LIMIT 1""").rows
    return str(rows[0]["x"]) if rows else None


@cached
def name_table(store: Store, kind: str) -> dict[str, str]:
    """Return every name of the entities of a kind, lowercased, with the first IRI (in order) it names;
    read once per published snapshot, so that resolving a list of names costs lookups, not queries."""
    cls, names = KINDS[kind]
    table: dict[str, str] = {}
    for row in store.values(f"SELECT ?x ?l WHERE {{ ?x a {cls} ; {names} ?l }} ORDER BY ?x"):
        table.setdefault(str(row["l"]).lower(), str(row["x"]))
    return table


def resolve_dp(store: Store, name: str) -> str | None:
    """Find a DP by IRI, slug, label or alias (case-insensitive)."""
    return resolve(store, "dp", name)


def resolve_body(store: Store, name: str) -> str | None:
    """Find a body by IRI, slug, label, alias, abbreviation or known typo (case-insensitive)."""
    return resolve(store, "body", name)
