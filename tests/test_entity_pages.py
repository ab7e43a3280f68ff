"""Entity pages at every entity IRI, content negotiation, and the index pages, over the real app."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kg.read.entities import entity_graph
from tests.conftest import iri

EQ = "https://w3id.org/equal-kg/ns#"
DOC_D = "/id/doc/theme-d-mainstreaming-strategy-2005"


class Page(HTMLParser):
    """A parsed page: for each element with an id (and for each <section>/<tr>), its text and links."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "wbr"})

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.links: list[tuple[str, str]] = []
        self.elements: list[dict] = []
        self.title = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attrs = dict(attrs)
        if tag in self.VOID:
            return
        if tag in ("td", "th", "li", "dd", "p", "div"):
            for outer in self.stack:
                outer["text"] += " "
        element = {"tag": tag, "attrs": attrs, "text": "", "links": []}
        self.stack.append(element)
        self.elements.append(element)
        if "id" in attrs:
            self.by_id[attrs["id"]] = element

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        while self.stack:
            element = self.stack.pop()
            if element["tag"] == "a":
                link = (element["attrs"].get("href", ""), " ".join(element["text"].split()))
                self.links.append(link)
                for outer in self.stack:
                    outer["links"].append(link)
            if element["tag"] == tag:
                break

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        for element in self.stack:
            element["text"] += data
        if self.stack and self.stack[-1]["tag"] == "h1":
            self.title += data

    def all(self, tag: str, **attrs: str) -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag
                and all(e["attrs"].get(k) == v for k, v in attrs.items())]


def get_page(client, path: str) -> Page:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


def test_dp_page_shows_aim_theme_targets_and_documents(client) -> None:
    page = get_page(client, "/id/dp/seem")
    assert page.title.strip() == "SEEM"
    assert "/id/theme/D" in {href for href, _ in page.links}
    aim = page.all("p", **{"class": "lead aim"})
    assert aim and "SEEM DP" in aim[0]["text"]
    targets = page.by_id["targets"]
    assert targets["tag"] == "h2"
    hrefs = {href for href, _ in page.links}
    assert {"/id/body/odpm", "/id/body/dti", DOC_D, "/id/doc/seem-dp-summary"} <= hrefs
    levels = {" ".join(s["text"].split()[:1]) for s in page.all("section", **{"class": "level"})}
    assert "National" in levels
    outcomes = page.all("ul", **{"class": "outcomes"})
    assert outcomes and "300" in outcomes[0]["text"]


def test_body_page_lists_seem_under_theme_d_with_the_cell_that_wrote_opdm(client) -> None:
    page = get_page(client, "/id/body/odpm")
    assert page.title.strip() == "Office of the Deputy Prime Minister"
    theme_d = next(s for s in page.all("section") if s["attrs"].get("data-theme") == "D")
    rows = {r["attrs"]["data-dp"]: r for r in page.all("tr") if "data-dp" in r["attrs"]}
    seem = rows[iri("dp", "seem")]
    assert ("/id/dp/seem", "SEEM") in theme_d["links"]
    assert "OPDM" in seem["text"] and "written “OPDM”" in " ".join(seem["text"].split())
    cell_links = [href for href, _ in seem["links"] if href.startswith(DOC_D + "#cell-")]
    assert cell_links
    # the provenance link lands on a cell of the document page that holds the name
    anchor = cell_links[0].split("#", 1)[1]
    doc = get_page(client, DOC_D)
    assert anchor in doc.by_id
    who_cells = [a.split("#")[1] for a in cell_links if a.endswith("-who")]
    assert any("/id/body/odpm" in {href for href, _ in doc.by_id[a]["links"]} for a in who_cells)
    themes = {s["attrs"].get("data-theme") for s in page.all("section")}
    assert {"D", "G"} <= themes  # ODPM is targeted from theme D and theme G strategies
    successors = page.all("dd", **{"class": "successor"})
    assert ("/id/body/dclg", "Department for Communities and Local Government") in successors[0]["links"]


def test_kind_page_lists_members_and_dps_targeting_them(client) -> None:
    page = get_page(client, "/id/body/rda")
    members = page.all("ul", **{"class": "members"})
    assert ("/id/body/one-north-east", "One North East") in members[0]["links"]
    assert "/id/dp/seem" in {href for href, _ in page.links}


def test_document_page_renders_the_strategy_table_with_linked_cells(client) -> None:
    page = get_page(client, DOC_D)
    table = page.all("table", **{"class": "strategy"})[0]
    assert len([r for r in page.all("tr") if r["attrs"].get("id", "").startswith("row-")]) >= 10
    dps_cell = page.by_id["cell-55-dps"]
    assert dps_cell["tag"] == "td" and "NESEP SEEM SEASY" in dps_cell["text"]
    assert {"/id/dp/seem", "/id/dp/nesep", "/id/dp/seasy", "/id/dp/suffolk-county-council"} <= {
        href for href, _ in dps_cell["links"]}
    who = page.by_id["cell-55-who"]
    assert "/id/body/one-north-east" in {href for href, _ in who["links"]}
    assert "/id/body/dti" not in {href for href, _ in dps_cell["links"]}
    assert table["links"]
    prose = page.all("section", **{"class": "prose"})
    assert prose and "Thematic Mainstreaming Strategy" in prose[0]["text"]


def test_summary_document_page_shows_its_sections(client) -> None:
    page = get_page(client, "/id/doc/seem-dp-summary")
    assert "SEEM DP" in page.by_id["cell-1-aim"]["text"]
    assert "/id/group/women" in {href for href, _ in page.by_id["cell-17-beneficiaries"]["links"]}


