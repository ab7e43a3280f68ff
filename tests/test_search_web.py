"""The /search page and /api/search over the real app (test client), a real browser, and generated queries."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_search_page_shows_highlighted_hits_and_facet_links(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search?q=who:ODPM&facet=theme:D")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<mark>OPDM</mark>" in page  # ODPM expanded to the typo the table holds
    assert 'href="/id/doc/theme-d-mainstreaming-strategy-2005#cell-' in page
    assert re.search(r'href="/search\?q=who:ODPM&amp;facet=theme:d&amp;facet=kind:row"', page)
    assert "Refined by" in page


def test_search_page_without_query_shows_the_form(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/search").get_data(as_text=True)
    assert '<form class="search"' in page and 'name="q"' in page


@pytest.mark.parametrize("query", ['"', "(((", "AND", "who:", "*", "nosuchfield:x"])
def test_malformed_query_gets_a_message_not_an_error_page(client, query: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="search-error"' in page
    api = client.get("/api/search", query_string={"q": query})
    assert api.status_code == 400 and api.get_json()["error"]


def test_api_returns_ranked_pages_with_facets(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/search?q=social&page_size=5").get_json()
    assert body["total"] > 5 and len(body["hits"]) == 5 and body["pages"] == (body["total"] + 4) // 5
    scores = [hit["score"] for hit in body["hits"]]
    assert scores == sorted(scores, reverse=True)
    assert {"kind", "theme", "body", "level", "area", "document"} <= set(body["facets"])
    page2 = client.get("/api/search?q=social&page_size=5&page=2").get_json()
    assert not {h["id"] for h in page2["hits"]} & {h["id"] for h in body["hits"]}
    capped = client.get("/api/search?q=social&page_size=100000").get_json()
    assert capped["page_size"] == 100
    deepest = client.get("/api/search?q=social&page_size=100&page=10")  # results 901-1000: allowed
    assert deepest.status_code == 200
    too_deep = client.get("/api/search?q=social&page_size=100&page=11")  # past KG_SEARCH_WINDOW (1,000)
    assert too_deep.status_code == 400 and "no deeper than 1,000" in too_deep.get_json()["error"]


def test_api_facets_combine(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/search?q=DTI&facet=theme:G&facet=kind:row").get_json()
    assert body["total"] >= 1 and body["selected"] == ["theme:g", "kind:row"]
    assert all(hit["kind"] == "row" and hit["facets"]["theme"] == ["g"] for hit in body["hits"])
    assert client.get("/api/search?q=DTI&facet=colour:red").status_code == 400
    assert client.get("/api/search?q=DTI&page=x").status_code == 400


def test_api_hits_link_to_entities(client) -> None:  # type: ignore[no-untyped-def]
    hits = client.get("/api/search?q=Department of Trade and Industry&facet=kind:body").get_json()["hits"]
    assert hits[0]["url"] == "/id/body/dti"
    dp = client.get("/api/search?q=objectives:procurement").get_json()["hits"]
    assert [h["url"] for h in dp] == ["/id/dp/seem"]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(q=st.lists(st.sampled_from(list('aDTI*?~^"():[]{}-+!&| ') + ["AND ", "OR ", "NOT ", "who:", "theme:", "é"]),
                 max_size=12).map("".join),
       facet=st.sampled_from(["", "theme:D", "kind:row", "x", "theme:", ":"]),
       page=st.sampled_from(["1", "2", "0", "-1", "abc", "999999"]))
def test_generated_requests_never_cause_server_errors(client, q: str, facet: str, page: str) -> None:  # type: ignore[no-untyped-def]
    params = {"q": q, "page": page, **({"facet": facet} if facet else {})}
    api = client.get("/api/search", query_string=params)
    assert api.status_code in (200, 400), (params, api.get_data(as_text=True))
    assert client.get("/search", query_string=params).status_code == 200


@pytest.mark.browser
def test_browser_search_highlights_and_facets(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server_url + "/search")
    page.fill("input[name=q]", "childcare")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("ol.hits li.hit")
    assert page.locator("ol.hits mark").count() > 0
    total = int(page.locator(".search-total strong").inner_text())
    page.click("a.facet-link[data-facet='kind:row']")
    page.wait_for_selector(".selected-facets")
    refined = int(page.locator(".search-total strong").inner_text())
    assert 0 < refined < total
    assert page.locator("ol.hits li.hit-row").count() == refined
    assert page.console_errors == [] and page.outside_requests == []
