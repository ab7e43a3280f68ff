"""Names for generated corpora: DP names, the written forms of gazetteer bodies, typos, unknown bodies.

Body forms come from the curated gazetteer (labels, abbreviations, aliases, known typos) plus
one-edit typos. None is chosen by asking the linker what it resolves: the manifest's ground
truth says what the documents mean, and ingest is measured against it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

from ingest.text import match_key
from kg.rdf.namespaces import EQ, ORG, SCHEMA, entity_iri, slugify

#: GB regions (as the region scheme labels them) and towns in them.
TOWNS: dict[str, list[str]] = {
    "North East": ["Newcastle", "Sunderland", "Gateshead", "Durham", "Middlesbrough", "Darlington",
                   "Hartlepool", "South Tyneside"],
    "North West": ["Manchester", "Liverpool", "Bolton", "Wigan", "Preston", "Blackburn", "Oldham",
                   "Salford", "Cumbria"],
    "Yorkshire and the Humber": ["Leeds", "Sheffield", "Bradford", "Hull", "Kirklees", "Wakefield",
                                 "Rotherham", "Doncaster", "Calderdale"],
    "East Midlands": ["Nottingham", "Derby", "Leicester", "Lincoln", "Northampton", "Mansfield", "Corby"],
    "West Midlands": ["Birmingham", "Coventry", "Wolverhampton", "Sandwell", "Dudley", "Walsall", "Stoke",
                      "Telford"],
    "East of England": ["Norwich", "Ipswich", "Peterborough", "Luton", "Cambridge", "Suffolk", "Norfolk",
                        "Essex"],
    "London": ["Hackney", "Camden", "Lambeth", "Southwark", "Newham", "Tower Hamlets", "Brent", "Haringey",
               "Islington"],
    "South East": ["Brighton", "Southampton", "Portsmouth", "Reading", "Kent", "Oxford", "Milton Keynes",
                   "Slough", "Hastings"],
    "South West": ["Bristol", "Plymouth", "Exeter", "Bournemouth", "Swindon", "Cornwall", "Gloucester",
                   "Torbay"],
    "Wales": ["Cardiff", "Swansea", "Newport", "Wrexham", "Merthyr"],
    "Scotland": ["Glasgow", "Edinburgh", "Dundee", "Aberdeen", "Fife"],
}
_ADJECTIVES = ["Fair", "Bright", "Open", "Active", "Common", "Shared", "First", "Fresh", "Real", "Better",
               "Positive", "Smart", "Future", "Inclusive", "Diverse", "Enterprising", "Step", "Next",
               "Learning", "Working", "Rising", "Green", "Northern", "Coastal", "Urban", "Rural", "Social",
               "Community", "Family", "Flexible", "Skilled", "Equal", "New", "Bridge", "Gateway", "Open Door"]
_NOUNS = ["Chance", "Pathways", "Routes", "Futures", "Horizons", "Ladders", "Bridges", "Gateways", "Links",
          "Steps", "Works", "Enterprise", "Ventures", "Voices", "Connections", "Foundations", "Choices",
          "Opportunities", "Networks", "Partners", "Access", "Balance", "Progress", "Careers", "Skills",
          "Impact", "Capital", "Alliance", "Forum", "Initiative", "Horizon", "Journeys", "Keys", "Roots"]
#: Lower-case words real DP names carry that the summary reader's name pattern does not allow.
_CONNECTED = ["{a} into Work", "{n} to Employment", "Women into {n}", "{n} at Work", "Back to {n}",
              "{n} with Confidence", "Routes to {n}"]
_COUNCILS = ["City Council", "County Council", "Borough Council", "Metropolitan Borough Council"]
_UNKNOWN_KINDS = ["Employment Forum", "Learning Network", "Enterprise Trust", "Procurement Organisation",
                  "Skills Board", "Equality Forum", "Women's Network", "Refugee Forum", "Training Consortium",
                  "Economic Partnership", "Regeneration Board", "Inclusion Panel", "Childcare Alliance",
                  "Migrant Support Network", "Business Club", "Employers' Forum"]
#: Words an acronym DP name must not be (list noise, level labels, connectors).
_RESERVED = {"and", "or", "the", "all", "other", "etc", "uk", "gb", "eu", "dp", "dps", "plus", "of"}
_LEVEL_BY_TYPE = {
    "government-department": "National", "executive-agency": "National", "government-unit": "National",
    "public-body": "National", "equality-body": "National", "social-partner": "National",
    "funding-programme": "National", "devolved-administration": "National", "sector-network": "National",
    "regional-development-agency": "Regional", "regional-government": "Regional",
    "eu-institution": "European", "eu-agency": "European", "international-partner": "European",
}


@dataclass
class BodyForms:
    """A gazetteer body and the ways a document may write it (each checked to resolve to it)."""

    iri: str
    label: str
    body_type: str
    kind: bool
    level: str
    founded: int | None
    dissolved: int | None
    forms: dict[str, list[str]] = field(default_factory=dict)
    parent: str | None = None

    def exists_in(self, year: int) -> bool:
        """Tell whether the body existed in a year (a strategy names only bodies of its time)."""
        return (self.founded is None or self.founded <= year) and (self.dissolved is None or self.dissolved >= year)


def _year(value: object) -> int | None:
    found = re.match(r"\d{4}", str(value)) if value is not None else None
    return int(found.group(0)) if found else None


def load_bodies(graph: Graph, rng: random.Random) -> tuple[list[BodyForms], int]:
    """Read every curated body and its written forms; return them (by IRI) and how many forms were dropped.

    A form is dropped when it holds a list separator or colon, or when the curated data itself
    gives it to two bodies (an alias shared by two). Nothing asks the linker: the ground truth
    says what the documents mean, not what today's reader finds.
    """
    bodies: list[BodyForms] = []
    dropped = 0
    owners = _form_owners(graph)
    for node in sorted(set(graph.subjects(RDF.type, EQ.Body)), key=str):
        label = str(graph.value(node, RDFS.label))
        body_type = str(graph.value(node, EQ.bodyType) or "").rsplit("/", 1)[-1]
        kind = (node, RDF.type, EQ.BodyKind) in graph
        parents = sorted(str(graph.value(p, RDFS.label)) for p in graph.objects(node, ORG.subOrganizationOf))
        body = BodyForms(
            iri=str(node), label=label, body_type=body_type, kind=kind,
            level="Local/Regional" if kind else _LEVEL_BY_TYPE.get(body_type, "National"),
            founded=_year(graph.value(node, SCHEMA.foundingDate)),
            dissolved=_year(graph.value(node, SCHEMA.dissolutionDate)),
            parent=parents[0] if parents and "," not in parents[0] else None)
        candidates = {
            "label": [label],
            "abbreviation": sorted(map(str, graph.objects(node, EQ.abbreviation))),
            "alias": sorted(set(map(str, graph.objects(node, SKOS.altLabel)))
                            - set(map(str, graph.objects(node, EQ.abbreviation)))),
            "typo": sorted(map(str, graph.objects(node, SKOS.hiddenLabel))),
        }
        longest = max([label, *candidates["alias"]], key=lambda name: (len(name.split()) == 1, -len(name)))
        candidates["typo"] += [one_edit_typo(rng, longest)] if len(longest) >= 12 else []
        for how, names in candidates.items():
            names = [name[:1].upper() + name[1:] for name in names]  # a cell never starts in lower case
            kept = [name for name in names if _usable(name) and owners.get(match_key(name), {body.iri}) == {body.iri}]
            dropped += len(names) - len(kept)
            if kept:
                body.forms[how] = kept
        if "label" not in body.forms:
            body.forms.setdefault("alias", []).extend(body.forms.pop("abbreviation", []))
        if body.forms:
            bodies.append(body)
    return bodies, dropped


def _form_owners(graph: Graph) -> dict[str, set[str]]:
    """Return, for each written form's key in the curated data, the bodies that have it."""
    owners: dict[str, set[str]] = {}
    for predicate in (RDFS.label, EQ.abbreviation, SKOS.altLabel, SKOS.hiddenLabel):
        for node, name in graph.subject_objects(predicate):
            if (node, RDF.type, EQ.Body) in graph:
                owners.setdefault(match_key(str(name)), set()).add(str(node))
    return owners


