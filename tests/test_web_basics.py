"""The app factory, the home page, errors and `kg serve` as a real server."""

from __future__ import annotations

import urllib.request

import pytest


def test_home_page_counts(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Who targets whom in EQUAL" in html
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_path_is_a_404_page_or_json(client) -> None:
    assert client.get("/no/such/page").status_code == 404
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_kg_serve_answers_over_http(server_url: str) -> None:
    with urllib.request.urlopen(server_url + "/") as response:
        assert response.status == 200
        assert response.headers["Server"] == "equal-kg"  # waitress, not Flask's development server


@pytest.mark.browser
def test_home_page_in_a_browser(page, server_url: str) -> None:
    page.goto(server_url + "/")
    assert page.locator("h1").inner_text() == "Who targets whom in EQUAL"
    assert page.locator("ul.stats li").count() >= 4
    assert page.console_errors == [] and page.outside_requests == []
