"""The type-ahead pickers in headless Chromium over a real `kg serve`, used with the keyboard, and the
list pages followed page by page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def clean(page) -> None:  # type: ignore[no-untyped-def]
    assert page.console_errors == [], page.console_errors
    assert page.outside_requests == [], page.outside_requests


def open_suggestions(page, selector: str, text: str):  # type: ignore[no-untyped-def]
    """Type into a picker and wait for its listbox; return (input, listbox)."""
    field = page.locator(selector)
    field.click()
    field.press_sequentially(text, delay=30)
    listbox = page.locator("#" + field.get_attribute("aria-controls"))
    listbox.locator("[role=option]").first.wait_for()
    return field, listbox


def test_the_search_box_is_an_accessible_combobox(page, server_url: str) -> None:
    page.goto(server_url + "/search")
    field, listbox = open_suggestions(page, "#q", "opdm")
    assert field.get_attribute("role") == "combobox" and field.get_attribute("aria-autocomplete") == "list"
    assert field.get_attribute("aria-expanded") == "true" and listbox.get_attribute("role") == "listbox"
    first = listbox.locator("[role=option]").first
    assert "Office of the Deputy Prime Minister" in first.inner_text()
    assert page.locator("[role=status]").first.inner_text().endswith("use the down arrow to choose")
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    field.press("ArrowUp")  # wraps to the last
    assert listbox.locator("[role=option]").last.get_attribute("aria-selected") == "true"
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false" and listbox.is_hidden()
    field.press("ArrowDown")  # opens again
    field.press("ArrowDown")
    field.press("Enter")  # a highlighted suggestion opens its page
    page.wait_for_url("**/id/body/odpm")
    assert page.locator("h1").inner_text() == "Office of the Deputy Prime Minister"
    clean(page)


def test_enter_without_a_highlighted_suggestion_searches_as_typed(page, server_url: str) -> None:
    page.goto(server_url + "/")
    field, _listbox = open_suggestions(page, "#q", "procurement")
    field.press("Enter")
    page.wait_for_url("**/search?q=procurement")
    assert page.locator(".hit").count() > 0
    clean(page)


def test_the_partners_page_picks_a_dp_and_bodies_by_keyboard(page, server_url: str) -> None:
    page.goto(server_url + "/partners")
    field, _listbox = open_suggestions(page, "input[name=dp]", "care")
    assert page.get_by_role("combobox", name="DP", exact=True).count() == 1  # the popup is not in its name
    field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value() == "CareWorks"
    field.press("Enter")  # the list is closed: Enter submits the form
    page.wait_for_url("**/partners?dp=CareWorks*")
    assert "Partners for CareWorks" in page.locator("#results").inner_text()
    bodies, _listbox = open_suggestions(page, "input[name=body]", "dti")
    bodies.press("ArrowDown")
    bodies.press("Enter")
    bodies.type(", odp")
    page.locator("#" + bodies.get_attribute("aria-controls")).locator("[role=option]",
                                                                      has_text="Deputy Prime").wait_for()
    bodies.press("ArrowDown")
    bodies.press("Enter")
    assert bodies.input_value() == "Department of Trade and Industry, Office of the Deputy Prime Minister"
    bodies.press("Tab")  # leaving the field closes the list
    assert bodies.get_attribute("aria-expanded") == "false"
    page.locator("button", has_text="Find DPs").click()
    page.wait_for_load_state()
    assert "DPs targeting" in page.locator("#results").inner_text()
    clean(page)


def test_the_network_view_opens_around_a_picked_entity(page, server_url: str) -> None:
    page.goto(server_url + "/network")
    field, listbox = open_suggestions(page, "input[name=name]", "seem")
    listbox.locator("[role=option]", has_text="SEEM").click()
    assert field.input_value() == "SEEM"
    page.locator("form.net-ego button").click()
    page.wait_for_url("**/network/ego?name=SEEM")
    assert page.locator("h1").inner_text() == "Network around an entity"
    page.locator("#network canvas").wait_for()
    clean(page)


def test_a_long_list_is_followed_page_by_page(page, server_url: str) -> None:
    page.goto(server_url + "/bodies?all=1&sort=name")
    first = page.locator("table.index tbody tr").first.inner_text()
    assert page.locator("table.index tbody tr").count() == 100
    page.locator("nav.pager a[rel=next]").first.click()
    page.wait_for_url("**page=2**")
    assert "sort=name" in page.url and "all=1" in page.url
    assert page.locator("table.index tbody tr").first.inner_text() != first
    page.locator("nav.pager a[rel=prev]").first.click()
    page.wait_for_url("**page=1**")
    assert page.locator("table.index tbody tr").first.inner_text() == first
    page.select_option("select[name=type]", "government-department")
    page.locator("form.list-form button").click()
    page.wait_for_url("**type=government-department**")
    assert page.locator("table.index tbody tr").count() > 3
    assert all(text.strip() for text in page.locator("table.index tbody td:nth-child(2)").all_inner_texts())
    clean(page)


def test_a_search_hit_says_what_it_is(page, server_url: str) -> None:
    """A strategy row is titled by its WHAT text, with its row, policy area and document; a DP shows its aim."""
    page.goto(server_url + "/search?q=procurement")
    row = page.locator("li.hit-row").first
    title = row.locator("a.hit-title").inner_text()
    assert title and not title.startswith(("Public and private procurement, row",))
    context = row.locator("p.hit-context").inner_text()
    assert context.startswith("Row ") and "·" in context and "Strategy" in context
    assert row.locator("a.hit-title mark, p.snippet mark").count() > 0  # the words that matched, marked
    page.goto(server_url + "/search?q=SEEM")
    dp = page.locator("li.hit-dp").first
    assert dp.locator("a.hit-title").inner_text() == "SEEM"
    assert dp.locator("p.hit-context").inner_text().startswith("DP · theme D")
    assert dp.locator("p.hit-summary, p.snippet").count() > 0
    clean(page)


def test_typing_on_after_a_highlight_searches_what_was_typed(page, server_url: str) -> None:
    """A suggestion highlighted for earlier text is never chosen by Enter once the text has changed."""
    page.goto(server_url + "/search")
    field, _listbox = open_suggestions(page, "#q", "dti")
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant")
    field.type("x")
    assert field.get_attribute("aria-activedescendant") is None
    field.press("Enter")
    page.wait_for_url("**/search?q=dtix")
    field = page.locator("#q")
    field.fill("")
    field.press("ArrowDown")  # an empty field offers nothing: no stale list
    assert page.locator("#" + field.get_attribute("aria-controls")).is_hidden()
    clean(page)
