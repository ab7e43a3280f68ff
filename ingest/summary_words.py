"""The words of DP pages: section headings and field labels in their many wordings, and what each opens.

A heading opens a section (aim, objectives, background, beneficiaries, outcomes, activities) by
its wording or by a key word in a short line (`Main Achievements`, `Who we worked with`); a field
label gives a fact (theme, round, region, lead, partners, contact, dates, name, full name).
"""

from __future__ import annotations

import re

from ingest.text import match_key

#: Section headings (as match keys) and the section each one opens.
HEADINGS: dict[str, str] = {}
for _section, _wordings in {
    "aim": ["aim", "aims", "overall aim", "purpose", "aim of the dp", "aims and objectives", "mission", "our aim",
            "the aim", "main aim", "project aim", "aim of the project", "aim of the partnership"],
    "objectives": ["objectives", "key objectives", "main objectives", "key priorities", "priorities",
                   "objectives and activities", "key priorities and actions", "our objectives", "goals"],
    "background": ["background", "context", "rationale", "background and context", "origins", "the problem",
                   "the issue", "the need", "why", "the challenge"],
    "beneficiaries": ["target beneficiary groups", "beneficiary groups", "beneficiaries", "target groups",
                      "target beneficiaries", "target group", "who we work with", "who we worked with",
                      "client groups", "participants", "who it was for", "who we helped", "who took part",
                      "who benefited", "who it helped", "target audience"],
    "outcomes": ["main outcomes", "outcomes", "results", "key outcomes", "achievements", "main results", "impact",
                 "outcomes and results", "main achievements", "what we achieved", "key achievements",
                 "results and impact", "what happened", "lessons learned", "key results"],
    "activities": ["activities", "main activities", "approach", "methods", "work programme", "what we did",
                   "how we worked", "our approach"],
    "intro": ["description", "overview", "summary", "about the dp", "about the partnership", "about us",
              "introduction", "the project", "project description", "dp description"],
}.items():
    for _wording in _wordings:
        HEADINGS[match_key(_wording)] = _section
#: Words that make a short heading-like line open a section even in other wordings ("Our main results").
_HEADING_WORDS = [("objective", "objectives"), ("set out to do", "objectives"), ("aimed to do", "objectives"),
                   ("priorit", "objectives"), ("beneficiar", "beneficiaries"),
                  ("target group", "beneficiaries"), ("who we", "beneficiaries"), ("outcome", "outcomes"),
                  ("achievement", "outcomes"), ("achieved", "outcomes"), ("result", "outcomes"),
                  ("background", "background"), ("context", "background"), ("activit", "activities")]
#: Field labels (as match keys) and the fact each gives.
FIELDS: dict[str, str] = {}
for _fact, _labels in {
    "theme": ["theme", "equal theme", "theme and sub theme", "thematic field", "sub theme", "theme area",
              "equal theme area", "thematic area"],
    "round": ["round", "equal round", "funding round", "call for proposals", "call", "equal call"],
    "region": ["region", "regions", "location", "geographical coverage", "area covered", "geographical area",
               "area", "where", "region covered", "regional coverage"],
    "lead": ["lead partner", "lead organisation", "lead organization", "lead body", "managing partner",
             "accountable body", "lead agency", "lead partner organisation"],
    "partners": ["development partnership members", "dp members", "members", "partners", "core partners",
                 "partner organisations", "partner organizations", "dp partners", "partnership members",
                 "national partners", "other partners", "strategic partners", "key partners",
                 "members of the partnership", "the partners", "partnership", "main partners", "dp partner",
                 "the partnership", "partner organisation", "members of the dp", "who was involved",
                 "who is involved", "who s involved", "partnership members", "delivery partners"],
    "fullname": ["full title", "full name", "dp full title", "full dp name", "acronym stands for", "in full"],
    "contact": ["contact", "contacts", "contact details", "contact person", "contact name", "dp contact",
                "media contact", "press contact", "for more information", "further information", "enquiries",
                "more information", "contact us for more information",
                "telephone", "tel", "email", "e mail", "website", "web", "address", "phone", "fax", "web site",
                "project manager", "contact us", "coordinator", "co ordinator", "manager"],
    "dates": ["end dates", "end date", "action 2 dates", "action 2 end date", "action 3 end date", "dates",
              "duration", "start date", "project dates", "lifetime", "action 2", "action 3", "action 1",
              "action 2 and 3", "timescale", "funding period"],
    "name": ["dp name", "name of dp", "name of the dp", "development partnership", "name", "dp title",
             "project name", "title", "development partnership name", "name of development partnership"],
    "reference": ["dp reference", "reference", "dp number", "ref", "equal reference", "dp id", "dp code"],
}.items():
    for _label in _labels:
        FIELDS[match_key(_label)] = _fact