def _usable(name: str) -> bool:
    """Tell whether a form can stand in a list cell: no list separator, colon or lead marker."""
    return not re.search(r"[,;:*]", name)


def one_edit_typo(rng: random.Random, name: str) -> str:
    """Make a one-edit typo (swap, drop or double a letter) inside a long word of a name.

    >>> one_edit_typo(random.Random(3), "Department for Work and Pensions") != "Department for Work and Pensions"
    True
    """
    words = name.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) >= 6 and word.isalpha()]
    if not long_words:
        return name
    index = rng.choice(long_words)
    word = words[index]
    at = rng.randrange(2, len(word) - 2)
    edit = rng.choice(("swap", "drop", "double"))
    if edit == "swap" and word[at] != word[at + 1]:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    elif edit == "double":
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + word[at + 1:]
    words[index] = word
    return " ".join(words)


@dataclass(frozen=True)
class DPName:
    """A generated DP: its name, slug, region and home town."""

    name: str
    slug: str
    region: str
    town: str
    connected: bool = False


def make_dp_names(rng: random.Random, count: int, taken: set[str]) -> list[DPName]:
    """Make `count` distinct DP names in the styles real ones have (SEEM, Fair Chance, Bristol City Council).

    `taken` holds match keys that must not be used (body names); it is extended with the names made.
    A few names carry lower-case words (`Women into Work`) as real ones did.
    """
    regions = list(TOWNS)
    names: list[DPName] = []
    slugs: set[str] = set()
    while len(names) < count:
        region = rng.choices(regions, weights=[5, 9, 8, 6, 8, 6, 12, 8, 6, 4, 3])[0]
        town = rng.choice(TOWNS[region])
        style = rng.random()
        connected = False
        if style < 0.30:
            name = _acronym(rng)
        elif style < 0.62:
            name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
        elif style < 0.78:
            name = f"{town} {rng.choice(_NOUNS)}"
        elif style < 0.86:
            name = rng.choice(_ADJECTIVES).replace(" ", "") + rng.choice(_NOUNS) if rng.random() < 0.5 else \
                f"{rng.choice(_NOUNS)}2{rng.choice(['Work', 'Learn', 'Enterprise', 'Success'])}"
        elif style < 0.97:
            name = f"{town} {rng.choice(_COUNCILS)}"
        else:
            name = rng.choice(_CONNECTED).format(a=rng.choice(_ADJECTIVES), n=rng.choice(_NOUNS))
            connected = True
        key, slug = match_key(name), slugify(name)
        if key in taken or slug in slugs or key in _RESERVED:
            continue
        taken.add(key)
        slugs.add(slug)
        names.append(DPName(name=name, slug=slug, region=region, town=town, connected=connected))
    return names


def _acronym(rng: random.Random) -> str:
    """Make a pronounceable capitalised acronym of 4-7 letters (NESEP, SEASY, INSPIRE)."""
    consonants, vowels = "BCDFGHKLMNPRSTVW", "AEIOU"
    pattern = rng.choice(("CVCV", "CVCC", "VCVC", "CVCVC", "CCVCV", "VCCVC", "CVCCVC", "VCCVCV", "CVCVCVC"))
    return "".join(rng.choice(consonants if slot == "C" else vowels) for slot in pattern)


def make_unknown_bodies(rng: random.Random, count: int, known: set[str]) -> list[tuple[str, str]]:
    """Make names of bodies the gazetteer does not know (`Kirklees Employment Forum`), with the IRIs
    of the new bodies they are meant to become; `known` holds the keys of every curated name."""
    towns = sorted({town for towns in TOWNS.values() for town in towns})
    made: dict[str, str] = {}
    attempts = 0
    while len(made) < count and attempts < count * 20:
        attempts += 1
        name = f"{rng.choice(towns)} {rng.choice(_UNKNOWN_KINDS)}"
        if name in made:
            continue
        if match_key(name) not in known:
            made[name] = str(entity_iri("body", slugify(name)))
    return list(made.items())

