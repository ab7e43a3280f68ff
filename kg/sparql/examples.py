"""Example SPARQL queries for the questions users ask; the editor, the docs and the tests share them.

Each example declares the prefixes it uses, so it runs unchanged against any SPARQL endpoint
holding the graph (ours declares the standard prefixes anyway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.rdf.namespaces import PREFIXES


@dataclass(frozen=True)
class Example:
    """A named example query: a slug, the question it answers, and its SPARQL body."""

    slug: str
    title: str
    question: str
    body: str

    @property
    def text(self) -> str:
        """The full query: PREFIX lines for the prefixes the body uses, then the body."""
        return prefix_block(self.body) + self.body.strip() + "\n"


def prefix_block(body: str) -> str:
    """Return PREFIX declarations for the standard prefixes a query body uses.

    >>> prefix_block("SELECT * { ?dp eq:targets body:dti }")
    'PREFIX eq: <https://w3id.org/equal-kg/ns#>\\nPREFIX body: <https://w3id.org/equal-kg/id/body/>\\n'
    """
    used = set(re.findall(r"(?<![\w<?$])([A-Za-z][\w\-]*):", body))
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p in used)


EXAMPLES: tuple[Example, ...] = (
    Example("dps-targeting-body", "Which DPs target a body?",
            "Which Development Partnerships target the DTI (change body:dti to another body), and in which theme?",
            """
SELECT ?dp ?theme (GROUP_CONCAT(DISTINCT ?areaLabel; separator="; ") AS ?policyAreas)
WHERE {
  ?dp eq:targets body:dti .
  OPTIONAL { ?dp eq:theme ?theme }
  OPTIONAL {
    ?activity eq:involves ?dp ; eq:audience body:dti ; eq:policyArea ?area .
    ?area rdfs:label ?areaLabel .
  }
}
GROUP BY ?dp ?theme
ORDER BY ?theme ?dp
"""),
    Example("dps-per-theme", "DPs per theme",
            "How many Development Partnerships does each theme have, and how many bodies do they target?",
            """
SELECT ?theme ?notation (COUNT(DISTINCT ?dp) AS ?dps) (COUNT(DISTINCT ?body) AS ?bodies)
WHERE {
  ?dp a eq:DevelopmentPartnership ; eq:theme ?theme .
  ?theme skos:notation ?notation .
  OPTIONAL { ?dp eq:targets ?body }
}
GROUP BY ?theme ?notation
ORDER BY ?notation
"""),
    Example("cross-theme-pairs", "Partners across themes",
            "Which DPs from other themes target at least two of the same bodies as SEEM, so they could act jointly?",
            """
SELECT ?other ?theme (COUNT(DISTINCT ?body) AS ?shared)
       (GROUP_CONCAT(DISTINCT ?bodyLabel; separator="; ") AS ?bodies)
WHERE {
  dp:seem eq:targets ?body ; eq:theme ?mine .
  ?other eq:targets ?body ; eq:theme ?theme .
  FILTER (?theme != ?mine)
  ?body rdfs:label ?bodyLabel .
}
GROUP BY ?other ?theme
HAVING (COUNT(DISTINCT ?body) >= 2)
ORDER BY DESC(?shared) ?other
LIMIT 50
"""),
    Example("provenance-of-a-fact", "Where did a fact come from?",
            "From which document, row and table cell was 'SEEM targets the DTI' read, and how was the name written?",
            """
SELECT ?doc ?row ?column ?written ?cellText ?activity
WHERE {
  ?statement rdf:subject dp:seem ; rdf:predicate eq:targets ; rdf:object body:dti ;
             prov:wasDerivedFrom ?cell .
  OPTIONAL { ?statement eq:mentionText ?written }
  OPTIONAL { ?statement eq:activity ?activity }
  ?cell eq:column ?column ; eq:text ?cellText ; dcterms:isPartOf ?doc .
  OPTIONAL { ?cell eq:rowNumber ?row }
}
ORDER BY ?doc ?row
"""),
    Example("bodies-and-successors", "Bodies and their successors",
            "Which bodies were replaced, by whom and when: who would this be today?",
            """
SELECT ?body ?successor ?dissolved ?today
WHERE {
  ?body eq:succeededBy ?successor .
  OPTIONAL { ?body schema:dissolutionDate ?dissolved }
  OPTIONAL {
    ?body eq:succeededBy+ ?today .
    FILTER NOT EXISTS { ?today eq:succeededBy ?later }
  }
}
ORDER BY ?body
"""),
    Example("unreconciled-names", "Names not yet reconciled",
            "Which names in the strategies matched no known body, and which DPs target them?",
            """
SELECT ?body ?label (COUNT(DISTINCT ?dp) AS ?dps)
WHERE {
  ?body a eq:Body ; eq:reconciled false ; rdfs:label ?label .
  OPTIONAL { ?dp eq:targets ?body }
}
GROUP BY ?body ?label
ORDER BY DESC(?dps) ?label
"""),
    Example("body-hierarchy", "Bodies and their parents",
            "Which targeted bodies belong to a larger organisation (an agency under a department)?",
            """
SELECT ?body ?parent
WHERE {
  ?body org:subOrganizationOf ?parent .
  FILTER EXISTS { ?dp eq:targets ?body }
}
ORDER BY ?parent ?body
"""),
    Example("describe-a-dp", "Everything about one DP (CONSTRUCT)",
            "What does the graph say about the SEEM DP and the bodies it targets, as RDF?",
            """
CONSTRUCT {
  dp:seem ?p ?o .
  ?body rdfs:label ?label .
}
WHERE {
  { dp:seem ?p ?o }
  UNION
  { dp:seem eq:targets ?body . ?body rdfs:label ?label }
}
"""),
)

#: What the editor shows before the user types: the prefixes most queries need, and a first query.
DEFAULT_QUERY = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in
                        ("eq", "rdf", "rdfs", "skos", "dcterms", "prov", "dp", "body", "theme")) + """
SELECT ?dp ?body
WHERE {
  ?dp eq:targets ?body .
}
LIMIT 25
"""


def example(slug: str) -> Example | None:
    """Return the example with a slug, or None."""
    return next((e for e in EXAMPLES if e.slug == slug), None)
