"""Write generated DPs as the pages programme websites published, in the layouts real pages have.

A page names the DP only in its title (`NAME - Expanded Acronym`, `NAME: ...`, `Expansion (NAME)`,
or a plain name), puts tab labels, a strapline and photo captions between the lines, often
leaves the aim and objectives without headings (an opening paragraph, a lead-in line and a list),
words its other headings in many ways (glued to the text, as a bullet, in capitals), and gives
its facts as field blocks (label lines and values, `Label: value`, or a table) with the list of
partner organisations. The page is made as blocks (`ingest.blocks`), so that the same page can
be written as text, HTML, Word or PDF; nothing here reads documents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ingest.blocks import Block
from ingest.synthetic.words import AIMS, GROUPS, OBJECTIVES, OUTCOMES, THEME_NAMES

#: Words an acronym's expansion is made of, by first letter.
_EXPANSION_WORDS = {
    "A": ["Access", "Action", "Advice", "Aspiration"], "B": ["Business", "Bridges", "Building"],
    "C": ["Careers", "Community", "Childcare", "Confidence"], "D": ["Development", "Diversity", "Delivery"],
    "E": ["Employment", "Enterprise", "Equality", "Education"], "F": ["Futures", "Families", "Flexibility"],
    "G": ["Guidance", "Growth", "Gateways"], "H": ["Help", "Horizons", "Housing"], "I": ["Inclusion", "Integration",
    "Initiative"], "K": ["Knowledge", "Keyworking"], "L": ["Learning", "Local", "Links"], "M": ["Mentoring",
    "Mainstreaming", "Migrants"], "N": ["Networks", "New", "Neighbourhoods"], "O": ["Opportunities", "Outreach"],
    "P": ["Pathways", "Partnership", "Progression"], "R": ["Routes", "Retention", "Return"],
    "S": ["Skills", "Support", "Sustainability"], "T": ["Training", "Transition", "Towns"],
    "U": ["Unemployed", "Upskilling"], "V": ["Volunteering", "Voices"], "W": ["Work", "Women", "Workforce"],
}
_SHORT_THEME = {"A": ["Facilitating access", "Employability"], "B": ["Combating racism"],
                "C": ["Business creation", "Entrepreneurship for all"], "D": ["Social economy", "Third sector"],
                "E": ["Lifelong learning"], "F": ["Adaptability"], "G": ["Work-life balance",
                "Reconciling work and family life"], "H": ["Gender gaps", "Reducing gender gaps"],
                "I": ["Asylum seekers", "Integration of asylum seekers"]}
_TABS = ["Description", "Partnership information", "Transnational", "Partners", "Contact", "Overview", "Results"]
_LEAD_INS = ["The objectives of the Partnership were to:", "We aimed to:", "Our objectives:",
             "The Partnership set out to:", "Over three years the DP planned to:", "Its objectives were to:"]
_CAPTIONS = ["Photo: {x}", "[Picture] {x}", "Image - {x}", "Photograph: {x}"]
_CAPTION_SCENES = ["trainees at a workshop in {town}", "the launch event in {town}", "a mentor and a client in {town}",
                   "partners at the final conference, {town}"]
_HEADINGS = {"background": ["Background", "Context", "Why the Partnership was set up", "The problem"],
             "beneficiaries": ["Target Groups", "Beneficiaries", "Who we worked with", "Target beneficiary groups"],
             "outcomes": ["Main Outcomes", "Achievements", "What we achieved", "Results", "Main Achievements"]}
_BACKGROUNDS = ["Too many people in {town} were cut off from work by {barrier}, and the services meant to help them "
                "were organised separately.", "Employers in {town} reported shortages while local residents faced "
                "{barrier}; the Partnership was formed to bring the two together."]
_BARRIERS = ["poor transport and a lack of childcare", "discrimination in recruitment", "low basic skills",
             "the loss of traditional industries", "uncertain immigration status", "a lack of flexible jobs"]
_PEOPLE_FIRST = ["Alison", "Brian", "Catherine", "David", "Eleanor", "Farid", "Grace", "Hamid", "Irene", "James"]
_PEOPLE_LAST = ["Ashworth", "Bhatti", "Carrick", "Dunmore", "Ellery", "Fairbairn", "Gilchrist", "Hollins"]
_ORG_KINDS = ["Enterprise Trust", "Training Centre", "Community Association", "Learning Network", "College",
              "Women's Forum", "Housing Association", "Credit Union", "Volunteer Bureau"]


@dataclass
class Page:
    """What a generated DP page says, as its writer means it: the ground truth of its reading."""

    name: str
    aliases: list[str]
    theme: str | None
    round: int | None
    partners: list[str]
    lead: str
    people: list[str]
    blocks: list[Block] = field(default_factory=list)
    layout: list[str] = field(default_factory=list)


def expansion(rng: random.Random, acronym: str) -> str | None:
    """Make an expansion whose words start with the acronym's letters (`WAYS` - `Work And Youth Skills`)."""
    words = []
    for index, letter in enumerate(acronym):
        choices = _EXPANSION_WORDS.get(letter)
        if not choices:
            return None
        word = rng.choice(choices)
        words.append(word if index == 0 or rng.random() < 0.8 else word.lower())
    return " ".join(words)


