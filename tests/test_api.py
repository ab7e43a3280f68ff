"""The JSON API under /api/: JSON and CSV answers parsed back, and a valid OpenAPI description."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import iri


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_bodies_with_counts(client) -> None:
    data = client.get("/api/bodies").get_json()
    by_slug = {b["slug"]: b for b in data["bodies"]}
    assert data["count"] == len(data["bodies"])
    assert by_slug["dti"]["dps"] >= 9 and by_slug["dti"]["label"] == "Department of Trade and Industry"
    assert all(b["dps"] > 0 for b in data["bodies"])
    assert client.get("/api/bodies?all=1").get_json()["count"] > data["count"]


def test_bodies_as_csv_by_parameter_and_by_accept(client) -> None:
    by_param = rows_of(client.get("/api/bodies?format=csv"))
    by_accept = rows_of(client.get("/api/bodies", headers={"Accept": "text/csv"}))
    assert by_param == by_accept
    dti = next(r for r in by_param if r["slug"] == "dti")
    assert int(dti["dps"]) >= 9 and dti["iri"] == iri("body", "dti")


def test_body_and_which_dps_target_it(client) -> None:
    body = client.get("/api/bodies/odpm").get_json()
    assert body["label"] == "Office of the Deputy Prime Minister"
    assert iri("body", "dclg") in {s["iri"] for s in body["successors"]}
    answer = client.get("/api/bodies/odpm/dps").get_json()
    assert answer["body"] == iri("body", "odpm")
    seem = next(d for d in answer["themes"]["D"] if d["dp"] == iri("dp", "seem"))
    assert "National" in seem["levels"]
    assert any(s["written"] == "OPDM" and s["column"] == "WHO" for s in seem["sources"])
    assert {d["dp"] for d in answer["themes"]["G"]}  # theme G DPs target ODPM too


def test_which_dps_target_a_body_as_csv(client) -> None:
    rows = rows_of(client.get("/api/bodies/odpm/dps?format=csv"))
    assert {"theme", "dp", "dp_label", "document", "row", "column", "cell_text", "written"} <= set(rows[0])
    assert any(r["dp_label"] == "SEEM" and r["theme"] == "D" and r["written"] == "OPDM" for r in rows)


def test_dps_and_one_dp(client) -> None:
    data = client.get("/api/dps").get_json()
    seem = next(d for d in data["dps"] if d["slug"] == "seem")
    assert seem["themes"] == ["D"] and seem["bodies_targeted"] > 10
    rows = rows_of(client.get("/api/dps?format=csv"))
    assert len(rows) == data["count"]
    dp = client.get("/api/dps/seem").get_json()
    assert dp["label"] == "SEEM" and dp["objectives"] and dp["outcomes"]
    assert iri("body", "odpm") in {b["iri"] for b in dp["targets_by_level"]["National"]}
    assert {t["iri"] for t in dp["themes"]} == {iri("theme", "D")}


def test_themes(client) -> None:
    themes = client.get("/api/themes").get_json()["themes"]
    assert [t["letter"] for t in themes] == list("ABCDEFGHI")
    assert next(t for t in themes if t["letter"] == "D")["dps"] >= 7
    theme = client.get("/api/themes/d").get_json()
    assert iri("dp", "seem") in {d["iri"] for d in theme["dps"]}
    assert theme["documents"]


def test_documents_and_stats(client) -> None:
    docs = client.get("/api/documents").get_json()["documents"]
    assert {"theme-d-mainstreaming-strategy-2005", "seem-dp-summary"} <= {d["slug"] for d in docs}
    stats = client.get("/api/stats").get_json()
    assert stats["documents"] == len(docs) and stats["dps"] >= 13


@pytest.mark.parametrize("path", ["/api/bodies/no-such", "/api/bodies/no-such/dps", "/api/dps/no-such",
                                  "/api/themes/Z", "/api/dps/odpm"])
def test_unknown_things_are_json_404s(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_bad_format_is_a_400(client) -> None:
    response = client.get("/api/bodies?format=xlsx")
    assert response.status_code == 400 and "csv" in response.get_json()["error"]


def test_cors_header(client) -> None:
    assert client.get("/api/stats").headers["Access-Control-Allow-Origin"] == "*"


def test_openapi_description_is_valid_and_covers_the_routes(client) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    spec = client.get("/api/openapi.json").get_json()
    validator.validate(spec)
    app_routes = {rule.rule.replace("<", "{").replace(">", "}") for rule in client.application.url_map.iter_rules()
                  if rule.rule.startswith("/api/") and "openapi" not in rule.rule}
    assert app_routes <= set(spec["paths"])


def test_openapi_lists_search_and_partners(client) -> None:
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"q", "facet", "page", "page_size"} <= {p["name"] for p in paths["/api/search"]["get"]["parameters"]}
    assert {"dp", "scope", "body", "theme"} <= {p["name"] for p in paths["/api/partners"]["get"]["parameters"]}
