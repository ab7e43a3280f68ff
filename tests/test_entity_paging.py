"""Entity descriptions stay small: a body hundreds of DPs target is described a hundred links at a time,
and every page can be followed (`Link: rel="next"`, `hydra:next`) to fetch them all."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef

from ingest.pipeline import ingest_paths
from ingest.synthetic.corpus import generate_corpus
from kg.read.entities import INVERSE_PAGE
from kg.settings import Settings
from kg.store.opening import open_store
from web.app import create_app

EQ = "https://w3id.org/equal-kg/ns#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
DWP = "https://w3id.org/equal-kg/id/body/dwp"


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory):
    """The real app over 300 generated DPs, in which the DWP is targeted by well over a hundred."""
    root = tmp_path_factory.mktemp("busy")
    generate_corpus(300, 3, root / "corpus")
    with open_store(root / "store") as store:
        assert ingest_paths(store, [root / "corpus"]).ok
    with open_store(root / "store", read_only=True) as store:
        app = create_app(Settings(store=str(root / "store")), store)
        app.testing = True
        targeting = {str(r["dp"]) for r in store.select(f"SELECT DISTINCT ?dp WHERE {{ ?dp eq:targets <{DWP}> }}").rows}
        yield app.test_client(), targeting


def test_every_dp_targeting_a_body_is_fetched_page_by_page(busy) -> None:
    client, targeting = busy
    assert len(targeting) > 2 * INVERSE_PAGE
    found: set[str] = set()
    url, pages = "/id/body/dwp.ttl", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
        inverse = {(s, p) for s, p in graph.subject_predicates(URIRef(DWP))
                   if str(p) not in ("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
                                     "http://www.w3.org/1999/02/22-rdf-syntax-ns#object")}
        assert len(inverse) <= INVERSE_PAGE
        page_dps = {str(s) for s, p in inverse if str(p) == EQ + "targets"}
        assert not page_dps & found  # no DP on two pages
        found |= page_dps
        link = response.headers.get("Link")
        nexts = list(graph.objects(None, URIRef(HYDRA + "next")))
        assert bool(link) == bool(nexts)
        url = link.split(">")[0].lstrip("<").replace("http://localhost", "") if link else ""
        pages += 1
    assert found == targeting and pages >= 3


def test_a_page_holds_the_entity_itself_and_its_links_sources_are_one_step_away(busy) -> None:
    client, _targeting = busy
    first = Graph().parse(data=client.get("/id/body/dwp.ttl").get_data(as_text=True), format="turtle")
    assert (URIRef(DWP), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None) in first
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    dp = next(first.subjects(URIRef(EQ + "targets"), URIRef(DWP)))
    # where the link was read is in the description of the DP it comes from: its facts' statements
    described = Graph().parse(data=client.get(str(dp).replace("https://w3id.org/equal-kg", "") + ".ttl")
                              .get_data(as_text=True), format="turtle")
    statements = [st for st in described.subjects(URIRef(rdf + "subject"), dp)
                  if (st, URIRef(rdf + "object"), URIRef(DWP)) in described]
    assert statements and all((st, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None) in described
                              for st in statements)


def test_a_bad_page_number_is_refused(busy) -> None:
    client, _targeting = busy
    assert client.get("/id/body/dwp.ttl?page=0").status_code == 400
    assert client.get("/id/body/dwp.ttl?page=x").status_code == 400
    far = client.get("/id/body/dwp.ttl?page=999")
    assert far.status_code == 200 and "Link" not in far.headers  # the entity's own triples, no more links


# ---- the DP list pages, sorts and filters (300 DPs: three pages and more) ----

def _listed(html: str) -> list[str]:
    return re.findall(r'<tr><td><a href="/id/dp/([^"]+)"', html)


def test_the_dp_list_is_paged_a_hundred_rows_at_a_time(busy) -> None:
    client, _targeting = busy
    everything = client.get("/api/dps").get_json()["dps"]
    seen: list[str] = []
    url = "/dps"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        rows = _listed(response.get_data(as_text=True))
        assert 0 < len(rows) <= 100
        seen += rows
        link = response.headers.get("Link", "")
        assert ('rel="next"' in link) == (len(seen) < len(everything))
        url = re.search(r'<([^>]+)>; rel="next"', link).group(1) if 'rel="next"' in link else ""
    assert sorted(seen) == sorted(d["slug"] for d in everything) and len(seen) == len(set(seen))


def test_the_dp_list_sorts_by_bodies_and_filters_by_theme(busy) -> None:
    client, _targeting = busy
    everything = {d["slug"]: d for d in client.get("/api/dps").get_json()["dps"]}
    most = _listed(client.get("/dps?sort=bodies").get_data(as_text=True))
    counts = [everything[slug]["bodies_targeted"] for slug in most]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == max(d["bodies_targeted"] for d in everything.values())
    theme_d = _listed(client.get("/dps?theme=D").get_data(as_text=True))
    assert theme_d and all("D" in everything[slug]["themes"] for slug in theme_d)
    page2 = client.get("/dps?theme=D&sort=bodies&page=2")
    assert page2.status_code == 200 and 'rel="prev"' in page2.headers["Link"]
    assert "theme=D" in page2.headers["Link"] and "sort=bodies" in page2.headers["Link"]
    for bad in ("/dps?page=0", "/dps?page=x", "/dps?sort=size", "/dps?theme=Z"):
        response = client.get(bad)
        assert response.status_code == 400, bad
    assert _listed(client.get("/dps?page=99").get_data(as_text=True)) == []


def test_pages_that_pick_a_dp_do_not_list_every_dp(busy) -> None:
    client, _targeting = busy
    for path in ("/partners", "/dps", "/network", "/network/matrix"):
        html = client.get(path).get_data(as_text=True)
        assert "<option value=\"https://w3id.org/equal-kg/id/dp/" not in html, path  # no option per DP
    dp = next(iter(client.get("/api/dps").get_json()["dps"]))
    page = client.get("/partners?dp=" + dp["label"].replace(" ", "+")).get_data(as_text=True)
    assert f'value="{dp["label"]}"' in page and "Partners for" in page


def _walk(client, url: str) -> tuple[list[str], int]:
    """Follow a list's `rel="next"` links from `url`; return the entity paths listed and the pages seen."""
    seen: list[str] = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        rows = re.findall(r'<tr><td><a href="(/id/[^"]+)"', html)
        assert len(rows) <= 100 and len(html) < 300_000
        seen += rows
        pages += 1
        link = response.headers.get("Link", "")
        url = re.search(r'<([^>]+)>; rel="next"', link).group(1) if 'rel="next"' in link else ""
    return seen, pages