#: Facts a label gives one value line of; the others take every short line that follows.
SINGLE = {"theme", "round", "region", "lead", "name", "reference", "fullname"}
SENTENCE_END = re.compile(r"[.!?]['\")\]]?$")


def words(text: str) -> int:
    """Count the words of a text."""
    return len(text.split())


def is_short(text: str, most: int = 12) -> bool:
    """Tell whether a text is a short line: a label, a name, a value, not a sentence."""
    return 0 < words(text) <= most and not SENTENCE_END.search(text)


def section_of(text: str, explicit: bool = False) -> str | None:
    """Return the section a heading opens, by its wording or its key words; None if it is not one.

    >>> section_of("Main Achievements"), section_of("Who we worked with"), section_of("- Target Groups")
    ('outcomes', 'beneficiaries', 'beneficiaries')
    >>> section_of("Our objectives were ambitious and wide.") is None
    True
    >>> section_of("2. Aims and objectives"), section_of("(iii) Results")
    ('aim', 'outcomes')
    """
    key = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*|[ivx]{1,4}|[a-h])\s+", "",  # a numbered heading: `2. Aims`
                 match_key(text.strip(" -\u2022*:")))
    if key in HEADINGS:
        return HEADINGS[key]
    if not explicit and (words(key) > 5 or not is_short(text.strip(), 6)):
        return None
    for stem, section in _HEADING_WORDS:
        if stem in key:
            return section
    if explicit:
        return re.sub(r"[^a-z0-9]+", "-", key).strip("-") or "section"
    return None



def fact_of(label: str) -> str | None:
    """Return the fact a field label gives (theme, round, partners ...), or None.

    >>> fact_of("Development Partnership Members:"), fact_of("End-dates"), fact_of("Equal theme")
    ('partners', 'dates', 'theme')
    >>> fact_of("Our partners"), fact_of("Partnership information") is None, fact_of("Rural Partners") is None
    ('partners', True, True)
    >>> fact_of("A4  Round"), fact_of("3.2 Lead partner")
    ('round', 'lead')
    """
    key = match_key(_ITEM_NUMBER.sub("", label.strip()).rstrip(":"))
    if key in FIELDS:
        return FIELDS[key]
    words_of = key.split()  # `Our partners`, `Partners in the DP`, `Members of the partnership`; not `Rural Partners`
    if 0 < len(words_of) <= 5 and words_of[0] in _LIST_OPENERS and ("partner" in words_of or "member" in words_of):
        return "partners"
    return None


#: A form item's number before its label (`A1  Name of ...`, `3.2 Lead partner`).
_ITEM_NUMBER = re.compile(r"^(?:[A-Z]?\d{1,2}(?:\.\d{1,2})*[.)]?|\([a-z]\))\s+")
#: First words of a label that introduces the partnership's list in other wordings.
_LIST_OPENERS = frozenset({"our", "the", "its", "dp", "core", "main", "other", "key", "delivery", "strategic",
                           "list", "full", "all"})
