"""Kind-specific views: what a body, DP or theme page (and the JSON API) shows, as plain data.

Written once here so the pages, the API and the CLI answer the same question the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kg.rdf.namespaces import EQ
from kg.rdf.sparql_text import iri_ref
from kg.read.entities import provenance
from kg.read.queries import body_and_members, dps_targeting, labels
from kg.store.base import Store
from kg.store.cache import cached


def _s(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass
class DPTarget:
    """One DP that targets a body: the policy areas, levels and source cells, merged."""

    dp: str
    label: str
    theme: str | None
    policy_areas: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    sources: list[dict[str, object]] = field(default_factory=list)


#: Most DPs a body page (and /api/bodies/<slug>) lists per theme; /api/bodies/<slug>/dps lists them all.
BODY_PAGE_DPS = 10


def targeting(store: Store, body: str) -> dict[str, list[str]]:
    """Return every DP that targets a body or one of its members, with its theme letters."""
    found: dict[str, set[str]] = {}
    letters: dict[str, str] = {}
    for target in body_and_members(store, body):
        for r in store.select(f"""SELECT DISTINCT ?dp ?theme WHERE {{ ?dp eq:targets {iri_ref(target)} .
                OPTIONAL {{ ?dp eq:theme ?theme }} }}""").rows:
            themes = found.setdefault(str(r["dp"]), set())
            if r["theme"] is not None:
                themes.add(str(r["theme"]))
                letters[str(r["theme"])] = ""
    if letters:  # theme IRIs to their notations (nine at most)
        for r in store.select(f"""SELECT ?t ?n WHERE {{ VALUES ?t {{ {" ".join(iri_ref(t) for t in letters)} }}
                ?t skos:notation ?n }}""").rows:
            letters[str(r["t"])] = str(r["n"])
    return {dp: sorted({letters[t] for t in themes if letters[t]}) for dp, themes in found.items()}


def targets_by_theme_count(found: dict[str, list[str]]) -> dict[str, int]:
    """Count the DPs of each theme ('?' when unknown) in `targeting`'s answer."""
    counts: dict[str, int] = {}
    for themes in found.values():
        for theme in themes or ["?"]:
            counts[theme] = counts.get(theme, 0) + 1
    return dict(sorted(counts.items()))


def body_targets(store: Store, body: str, per_theme: int | None = None,
                 found: dict[str, list[str]] | None = None) -> dict[str, list[DPTarget]]:
    """Answer 'which DPs target this body?' grouped by theme letter ('?' when unknown).

    With `per_theme`, only the first DPs of each theme (by IRI) are read in full, with their cells.
    """
    shown = None
    if per_theme is not None:
        found = targeting(store, body) if found is None else found
        by_theme: dict[str, list[str]] = {}
        for dp, themes in found.items():
            for theme in themes or ["?"]:
                by_theme.setdefault(theme, []).append(dp)
        shown = {dp for members in by_theme.values() for dp in sorted(members)[:per_theme]}
    answers = dps_targeting(store, body, dps=shown)
    grouped: dict[str, dict[str, DPTarget]] = {}
    level_names = labels(store, {a.level for a in answers if a.level})
    doc_names = labels(store, {a.document for a in answers})
    read = provenance(store, body, facts=[(dp, str(EQ.targets), body) for dp in {a.dp for a in answers}])
    for answer in answers:
        theme = answer.theme or "?"
        if per_theme is not None and len(grouped.get(theme, ())) >= per_theme and answer.dp not in grouped[theme]:
            continue  # a DP shown for another of its themes
        item = grouped.setdefault(theme, {}).setdefault(
            answer.dp, DPTarget(answer.dp, answer.dp_label, answer.theme))
        if answer.policy_area not in item.policy_areas:
            item.policy_areas.append(answer.policy_area)
        level = level_names.get(answer.level or "")
        if level and level not in item.levels:
            item.levels.append(level)
        cells = [asdict(c) for c in read.get((answer.dp, str(EQ.targets), body), [])]
        if not cells:  # the DP targets a member of this body: name the member's cell
            cells = [{"document": answer.document, "document_label": doc_names.get(answer.document),
                      "row": answer.row, "column": answer.column, "text": answer.cell_text,
                      "written": answer.written}]
        for source in cells:
            if source not in item.sources:
                item.sources.append(source)
    return {theme: list(dps.values()) for theme, dps in sorted(grouped.items())}