@pytest.mark.parametrize(("page", "api", "key"), [
    ("/bodies?all=1", "/api/bodies?all=1", "bodies"),
    ("/bodies?sort=name&theme=D", "/api/bodies?sort=name&theme=D", "bodies"),
    ("/documents", "/api/documents", "documents"),
    ("/documents?kind=summary&sort=kind", "/api/documents?kind=summary&sort=kind", "documents"),
    ("/policy-areas?sort=activities", "/api/policy-areas?sort=activities", "policy_areas"),
    ("/themes?sort=dps", "/api/themes?sort=dps", "themes"),
])
def test_every_list_pages_through_what_the_api_gives_whole(busy, page: str, api: str, key: str) -> None:
    client, _targeting = busy
    whole = [f"/id/{row['iri'].split('/id/')[1]}" for row in client.get(api).get_json()[key]]
    seen, pages = _walk(client, page)
    assert seen == whole  # the same rows in the same order, a hundred a page
    assert pages == max(1, -(-len(whole) // 100))


def test_lists_sort_and_filter_as_they_say(busy) -> None:
    client, _targeting = busy
    bodies = client.get("/api/bodies?all=1").get_json()["bodies"]
    assert len(bodies) > 300 and any(b["dps"] == 0 for b in bodies)
    assert all(b["dps"] > 0 for b in client.get("/api/bodies").get_json()["bodies"])
    by_name = [b["label"].lower() for b in client.get("/api/bodies?sort=name").get_json()["bodies"]]
    assert by_name == sorted(by_name)
    kind = next(b["type_id"] for b in bodies if b["type_id"] and b["dps"])
    typed = client.get(f"/api/bodies?type={kind}").get_json()["bodies"]
    assert typed and all(b["type_id"] == kind for b in typed)
    national = client.get("/api/bodies?level=national").get_json()["bodies"]
    assert national and all("national" in b["levels"] for b in national)
    page = client.get(f"/bodies?type={kind}&sort=name").get_data(as_text=True)
    assert f'<option value="{kind}" selected>' in page and '<option value="name" selected>' in page
    strategies = client.get("/api/documents?kind=strategy").get_json()["documents"]
    assert strategies and all(d["kind"] == "strategy" for d in strategies)
    areas = client.get("/api/policy-areas?theme=D").get_json()["policy_areas"]
    assert areas and all("D" in a["themes"] for a in areas)
    counts = [a["dps"] for a in client.get("/api/policy-areas").get_json()["policy_areas"]]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize(("url", "words"), [
    ("/bodies?sort=size", "sort must be one of dps, name"),
    ("/bodies?type=castle", "type must be one of"),
    ("/documents?kind=poem", "kind must be one of"),
    ("/api/policy-areas?theme=Q", "theme must be one of"),
    ("/documents?page=-1", "page must be a whole number"),
])
def test_a_bad_list_parameter_is_a_400_that_names_it(busy, url: str, words: str) -> None:
    client, _targeting = busy
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 400 and words in response.get_json()["error"]


def test_filters_combine_and_every_offered_value_is_accepted(busy) -> None:
    """Each value is checked against the whole list; a combination that matches nothing is an empty list."""
    client, _targeting = busy
    everything = client.get("/api/bodies?all=1").get_json()["bodies"]
    for kind in sorted({b["type_id"] for b in everything if b["type_id"]}):  # every type the form offers
        assert client.get(f"/bodies?type={kind}").status_code == 200, kind
    levels = sorted({level for b in everything for level in b["levels"]})
    empty = next(((kind, level) for kind in sorted({b["type_id"] for b in everything if b["type_id"]})
                  for level in levels
                  if not any(b["type_id"] == kind and level in b["levels"] for b in everything)), None)
    assert empty is not None
    answer = client.get(f"/api/bodies?all=1&type={empty[0]}&level={empty[1]}&format=csv")
    assert answer.status_code == 200 and answer.get_data(as_text=True).startswith("iri,slug,label,")
    untargeted = client.get("/bodies?targeted=no")
    assert untargeted.status_code == 200 and "targeted=no" in untargeted.headers.get("Link", "")


def test_a_misspelt_list_parameter_is_refused(busy) -> None:
    client, _targeting = busy
    response = client.get("/api/dps?them=D", headers={"Accept": "application/json"})
    assert response.status_code == 400 and "them" in response.get_json()["error"]
    assert client.get("/dps?theme=D&page=1&sort=name").status_code == 200
