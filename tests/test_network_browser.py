"""Network views in headless Chromium: drawn, offline, no console errors, hostile names shown as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import iri

pytestmark = pytest.mark.browser
HOSTILE = Path(__file__).parent / "documents" / "network" / "hostile_strategy.txt"
VIEWS = ["/network", "/network/theme/D", "/network/body/dti", f"/network/ego?iri={iri('dp', 'careworks')}",
         "/network?level=national&min_shared=2&cap=20"]


def _drawn(page, url: str) -> int:
    page.goto(url)
    page.wait_for_selector("#network[data-drawn=true] canvas", timeout=15000)
    return int(page.get_attribute("#network", "data-nodes"))


@pytest.mark.parametrize("path", VIEWS)
def test_view_draws_offline_without_errors(page, server_url, path) -> None:
    assert _drawn(page, server_url + path) > 0
    assert page.console_errors == []
    assert page.outside_requests == []


@pytest.mark.parametrize("path", ["/network/matrix", "/partners?dp=careworks"])
def test_matrix_and_partners_pages_offline(page, server_url, path) -> None:
    page.goto(server_url + path)
    assert page.locator("table").count() == 1
    assert page.console_errors == [] and page.outside_requests == []


def test_hostile_names_render_as_text(browser, tmp_path) -> None:
    from ingest.pipeline import ingest_paths
    from kg.store.opening import open_store
    from tests.server import running_server

    store_path = tmp_path / "store"
    with open_store(store_path) as opened:
        assert ingest_paths(opened, [HOSTILE]).ok
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        with running_server(store_path) as url:
            for path in ("/network", "/network/matrix", "/partners?body=dti"):
                page.goto(url + path)
                if path == "/network":
                    page.wait_for_selector("#network[data-drawn=true] canvas", timeout=15000)
                    node = page.evaluate("""() => {
                        const data = JSON.parse(document.getElementById('network-data').textContent);
                        return data.nodes.map(n => n.title).join('\\n');
                    }""")
                    assert "<img src=x onerror=alert 1 > Agency" in node
                    assert 'href="javascript:alert 2' in node
                    hostile = page.evaluate("""iri => JSON.parse(document.getElementById('network-data').textContent)
                        .nodes.find(n => n.iri === iri).id""", iri("body", "img-src-x-onerror-alert-1-agency"))
                    box = page.locator("#network").bounding_box()
                    spot = page.evaluate("id => window.equalKgNetwork.canvasToDOM("
                                         "window.equalKgNetwork.getPosition(id))", hostile)
                    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
                    tip = page.locator("div.vis-tooltip")
                    tip.wait_for(state="visible", timeout=5000)
                    assert "<img src=x onerror=alert 1 > Agency" in tip.inner_text()
                    assert page.locator("img[src=x]").count() == 0
            assert page.locator("img[src=x]").count() == 0
    finally:
        context.close()
    assert dialogs == [] and errors == []