def _linked(store: Store, pattern: str, select: str = "", optional: str = "") -> list[dict[str, str | None]]:
    """Return the distinct ?x a pattern binds, with labels and any extra selected values."""
    # by STR(?l): engines order plain and @en labels apart from each other
    rows = store.select(f"""SELECT DISTINCT ?x ?l {select} WHERE {{
        {pattern} OPTIONAL {{ ?x rdfs:label ?l }} {optional} }} ORDER BY STR(?l)""").rows
    seen: dict[str, dict[str, str | None]] = {}
    for r in rows:
        extra = {k: _s(v) for k, v in r.items() if k not in ("x", "l")}
        seen.setdefault(str(r["x"]), {"iri": str(r["x"]), "label": _s(r["l"]) or str(r["x"]), **extra})
    return list(seen.values())


@cached
def body_view(store: Store, body: str, per_theme: int | None = None) -> dict[str, object]:
    """Return a body's page data: label, type, parents, kind, members, successors, targeting DPs.

    `targets_count` has the number of DPs per theme; with `per_theme`, `targets_by_theme` lists
    only the first of them (`targets_cut` tells), so a body most DPs target still loads at once.
    """
    node = iri_ref(body)
    found = targeting(store, body)
    by_theme = body_targets(store, body, per_theme, found)
    counts = targets_by_theme_count(found)
    dates = ("?founded ?dissolved", "OPTIONAL { ?x schema:foundingDate ?founded } "
             "OPTIONAL { ?x schema:dissolutionDate ?dissolved }")
    info = store.select(f"""SELECT ?label ?type ?typeLabel ?reconciled ?founded ?dissolved ?comment WHERE {{
        {node} rdfs:label ?label .
        OPTIONAL {{ {node} eq:bodyType ?type . OPTIONAL {{ ?type rdfs:label ?typeLabel }} }}
        OPTIONAL {{ {node} eq:reconciled ?reconciled }}
        OPTIONAL {{ {node} schema:foundingDate ?founded }}
        OPTIONAL {{ {node} schema:dissolutionDate ?dissolved }}
        OPTIONAL {{ {node} rdfs:comment ?comment }} }} LIMIT 1""").rows
    row = {k: _s(v) for k, v in info[0].items()} if info else {}
    return {
        "iri": body, "label": row.get("label"), "type": row.get("type"),
        "type_label": row.get("typeLabel"), "reconciled": row.get("reconciled") != "false",
        "founded": row.get("founded"), "dissolved": row.get("dissolved"), "comment": row.get("comment"),
        "parents": _linked(store, f"{node} org:subOrganizationOf ?x ."),
        "kinds": _linked(store, f"{node} eq:kind ?x ."),
        "members": _linked(store, f"?x eq:kind {node} ."),
        "children": _linked(store, f"?x org:subOrganizationOf {node} ."),
        "successors": _linked(store, f"{node} eq:succeededBy+ ?x .", *dates),
        "predecessors": _linked(store, f"?x eq:succeededBy+ {node} .", *dates),
        "targets_by_theme": {k: [asdict(t) for t in v] for k, v in by_theme.items()},
        "targets_count": counts, "targets_total": len(found),
        "targets_cut": per_theme is not None and any(len(by_theme.get(t, ())) < n for t, n in counts.items()),
    }