def page_blocks(rng: random.Random, name: str, theme: str, round_: int, region: str, town: str,
                mentions: list[str], body_partners: list[str]) -> Page:
    """Lay out one DP page in a random combination of the layouts real pages have."""
    acronym = name.isupper() and name.isalpha()
    expanded = expansion(rng, name) if acronym and rng.random() < 0.8 else None
    layout: list[str] = []
    title, aliases = _title(rng, name, expanded, layout)
    blocks = [Block("title", title)]
    for tab in rng.sample(_TABS, k=rng.choice([0, 2, 3])):
        blocks.append(Block("paragraph", tab))
    if rng.random() < 0.4:
        blocks.append(Block("paragraph", f"{rng.choice(['Working', 'Helping', 'Opening doors'])} for people in "
                                         f"{town} and beyond"))
        layout.append("strapline")
    aim = rng.choice(AIMS[theme])
    opening = rng.choice([f"{name} set out to {aim}.", f"The aim of the Partnership was to {aim}.",
                          f"Our purpose was to {aim}.", f"The project worked to {aim}."])
    if rng.random() < 0.3:
        blocks += [Block("heading", "Aim"), Block("paragraph", opening)]
        layout.append("aim heading")
    else:
        blocks.append(Block("paragraph", opening + " We worked across " + town + "."))
        layout.append("aim without heading")
    objectives = rng.sample(OBJECTIVES[theme] + OBJECTIVES["*"], k=rng.randint(3, 6))
    for body in mentions[:2]:
        at = rng.randrange(len(objectives))
        objectives[at] += rng.choice([f", working with {body}", f" and informing {body}"])
    if rng.random() < 0.35:
        blocks.append(Block("heading", "Objectives"))
    else:
        blocks.append(Block("paragraph", rng.choice(_LEAD_INS)))
        layout.append("objectives after a lead-in line")
    blocks += [Block("item", item) for item in objectives]
    if rng.random() < 0.5:
        scene = rng.choice(_CAPTION_SCENES).format(town=town)
        blocks.append(Block("caption", rng.choice(_CAPTIONS).format(x=scene)))
        layout.append("caption")
    blocks += _sections(rng, theme, round_, town, mentions[2:], layout)
    people = [f"{rng.choice(_PEOPLE_FIRST)} {rng.choice(_PEOPLE_LAST)}"]
    partners, lead = _partners(rng, town, body_partners)
    stated_theme = _fields(rng, blocks, theme, round_, region, people[0], partners, lead, layout)
    return Page(name=name, aliases=aliases, theme=stated_theme, round=round_, partners=partners, lead=lead,
                people=people, blocks=blocks, layout=layout)


def _title(rng: random.Random, name: str, expanded: str | None, layout: list[str]) -> tuple[str, list[str]]:
    """Write the title line: the name alone, with its expansion, or as `X Development Partnership`."""
    if expanded:
        style = rng.choice(["dash", "colon", "brackets"])
        layout.append(f"title with expansion ({style})")
        return {"dash": f"{name} - {expanded}", "colon": f"{name}: {expanded}",
                "brackets": f"{expanded} ({name})"}[style], [expanded]
    if rng.random() < 0.2:
        layout.append("title 'X Development Partnership'")
        return f"{name} Development Partnership", []
    layout.append("title is the name alone")
    return name, []


