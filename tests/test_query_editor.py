"""The query editor at /query: examples that run, server-side results, downloads, sharing, browser use."""

from __future__ import annotations

import html
import re
import urllib.parse
from pathlib import Path

import pytest

from kg.settings import Settings
from kg.sparql.examples import EXAMPLES
from kg.sparql.protocol import execute
from kg.store.opening import open_store
from tests.conftest import iri
from web.results_table import answer_table


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.slug)
def test_every_example_runs_on_the_sample_store(sample_store, example) -> None:
    answer = execute(sample_store, example.text, graph_format="ntriples")
    table = answer_table(sample_store, answer)
    assert table.rows, f"{example.slug} found nothing in the sample store"
    assert not answer.truncated


def test_examples_answer_the_questions(sample_store) -> None:
    by_slug = {e.slug: answer_table(sample_store, execute(sample_store, e.text, graph_format="ntriples"))
               for e in EXAMPLES}
    targeting = {row[0].href for row in by_slug["dps-targeting-body"].rows}
    assert "/id/dp/seem" in targeting and "/id/dp/careworks" in targeting
    per_theme = {row[1].text: int(row[2].text) for row in by_slug["dps-per-theme"].rows}
    assert per_theme["D"] == 7 and per_theme["A"] >= 4 and per_theme["G"] == 2
    provenance = by_slug["provenance-of-a-fact"]
    column = provenance.variables.index("column")
    columns = {row[column].text for row in provenance.rows}
    assert "WHO" in columns and columns <= {"WHO", "DPS"}  # the body from a WHO cell, the DP from a DPs cell
    successors = {row[0].href: row[1].href for row in by_slug["bodies-and-successors"].rows}
    assert successors["/id/body/odpm"] == "/id/body/dclg"


def test_page_without_query_has_prefixes_and_examples(client) -> None:
    response = client.get("/query")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    textarea = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))
    assert "PREFIX eq: <https://w3id.org/equal-kg/ns#>" in textarea
    assert page.count('class="example"') == len(EXAMPLES)
    assert "<table" not in page


def test_shared_link_runs_the_query_server_side(client) -> None:
    example = EXAMPLES[0]
    response = client.get("/query", query_string={"query": example.text})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/id/dp/seem"' in page and ">SEEM" in page  # labels, linked to the local entity page
    share = html.unescape(re.search(r'id="share-link"[^>]*value="([^"]+)"', page).group(1))
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(share).query)["query"] == [example.text]
    downloads = [html.unescape(h) for h in re.findall(r'class="download" href="([^"]+)"', page)]
    assert len(downloads) == 4
    for href in downloads:  # every download link answers in its format
        got = client.get(href)
        assert got.status_code == 200 and got.data


def test_bad_and_update_queries_show_a_message(client) -> None:
    bad = client.get("/query", query_string={"query": "SELECT ?s WHERE { ?s"})
    assert bad.status_code == 400 and "syntax error" in bad.get_data(as_text=True)
    update = client.get("/query", query_string={"query": "DROP ALL"})
    assert update.status_code == 403 and "read-only" in update.get_data(as_text=True)


def test_text_from_data_is_escaped(client) -> None:
    query = 'SELECT ?x WHERE { BIND("<img src=x onerror=alert(1)>" AS ?x) }'
    response = client.get("/query", query_string={"query": query})
    page = response.get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_ask_and_construct_render(client) -> None:
    ask = client.get("/query", query_string={"query": "ASK { dp:seem eq:targets body:dti }"}).get_data(as_text=True)
    assert "yes (true)" in ask
    construct = client.get("/query", query_string={"query": "CONSTRUCT WHERE { dp:seem eq:targets ?b }"})
    page = construct.get_data(as_text=True)
    assert "<th scope=\"col\">subject</th>" in page and 'href="/id/body/dti"' in page
    assert "format=turtle" in page and "format=jsonld" in page


def test_cut_results_show_a_notice(sample_store_path: Path) -> None:
    from web.app import create_app

    with open_store(sample_store_path, read_only=True) as opened:
        client = create_app(Settings(store=str(sample_store_path), max_rows=3), opened).test_client()
        page = client.get("/query", query_string={"query": "SELECT ?b WHERE { ?b a eq:Body }"}).get_data(as_text=True)
        assert "cut short" in page and page.count("<tr>") == 4  # the header and three rows


# ---- in a real browser ----

@pytest.mark.browser
def test_run_an_example_in_a_browser(page, server_url: str) -> None:
    page.goto(server_url + "/query")
    assert page.locator("#gutter").inner_text().startswith("1\n2\n")  # the script drew line numbers
    page.click("a.example[data-slug=dps-targeting-body]")
    assert page.url == server_url + "/query"  # the example filled the editor, it did not navigate
    assert "eq:targets body:dti" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("table.result-table tbody tr")
    links = page.locator("table.result-table tbody td a[href^='/id/dp/']")
    assert links.count() >= 9
    assert "SEEM" in links.all_inner_texts()
    assert page.locator(".download").count() == 4
    assert page.console_errors == [] and page.outside_requests == []


@pytest.mark.browser
def test_shared_link_and_keyboard_run_in_a_browser(page, server_url: str) -> None:
    query = "SELECT ?dp WHERE { ?dp a eq:DevelopmentPartnership ; eq:theme theme:G }"
    page.goto(server_url + "/query?" + urllib.parse.urlencode({"query": query}))
    hrefs = page.locator("table.result-table td a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert set(hrefs) == {"/id/dp/balance-at-work", "/id/dp/careworks"}
    page.fill("#query", "ASK { dp:careworks eq:theme theme:G }")
    page.press("#query", "Control+Enter")
    page.wait_for_selector("#ask-answer")
    assert page.inner_text("#ask-answer").startswith("yes")
    assert iri("theme", "G") not in page.url  # the query travels in the URL, shareable
    assert "query=ASK" in page.url
    assert page.console_errors == [] and page.outside_requests == []