@cached
def dp_view(store: Store, dp: str) -> dict[str, object]:
    """Return a DP's page data: texts, outcomes, groups, regions, theme, bodies by level, activities."""
    node = iri_ref(dp)

    def values(prop: str) -> list[str]:
        rows = store.select(f"SELECT DISTINCT ?v WHERE {{ {node} {prop} ?v }} ORDER BY ?v").rows
        return [str(r["v"]) for r in rows]

    def linked(prop: str) -> list[dict[str, str | None]]:
        return _linked(store, f"{node} {prop} ?x .")

    outcomes = store.select(f"""SELECT ?o ?text ?quantity ?unit ?period WHERE {{ {node} eq:outcome ?o .
        ?o eq:text ?text . OPTIONAL {{ ?o eq:quantity ?quantity }} OPTIONAL {{ ?o eq:unit ?unit }}
        OPTIONAL {{ ?o eq:period ?period }} }} ORDER BY ?o""").rows
    sources = provenance(store, dp)
    by_level: dict[str, list[dict[str, object]]] = {}
    level_names = labels(store, {s.level for v in sources.values() for s in v if s.level})
    for body in linked("eq:targets"):
        cells = sources.get((dp, str(EQ.targets), str(body["iri"])), [])
        levels = sorted({level_names.get(s.level, s.level) for s in cells if s.level}) or ["Unspecified"]
        written = sorted({s.written for s in cells if s.written and s.written != body["label"]})
        for level in levels:
            by_level.setdefault(level, []).append({**body, "written": written})
    activities = store.select(f"""SELECT DISTINCT ?a ?l ?area ?areaLabel ?lead WHERE {{
        ?a eq:involves {node} ; rdfs:label ?l .
        OPTIONAL {{ ?a eq:policyArea ?area . ?area rdfs:label ?areaLabel }}
        BIND(EXISTS {{ ?a eq:lead {node} }} AS ?lead) }} ORDER BY ?l""").rows
    documents = sorted({s.document for v in sources.values() for s in v})
    doc_names = labels(store, documents)
    leads = {x["iri"] for x in linked("eq:leadPartner")}
    return {
        "iri": dp, "label": labels(store, [dp]).get(dp) or dp,
        "aim": values("eq:aim"), "objectives": values("eq:objective"), "background": values("eq:background"),
        "beneficiary_text": values("eq:beneficiaryText"), "round": values("eq:round"),
        "outcomes": [{k: _s(v) for k, v in r.items()} for r in outcomes],
        "beneficiary_groups": linked("eq:beneficiaryGroup"), "regions": linked("eq:region"),
        "themes": linked("eq:theme"), "policy_areas": linked("eq:policyArea"),
        "policies": linked("eq:mentions"),
        "aliases": values("skos:altLabel"),
        "partners": [{**x, "lead": x["iri"] in leads} for x in linked("eq:partner")],
        "targets_by_level": dict(sorted(by_level.items())),
        "activities": [{"iri": str(r["a"]), "label": str(r["l"]), "policy_area": _s(r["area"]),
                        "policy_area_label": _s(r["areaLabel"]), "lead": bool(r["lead"].toPython())}
                       for r in activities],
        "documents": [{"iri": d, "label": doc_names.get(d, d)} for d in documents],
    }


@cached
def theme_view(store: Store, theme: str) -> dict[str, object]:
    """Return a theme's DPs, activities and strategy documents."""
    node = iri_ref(theme)
    rows = store.select(f"""SELECT ?x ?l ?kind WHERE {{
        {{ ?x eq:theme {node} ; a eq:DevelopmentPartnership BIND("dps" AS ?kind) }}
        UNION {{ ?x eq:theme {node} ; a eq:MainstreamingActivity BIND("activities" AS ?kind) }}
        UNION {{ ?x eq:theme {node} ; a eq:Document BIND("documents" AS ?kind) }}
        ?x rdfs:label ?l }} ORDER BY LCASE(?l)""").rows
    out: dict[str, list[dict[str, str]]] = {"dps": [], "activities": [], "documents": []}
    for r in rows:
        item = {"iri": str(r["x"]), "label": str(r["l"])}
        if item not in out[str(r["kind"])]:
            out[str(r["kind"])].append(item)
    return {"iri": theme, "label": labels(store, [theme]).get(theme), **out}


def targets_rows(targets_by_theme: dict[str, list[dict[str, object]]]) -> list[dict[str, object]]:
    """Flatten 'which DPs target this body' into one row per DP and source cell (for CSV)."""
    rows: list[dict[str, object]] = []
    for theme, items in targets_by_theme.items():
        for item in items:
            for source in item["sources"] or [{}]:  # type: ignore[attr-defined]
                rows.append({"theme": theme, "dp": item["dp"], "dp_label": item["label"],
                             "policy_areas": item["policy_areas"], "levels": item["levels"],
                             "document": source.get("document"), "row": source.get("row"),
                             "column": source.get("column"), "cell_text": source.get("text"),
                             "written": source.get("written")})
    return rows