def _sections(rng: random.Random, theme: str, round_: int, town: str, mentions: list[str],
              layout: list[str]) -> list[Block]:
    """Write background, beneficiaries and outcomes under headings in varied wordings and forms."""
    capitals = rng.random() < 0.15
    blocks: list[Block] = []
    order = ["background", "beneficiaries", "outcomes"]
    if rng.random() < 0.3:
        rng.shuffle(order)
    for section in order:
        heading = rng.choice(_HEADINGS[section])
        heading = heading.upper() if capitals else heading
        if section == "background":
            text = rng.choice(_BACKGROUNDS).format(town=town, barrier=rng.choice(_BARRIERS))
            if mentions:
                text += f" {mentions[0]} had identified the same gap."
            body = [Block("paragraph", text)]
        elif section == "beneficiaries":
            groups = rng.sample(GROUPS[theme], k=min(3, len(GROUPS[theme])))
            body = [Block("item", group) for group in groups] if rng.random() < 0.5 else [
                Block("paragraph", "; ".join(groups).capitalize() + ".")]
        else:
            body = [Block("item" if rng.random() < 0.6 else "paragraph", template.format(
                period=str(2003 + 3 * (round_ - 1)), n=rng.choice([40, 120, 310, 1200]), m=rng.choice([15, 45, 70]),
                p=rng.choice([20, 35, 60]))) for template in rng.sample(OUTCOMES, k=3)]
            if len(mentions) > 1:
                body.append(Block("item", f"the approach was taken up by {mentions[1]}"))
        if blocks and blocks[-1].kind == "paragraph" and rng.random() < 0.15:
            last = blocks.pop()
            blocks.append(Block("paragraph", last.text + heading))  # a heading glued to the text before it
            layout.append("heading glued to the text")
        elif blocks and blocks[-1].kind == "item" and rng.random() < 0.15:
            blocks.append(Block("item", heading))
            layout.append("heading written as a bullet")
        else:
            blocks.append(Block("heading", heading))
        blocks += body
    return blocks


def _partners(rng: random.Random, town: str, body_partners: list[str]) -> tuple[list[str], str]:
    """Make the partnership's members: local organisations, the town's council and some public bodies."""
    own = [f"{town} {kind}" for kind in rng.sample(_ORG_KINDS, k=rng.randint(2, 4))]
    partners = [own[0], f"{town} {rng.choice(['City Council', 'Borough Council', 'County Council'])}",
                *body_partners, *own[1:]]
    return partners, own[0]


def _fields(rng: random.Random, blocks: list[Block], theme: str, round_: int, region: str, person: str,
            partners: list[str], lead: str, layout: list[str]) -> str | None:
    """Add the field blocks: theme (or none), round, region, contact and members; return the theme stated."""
    how = rng.choices(["letter", "named", "short", "none"], [35, 25, 20, 20])[0]
    stated = None if how == "none" else theme
    fields: list[tuple[str, str]] = []
    if how == "letter":
        fields.append((rng.choice(["Theme", "Equal theme"]), rng.choice([theme, f"{theme} - {THEME_NAMES[theme]}"])))
    elif how == "named":
        fields.append((rng.choice(["Theme", "Equal theme"]), THEME_NAMES[theme]))
    elif how == "short":
        fields.append(("Theme", rng.choice(_SHORT_THEME[theme])))
    layout.append(f"theme {how}")
    fields += [("Round", str(round_)), ("Region", region),
               ("Contact", f"{person}\n{lead}\nTel: 0113 496 0{rng.randint(100, 999)}")]
    marked = [f"{p} (lead partner)" if p == lead else p for p in partners]
    members_label = rng.choice(["Development Partnership Members", "DP members", "Partners", "Core partners"])
    style = rng.choice(["lines", "inline", "fields"])
    layout.append(f"fields as {style}")
    for label, value in fields:
        if style == "fields":
            blocks.append(Block("field", value, label=label))
        elif style == "inline":
            blocks.append(Block("paragraph", f"{label}: {value.replace(chr(10), ', ')}"))
        else:
            blocks.append(Block("paragraph", label))
            blocks += [Block("paragraph", line) for line in value.split("\n")]
    if style == "fields":
        blocks.append(Block("field", "\n".join(marked), label=members_label))
    elif style == "inline":
        blocks.append(Block("paragraph", f"{members_label}: " + "; ".join(marked)))
    else:
        blocks.append(Block("paragraph", members_label + ":"))
        blocks += [Block("paragraph", line) for line in marked]
    if rng.random() < 0.5:
        blocks.append(Block("paragraph", rng.choice(["Back to top", "Print this page"])))
    return stated


def blocks_as_text(blocks: list[Block], rng: random.Random) -> str:
    """Write blocks as a page copied to text: a line each, bullets as `•`, `-` or nothing."""
    bullet = rng.choice(["\u2022 ", "- ", "* ", ""])
    lines: list[str] = []
    for block in blocks:
        if block.kind == "item":
            lines.append(bullet + block.text)
        elif block.kind == "field":
            lines += [block.label, *block.text.split("\n")]
        elif block.kind == "table":
            lines += ["\t".join(cell.replace("\n", " ") for cell in row.cells) for row in block.rows]
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"
