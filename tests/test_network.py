"""The DP-body network: graph, filters, caps, layout, downloads, matrix and the view routes."""

from __future__ import annotations

import ast
import io
import json
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import RequestError
from kg.network.graph import Filters, apply_filters, build_graph, cap, communities, ego, select, theme_body_matrix
from kg.network.layout import layout
from kg.network.views import build_view
from tests.conftest import iri

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graph(sample_store_path):
    from kg.store.opening import open_store

    with open_store(sample_store_path, read_only=True) as opened:
        return build_graph(opened)


def test_bipartite_graph_from_the_store(graph) -> None:
    careworks = graph.nodes[iri("dp", "careworks")]
    assert careworks["kind"] == "dp" and careworks["theme"] == "G" and careworks["label"] == "CareWorks"
    assert careworks["methods"] and careworks["areas"]
    dti = graph.nodes[iri("body", "dti")]
    assert dti == {"kind": "body", "label": "Department of Trade and Industry",
                   "body_type": "government-department", "reconciled": True}
    assert graph.edges[iri("dp", "careworks"), iri("body", "dti")]["levels"] == {"national"}
    assert nx.is_bipartite(graph)
    assert all(graph.nodes[u]["kind"] != graph.nodes[v]["kind"] for u, v in graph.edges())
    assert {graph.nodes[n]["theme"] for n in graph if graph.nodes[n]["kind"] == "dp"} == {"A", "D", "G"}


def test_filters(graph) -> None:
    theme_g = apply_filters(graph, Filters(theme="g"))
    assert {graph.nodes[n]["theme"] for n in theme_g if graph.nodes[n]["kind"] == "dp"} == {"G"}
    national = apply_filters(graph, Filters(level="national"))
    assert all("national" in graph.edges[e]["levels"] for e in national.edges())
    departments = apply_filters(graph, Filters(body_type="government-department"))
    assert {graph.nodes[n]["body_type"] for n in departments if graph.nodes[n]["kind"] == "body"} == \
        {"government-department"}
    shared = apply_filters(graph, Filters(min_shared=5))
    assert all(shared.degree(n) >= 5 for n in shared if graph.nodes[n]["kind"] == "body")
    with pytest.raises(RequestError):
        Filters(theme="Z")
    with pytest.raises(RequestError):
        Filters(min_shared=0)


def test_ego_and_select(graph) -> None:
    around = ego(graph, iri("dp", "careworks"))
    assert set(around) == {iri("dp", "careworks"), *graph[iri("dp", "careworks")]}
    audience = select(graph, Filters(), iri("body", "dti"), radius=2)
    assert iri("dp", "careworks") in audience and iri("body", "sbs") in audience
    with pytest.raises(RequestError):
        select(graph, Filters(), iri("body", "nowhere"))
    with pytest.raises(RequestError):
        select(graph, Filters(theme="A"), iri("dp", "careworks"))


def test_cap_keeps_both_kinds_and_the_center(graph) -> None:
    small = cap(graph, 12, keep=[iri("dp", "careworks")])
    assert 2 <= small.number_of_nodes() <= 13 and small.number_of_edges() > 0
    assert iri("dp", "careworks") in small
    assert {graph.nodes[n]["kind"] for n in small} == {"dp", "body"}
    assert cap(graph, 0) is graph


def test_layout_is_seeded_and_spread(graph) -> None:
    first, second = layout(graph), layout(graph)
    assert first == second and len(first) == graph.number_of_nodes()
    assert len(set(first.values())) == len(first)


def test_communities_cover_every_node(graph) -> None:
    found = communities(graph)
    assert set(found) == set(graph) and 0 in found.values()


def test_theme_body_matrix_counts_dps(graph) -> None:
    themes, bodies, cells = theme_body_matrix(graph, limit=10)
    assert themes == ["A", "D", "G"]
    assert len(bodies) == 10
    top = bodies[0]
    assert len({t for (b, t) in cells if b == top}) == 3  # bodies where all three themes meet come first
    assert set(cells[(iri("body", "dti"), "G")]) == {iri("dp", "careworks"), iri("dp", "balance-at-work")}


def test_view_records_are_plain_and_positioned(graph) -> None:
    view = build_view(graph, graph, "all", limit=20)
    assert view.shown <= 20 and view.total == graph.number_of_nodes() and view.capped
    assert view.options["physics"]["enabled"] is False
    for node in view.nodes:
        assert isinstance(node["x"], float) and isinstance(node["title"], str) and node["size"] > 0
        assert "targets" in node["title"] or "targeted by" in node["title"]
    assert "cdn" not in json.dumps(view.data()).lower()
    numbers = {node["id"]: node["iri"] for node in view.nodes}
    assert sorted(numbers) == list(range(len(view.nodes))) and all(i in graph for i in numbers.values())
    assert view.edges and all(graph.has_edge(numbers[e["from"]], numbers[e["to"]]) for e in view.edges)


