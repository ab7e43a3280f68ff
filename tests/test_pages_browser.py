"""Entity pages in headless Chromium over a real `kg serve`: rendered content, links, no outside requests."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def clean(page) -> None:  # type: ignore[no-untyped-def]
    assert page.console_errors == [], page.console_errors
    assert page.outside_requests == [], page.outside_requests


def test_home_then_a_dp_page(page, server_url: str) -> None:
    page.goto(server_url + "/")
    page.click("a[href='/dps']")
    page.click("a[href='/id/dp/seem']")
    assert page.locator("h1").inner_text() == "SEEM"
    assert "SEEM DP" in page.locator("p.aim").inner_text()
    national = page.locator("section.level", has_text="National")
    assert national.locator("a[href='/id/body/odpm']").count() == 1
    assert page.locator("ul.documents a[href='/id/doc/theme-d-mainstreaming-strategy-2005']").count() == 1
    clean(page)


def test_body_page_lists_seem_under_theme_d_with_the_opdm_cell(page, server_url: str) -> None:
    page.goto(server_url + "/id/body/odpm")
    assert page.locator("h1").inner_text() == "Office of the Deputy Prime Minister"
    theme_d = page.locator("section.theme[data-theme='D']")
    seem = theme_d.locator("tr[data-dp='https://w3id.org/equal-kg/id/dp/seem']")
    assert seem.locator("a[href='/id/dp/seem']").inner_text() == "SEEM"
    opdm = seem.locator("li", has_text="written “OPDM”")
    assert "OPDM" in opdm.locator("q").inner_text()
    # follow the provenance link: the document page opens on the cell it names
    opdm.locator("a").first.click()
    page.wait_for_load_state()
    anchor = page.url.split("#", 1)[1]
    cell = page.locator(f"#{anchor}")
    assert "OPDM" in cell.inner_text()
    assert cell.evaluate("el => el.matches(':target')")
    clean(page)


def test_document_page_shows_the_table_with_linked_cells(page, server_url: str) -> None:
    page.goto(server_url + "/id/doc/theme-d-mainstreaming-strategy-2005")
    table = page.locator("table.strategy")
    assert table.locator("tbody tr").count() >= 10
    dps_cell = page.locator("#cell-55-dps")
    assert "NESEP SEEM SEASY" in dps_cell.inner_text()
    dps_cell.locator("a[href='/id/dp/seem']").click()
    page.wait_for_url("**/id/dp/seem")
    assert page.locator("h1").inner_text() == "SEEM"
    clean(page)


def test_pages_fit_a_phone(browser, server_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    for path in ("/id/body/odpm", "/id/doc/theme-d-mainstreaming-strategy-2005", "/bodies"):
        page.goto(server_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)  # wide tables scroll inside their own box
    context.close()
