"""Partner finding on the sample corpus plus the theme A and G strategies: ranking, reasons, cells."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from kg.errors import RequestError
from kg.network.graph import build_graph
from kg.network.partners import LEVEL_OTHER, find_partners, level_weight, partners_for_bodies, rarity
from kg.read.resolve import resolve_dp
from tests.conftest import iri

CAREWORKS = iri("dp", "careworks")
SHARED_WITH_D = {"dti", "odpm", "dwp", "rda", "local-authority", "dfes", "sbs"}


@pytest.fixture(scope="module")
def graph(sample_store_path):
    from kg.store.opening import open_store

    with open_store(sample_store_path, read_only=True) as opened:
        return build_graph(opened)


def test_partners_of_careworks_list_other_themes_first_with_shared_bodies(sample_store, graph) -> None:
    result = find_partners(sample_store, graph, CAREWORKS, limit=0)
    themes = [p.theme for p in result.partners]
    assert themes[0] == "D"
    assert "G" not in themes[: themes.index("G")] and themes[-1] == "G"  # same theme comes last
    first = result.partners[0]
    shared = {r.iri.rsplit("/", 1)[-1] for r in first.bodies}
    assert shared <= SHARED_WITH_D and len(shared) >= 4
    d_partners = [p for p in result.partners if p.theme == "D"]
    assert {p.label for p in d_partners} >= {"SEEM", "NESEP", "SEASY", "INSPIRE"}
    all_shared = {r.iri.rsplit("/", 1)[-1] for p in d_partners for r in p.bodies}
    assert all_shared == SHARED_WITH_D
    scores = [p.score for p in d_partners]
    assert scores == sorted(scores, reverse=True)


def test_score_is_the_sum_of_its_reasons(sample_store, graph) -> None:
    for partner in find_partners(sample_store, graph, CAREWORKS, limit=0).partners:
        total = sum(r.weight for r in partner.bodies + partner.areas + partner.methods)
        assert partner.score == pytest.approx(total, abs=0.01)


def test_rarer_bodies_weigh_more(sample_store, graph) -> None:
    partner = find_partners(sample_store, graph, CAREWORKS, limit=0).partners[0]
    by_body = {r.iri: r for r in partner.bodies}
    dti, dwp = by_body[iri("body", "dti")], by_body[iri("body", "dwp")]
    assert graph.degree(iri("body", "dti")) > graph.degree(iri("body", "dwp"))
    assert dti.weight < dwp.weight
    n = sum(1 for _, k in graph.nodes(data="kind") if k == "dp")
    assert rarity(graph, iri("body", "dti")) == pytest.approx(math.log(1 + n / graph.degree(iri("body", "dti"))))


def test_level_weight() -> None:
    assert level_weight({"national"}, {"national"}) == 1.0
    assert level_weight({"local-regional"}, {"regional"}) == 1.0
    assert level_weight({"national"}, {"regional"}) == LEVEL_OTHER
    assert level_weight(set(), {"regional"}) == LEVEL_OTHER


def test_reasons_carry_the_source_cells_of_both_dps(sample_store, graph) -> None:
    partner = find_partners(sample_store, graph, CAREWORKS, limit=3).partners[0]
    cells = partner.bodies[0].cells
    assert {c.dp for c in cells} == {CAREWORKS, partner.dp}
    assert all(c.column == "WHO" and c.text and c.row for c in cells)
    docs = {c.document.rsplit("/", 1)[-1] for c in cells}
    assert "theme-g-strategy-2005" in docs and "theme-d-mainstreaming-strategy-2005" in docs


def test_shared_methods_are_reasons_with_labels(sample_store, graph) -> None:
    partner = find_partners(sample_store, graph, CAREWORKS, limit=1).partners[0]
    assert partner.methods and all(not m.label.startswith("http") for m in partner.methods)


def test_same_theme_scope_keeps_only_the_theme(sample_store, graph) -> None:
    result = find_partners(sample_store, graph, CAREWORKS, scope="same")
    assert [p.label for p in result.partners] == ["Balance at Work"]
    assert result.partners[0].same_theme
    other = find_partners(sample_store, graph, CAREWORKS, scope="other", limit=0)
    assert all(p.theme != "G" for p in other.partners)
    with pytest.raises(RequestError):
        find_partners(sample_store, graph, CAREWORKS, scope="nope")


def test_partners_for_a_set_of_bodies_span_themes(sample_store, graph) -> None:
    result = partners_for_bodies(sample_store, graph, [iri("body", "dti"), iri("body", "odpm")], limit=0)
    assert {p.theme for p in result.partners} >= {"D", "G"}
    assert all({r.iri for r in p.bodies} <= {iri("body", "dti"), iri("body", "odpm")} for p in result.partners)
    counts = [len(p.bodies) for p in result.partners]
    assert counts == sorted(counts, reverse=True)
    only_g = partners_for_bodies(sample_store, graph, [iri("body", "dti")], theme="G")
    assert {p.label for p in only_g.partners} == {"CareWorks", "Balance at Work"}
    with pytest.raises(RequestError):
        partners_for_bodies(sample_store, graph, [iri("body", "no-such-body")])


def test_resolve_dp(sample_store) -> None:
    assert resolve_dp(sample_store, "careworks") == CAREWORKS
    assert resolve_dp(sample_store, "CareWorks") == CAREWORKS
    assert resolve_dp(sample_store, CAREWORKS) == CAREWORKS
    assert resolve_dp(sample_store, 'x" } ; DROP') is None


def test_api_partners(client) -> None:
    answer = client.get("/api/partners?dp=careworks&limit=3").get_json()
    assert answer["query"] == [CAREWORKS] and answer["total"] >= 10 and len(answer["partners"]) == 3
    assert answer["partners"][0]["theme"] == "D" and answer["partners"][0]["bodies"][0]["cells"]
    same = client.get("/api/partners?dp=careworks&scope=same").get_json()
    assert [p["label"] for p in same["partners"]] == ["Balance at Work"]
    bodies = client.get("/api/partners?body=DTI,ODPM&theme=G").get_json()
    assert {p["label"] for p in bodies["partners"]} == {"CareWorks", "Balance at Work"}
    assert client.get("/api/partners").status_code == 400
    missing = client.get("/api/partners?dp=nobody")
    assert missing.status_code == 404 and missing.get_json()["error"]
    assert client.get("/api/partners?dp=careworks&scope=bad").status_code == 400


def test_partners_page(client) -> None:
    page = client.get("/partners?dp=careworks").get_data(as_text=True)
    assert "Partners for CareWorks" in page and "Department of Trade and Industry" in page
    assert page.index("SEASY") < page.index("Balance at Work</a>")
    assert "source cell" in page
    bodies = client.get("/partners?body=dti&theme=A").get_data(as_text=True)
    assert "DPs targeting Department of Trade and Industry" in bodies
    assert client.get("/partners").status_code == 200


def test_cli_partners(sample_store_path) -> None:
    from web.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["partners", "CareWorks", "--store", str(sample_store_path)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert "theme D" in lines[1] and "Department of Trade and Industry" in out.output
    same = runner.invoke(main, ["partners", "careworks", "--same-theme", "--format", "json",
                                "--store", str(sample_store_path)])
    data = json.loads(same.output)
    assert [p["label"] for p in data["partners"]] == ["Balance at Work"]
    body = runner.invoke(main, ["partners", "ODPM", "--store", str(sample_store_path)])
    assert body.exit_code == 0 and "CareWorks" in body.output
    missing = runner.invoke(main, ["partners", "nobody", "--store", str(sample_store_path)])
    assert missing.exit_code != 0 and "no DP or body" in missing.output