def test_network_pages(client) -> None:
    for url in ("/network", "/network/theme/D", "/network/body/dti", "/network/body/ODPM?radius=1",
                f"/network/ego?iri={iri('dp', 'careworks')}", "/network?level=national&type=government-department",
                "/network?min_shared=3&cap=15", "/network/matrix"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert "cdn" not in page.lower() and "bootstrap" not in page.lower()
    page = client.get("/network?cap=10").get_data(as_text=True)
    assert "Showing 10 of" in page or "Showing 9 of" in page
    assert '<script type="application/json" id="network-data">' in page
    assert "/network/vis/vis-network.min.js" in page and "/static/network.js" in page
    assert client.get("/network/theme/Z").status_code == 404
    assert client.get("/network?theme=Z").status_code == 400
    assert client.get("/network?cap=lots").status_code == 400
    assert client.get("/network/body/no-such-body").status_code == 404
    assert client.get("/network/ego").status_code == 400


def test_vis_network_served_from_the_installed_package(client) -> None:
    script = client.get("/network/vis/vis-network.min.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript" and b"vis-network" in script.data[:400]
    assert client.get("/network/vis/vis-network.css").mimetype == "text/css"
    assert client.get("/network/vis/../../network.py").status_code == 404
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False).stdout
    assert "vis-network" not in tracked, "vis-network must not be copied into the repository"
    for package in ("kg", "ingest", "web", "ontology"):
        assert not list((ROOT / package).rglob("vis-network*")), "vis-network must not be copied into the repository"


def test_matrix_cells_link_to_their_dps(client) -> None:
    page = client.get("/network/matrix").get_data(as_text=True)
    assert 'href="/partners?body=dti&amp;theme=G"' in page
    assert "Balance at Work, CareWorks" in page


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_downloads_parse_back_and_honour_filters(client, fmt) -> None:
    response = client.get(f"/network/graph.{fmt}?theme=G")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    if fmt == "graphml":
        parsed = nx.read_graphml(io.BytesIO(response.data))
    elif fmt == "gexf":
        parsed = nx.read_gexf(io.BytesIO(response.data))
    else:
        parsed = nx.node_link_graph(json.loads(response.data), edges="links")
    dps = [n for n, kind in parsed.nodes(data="kind") if kind == "dp"]
    assert sorted(parsed.nodes[n]["label"] for n in dps) == ["Balance at Work", "CareWorks"]
    assert parsed.has_edge(iri("dp", "careworks"), iri("body", "dti"))
    assert parsed.number_of_edges() == 16
    ego_graph = client.get(f"/network/graph.{fmt}?iri={iri('dp', 'careworks')}")
    assert ego_graph.status_code == 200
    assert client.get("/network/graph.svg").status_code == 404


def test_networkx_and_pyvis_stay_in_their_home_modules() -> None:
    homes = {"networkx": {"kg/network/graph.py"}, "pyvis": {"kg/network/views.py"}}
    for library, home in homes.items():
        users = set()
        for package in ("kg", "ingest", "web"):
            for path in (ROOT / package).rglob("*.py"):
                tree = ast.parse(path.read_text(encoding="utf-8"))
                for node in ast.walk(tree):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                        [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
                    if any(n.split(".")[0] == library for n in names):
                        users.add(str(path.relative_to(ROOT)))
        assert users <= home, (library, users)


def test_a_served_snapshot_gets_its_network_built_in_the_background(tmp_path: Path) -> None:
    """After the first answer from a published snapshot, the network is built without being asked for."""
    import time

    from kg.settings import Settings
    from tests.conftest import build_sample_root
    from web.app import create_app

    root = build_sample_root(tmp_path / "store")
    app = create_app(Settings.from_env(store=str(root)))
    cache = app.extensions["kg_network"]
    assert app.test_client().get("/api/stats").status_code == 200  # no network asked for
    deadline = time.monotonic() + 30
    while not cache._graphs and time.monotonic() < deadline:
        time.sleep(0.05)
    (key, graph), = cache._graphs.values()
    assert key.startswith("snapshot ") and graph.number_of_edges() > 0
    started = time.perf_counter()
    assert app.test_client().get("/api/partners?dp=seem").status_code == 200
    assert time.perf_counter() - started < 5
    assert not cache.warm(app.extensions["kg_store"].current())  # built already: nothing started


def test_ego_networks_are_views_with_networkx_nodes(graph) -> None:
    for center in (iri("body", "dti"), iri("dp", "careworks")):
        for radius in (1, 2, 3):
            assert set(ego(graph, center, radius)) == set(nx.ego_graph(graph, center, radius=radius))


def test_filtered_graphs_keep_the_edges_networkx_would(graph) -> None:
    for filters in (Filters(), Filters(theme="D"), Filters(level="national"), Filters(min_shared=2),
                    Filters(theme="A", body_type="government-department")):
        expected = {(u, v) for u, v in graph.edges()
                    if all(_passes(graph, filters, dp, body) for dp, body in [_ends(graph, u, v)])}
        shared = {body: sum(1 for dp, b in map(lambda e: _ends(graph, *e), expected) if b == body)
                  for _, body in map(lambda e: _ends(graph, *e), expected)}
        expected = {e for e in expected if shared[_ends(graph, *e)[1]] >= filters.min_shared}
        assert {frozenset(e) for e in apply_filters(graph, filters).edges()} == {frozenset(e) for e in expected}


def _ends(graph, u: str, v: str) -> tuple[str, str]:
    return (u, v) if graph.nodes[u]["kind"] == "dp" else (v, u)


def _passes(graph, filters: Filters, dp: str, body: str) -> bool:
    return ((filters.theme is None or graph.nodes[dp]["theme"] == filters.theme)
            and (filters.level is None or filters.level in graph.edges[dp, body]["levels"])
            and (filters.body_type is None or graph.nodes[body]["body_type"] == filters.body_type))


def test_a_view_is_built_once_per_graph_and_request(graph) -> None:
    from kg.network.views import view_of

    first = view_of(graph, Filters(theme="D"), "Theme D")
    assert view_of(graph, Filters(theme="D"), "Theme D") is first
    assert view_of(graph, Filters(theme="D"), "Theme D", limit=20) is not first
    assert view_of(graph.copy(), Filters(theme="D"), "Theme D") is not first  # another snapshot's graph


def test_a_subgraph_view_gets_its_own_derived_values(graph) -> None:
    from kg.network.graph import filter_choices

    whole = filter_choices(graph)
    theme_d = apply_filters(graph, Filters(theme="D"))
    assert filter_choices(theme_d)["themes"] == ["D"] != whole["themes"]