@pytest.mark.parametrize("path, member", [
    ("/id/theme/D", "/id/dp/seem"),
    ("/id/policy-area/procurement", "/id/dp/seem"),
    ("/id/group/women", "/id/dp/seem"),
    ("/id/level/national", None),
    ("/id/activity/theme-d-mainstreaming-strategy-2005-1", "/id/dp/nesep"),
    (DOC_D + "/cell/55-dps", None),
    (DOC_D + "/row/2", None),
])
def test_other_entity_pages_list_their_members(client, path: str, member: str | None) -> None:
    page = get_page(client, path)
    assert page.title.strip()
    assert not page.title.strip().startswith("http")
    if member:
        assert member in {href for href, _ in page.links}


def test_generic_page_shows_provenance_of_each_fact(client) -> None:
    page = get_page(client, "/id/activity/theme-d-mainstreaming-strategy-2005-1")
    rows = page.all("table", **{"class": "facts-out"})[0]
    assert any(href.startswith(DOC_D + "#cell-") for href, _ in rows["links"])


def test_unknown_entity_is_a_404(client) -> None:
    assert client.get("/id/body/no-such-body").status_code == 404
    assert client.get("/id/body/no-such-body.ttl").status_code == 404
    assert client.get("/id/body/no-such-body", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
])
def test_content_negotiation_on_the_entity_iri(client, sample_store, accept: str, fmt: str) -> None:
    response = client.get("/id/body/dti", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == accept
    assert "Accept" in response.headers["Vary"]
    graph = Graph().parse(data=response.get_data(as_text=True), format=fmt)
    dti = URIRef(iri("body", "dti"))
    assert (dti, RDFS.label, Literal("Department of Trade and Industry", lang="en")) in graph
    assert (URIRef(iri("dp", "seem")), URIRef(EQ + "targets"), dti) in graph
    assert isomorphic(graph, entity_graph(sample_store, str(dti)).graph)


@pytest.mark.parametrize("suffix, media", [(".jsonld", "application/ld+json"), (".ttl", "text/turtle"),
                                           (".nt", "application/n-triples")])
def test_suffixes_choose_the_format(client, suffix: str, media: str) -> None:
    response = client.get("/id/dp/seem" + suffix)
    assert response.status_code == 200 and response.mimetype == media


def test_browsers_get_the_page(client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/id/body/dti", headers={"Accept": accept}).mimetype == "text/html"
    assert client.get("/id/body/dti", headers={"Accept": "*/*"}).mimetype == "text/html"


def test_entity_jsonld_expands_with_pyld_to_the_same_graph(client, sample_store) -> None:
    data = client.get("/id/dp/seem.jsonld").get_json()
    assert isinstance(data["@context"], dict) and data["@context"]["eq"] == EQ

    def refuse(url, options=None):  # type: ignore[no-untyped-def]
        raise jsonld.JsonLdError(f"refused to fetch {url}", "jsonld.LoadDocumentError",
                                 code="loading document failed")

    nquads = jsonld.to_rdf(data, {"format": "application/n-quads", "documentLoader": refuse})
    graph = Graph().parse(data=nquads, format="nquads")
    assert isomorphic(graph, entity_graph(sample_store, iri("dp", "seem")).graph)


def test_index_pages(client) -> None:
    dps = get_page(client, "/dps")
    assert ("/id/dp/seem", "SEEM") in dps.links
    assert {"/id/dp/careworks", "/id/dp/fair-chance", "/id/dp/nesep"} <= {h for h, _ in dps.links}
    bodies = get_page(client, "/bodies")
    rows = {r["links"][0][0]: r for r in bodies.all("tr") if r["links"]}
    dti_count = int(rows["/id/body/dti"]["text"].split()[-1])
    assert dti_count >= 9  # theme D DPs and the theme G ones target the DTI
    assert len(get_page(client, "/bodies?all=1").all("tr")) > len(rows)
    themes = get_page(client, "/themes")
    assert {f"/id/theme/{x}" for x in "ABCDEFGHI"} <= {h for h, _ in themes.links}


def test_published_context_file_matches_the_code() -> None:
    from kg.rdf.reference import ontology_path
    from kg.store.export import jsonld_context

    shipped = json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))
    assert shipped == {"@context": jsonld_context()}, "regenerate ontology/context.jsonld from kg.store.export"


@pytest.mark.parametrize(("accept", "media"), [
    ("application/json", "application/json"),
    ("application/ld+json", "application/ld+json"),
    ("application/ld+json, application/json;q=0.9", "application/ld+json"),
    ("text/turtle", "text/turtle"),
    ("*/*", "text/html"),
    (None, "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
])
def test_content_negotiation_as_users_expect_it(client, accept: str | None, media: str) -> None:
    response = client.get("/id/dp/seem", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media
    assert "Accept" in response.headers["Vary"]
    if media.endswith("json"):
        data = json.loads(response.get_data(as_text=True))
        assert "@context" in data  # JSON-LD with the published context, as plain JSON clients read it


def test_an_unsupported_type_gets_406_with_the_types(client) -> None:
    response = client.get("/id/dp/seem", headers={"Accept": "image/png"})
    assert response.status_code == 406
    body = response.get_data(as_text=True)
    assert "text/turtle" in body and "application/ld+json" in body and "text/html" in body


@pytest.mark.parametrize("path", ["/id/dp/seem", "/id/body/dti.ttl", "/api/dps", "/sparql", "/static/style.css",
                                  "/no/such/page"])
def test_vary_accept_everywhere_and_head_works(client, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert "Accept" in got.headers.get("Vary", "")
    assert head.status_code == got.status_code and head.get_data() == b""
    assert head.headers.get("Content-Type") == got.headers.get("Content-Type")
