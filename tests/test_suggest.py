"""Type-ahead over a real `kg serve`: /api/suggest finds entities by name, acronym, alias and typo, and a
name nothing has leads to a list of the closest ones, so the pickers work without JavaScript too."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from tests.hostile_inputs import http


def suggestions(server_url: str, query: str, **params: str) -> list[dict[str, str]]:
    extra = "".join(f"&{k}={quote(v)}" for k, v in params.items())
    status, headers, body = http("GET", f"{server_url}/api/suggest?q={quote(query)}{extra}")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    return json.loads(body)["suggestions"]


@pytest.mark.parametrize(("typed", "kind", "first"), [
    ("dti", "body", "/id/body/dti"),  # an acronym
    ("Department of Trade", "body", "/id/body/dti"),  # the start of a name
    ("OPDM", "body", "/id/body/odpm"),  # a typo the gazetteer knows
    ("jobcenter plus", "body", "/id/body/jobcentre-plus"),  # a misspelling nobody listed
    ("learnin skills", "body", "/id/body/lsc"),  # words typed in part, one misspelt
    ("seem", "dp", "/id/dp/seem"),
    ("care", "dp", "/id/dp/careworks"),
])
def test_a_name_acronym_alias_or_typo_finds_the_entity_first(server_url: str, typed: str, kind: str,
                                                            first: str) -> None:
    found = suggestions(server_url, typed, kind=kind)
    assert found and found[0]["url"] == first, [s["url"] for s in found]
    assert found[0]["kind"] == kind and found[0]["iri"].endswith(first.split("/id/")[1])
    assert found[0]["description"]


def test_each_suggestion_says_what_it_is(server_url: str) -> None:
    dti = suggestions(server_url, "DTI")[0]
    assert dti["label"] == "Department of Trade and Industry" and dti["matched"] == "DTI"
    assert re.search(r"targeted by \d+ DPs?", dti["description"])
    seem = suggestions(server_url, "SEEM", kind="dp")[0]
    assert seem["description"].startswith("DP · theme D")
    kinds = {s["kind"] for s in suggestions(server_url, "social", limit="20")}
    assert {"body", "theme"} <= kinds


def test_kinds_and_limits_are_kept(server_url: str) -> None:
    assert all(s["kind"] == "dp" for s in suggestions(server_url, "s", kind="dp"))
    assert len(suggestions(server_url, "a", limit="20")) == 20
    assert suggestions(server_url, "   ") == []
    for bad in ("kind=castle", "limit=21", "limit=0", "limit=x"):
        status, _, body = http("GET", f"{server_url}/api/suggest?q=dti&{bad}")
        assert status == 400 and json.loads(body)["error"], bad


@pytest.mark.parametrize(("path", "expected"), [
    ("/partners?dp=seme", "/partners?dp=SEEM"),
    ("/partners?body=Departmnt+of+Trade&theme=D", "/partners?theme=D&amp;body=Department+of+Trade+and+Industry"),
    ("/network/ego?name=careworx", "/network/ego?name=CareWorks"),
])
def test_without_javascript_a_name_nothing_has_leads_to_the_closest(server_url: str, path: str,
                                                                   expected: str) -> None:
    status, _, body = http("GET", server_url + path)
    html = body.decode("utf-8")
    assert status == 404 and 'class="candidates"' in html
    assert f'href="{expected}"' in html
    link = re.search(r'class="candidates".*?href="([^"]+)"', html, re.S).group(1)
    assert http("GET", server_url + link.replace("&amp;", "&"))[0] == 200  # following it works


def test_a_picker_without_javascript_is_a_plain_form(server_url: str) -> None:
    for path in ("/partners", "/network", "/search", "/"):
        html = http("GET", server_url + path)[2].decode("utf-8")
        for field in re.findall(r"<input[^>]*data-suggest[^>]*>", html):
            assert 'type="search"' in field and "name=" in field, field
        assert "<form" in html


def test_a_body_whose_name_holds_commas_can_be_listed_with_others(server_url: str) -> None:
    """Bodies are typed as a comma-separated list, and some names hold commas themselves."""
    typed = quote("Advisory, Conciliation and Arbitration Service, ODPM")
    status, _, body = http("GET", f"{server_url}/api/partners?body={typed}")
    assert status == 200, body[:300]  # ACAS resolved whole (no DP in the sample targets it), then ODPM
    assert "Office of the Deputy Prime Minister" in json.loads(body)["query_label"]
    assert http("GET", f"{server_url}/api/partners?body=Advisory")[0] == 404  # the piece alone is no body
    status, _, _ = http("GET", f"{server_url}/partners?body={typed}&theme=D")
    assert status == 200
