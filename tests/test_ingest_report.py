"""What `kg ingest` tells the user about each file (text and JSON, with or without --dry-run), and the
partners and aliases it reads, as the DP and organisation pages show them over the real app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.settings import Settings
from kg.store.opening import open_reader, open_store
from tests.real_documents import DOCUMENTS
from web.app import create_app
from web.cli import main

FORMATS = DOCUMENTS / "formats"


def test_dry_run_reports_each_file_as_json_and_stores_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["ingest", "--dry-run", "--json", "--store", str(store), str(FORMATS)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["dry_run"] is True and report["errors"] == []
    read = {Path(d["file"]).name: d for d in report["documents"]}
    assert set(read) == {p.name for p in FORMATS.iterdir() if p.suffix != ".json"}
    waymark = read["waymark_dp_page.txt"]
    assert (waymark["format"], waymark["genre"], waymark["dp"], waymark["name_source"]) == (
        "text", "summary", "WAYMARK", "title")
    assert waymark["aliases"] == ["Work And Youth: Mentoring, Advice, Referral and Keyworking"]
    assert (waymark["theme"], waymark["theme_source"], waymark["round"]) == ("A", "field", 2)
    assert {"aim", "objectives", "background", "beneficiaries", "outcomes"} <= set(waymark["sections"])
    assert waymark["objectives"] == 6 and len(waymark["partners"]) == 9
    assert read["shift_dp_summary.docx"]["format"] == "docx"
    assert read["open_gate_kent_dp_summary.pdf"]["format"] == "pdf"
    assert read["time2work_dp_page.html"]["format"] == "html"
    strategy = read["theme_g_mainstreaming_strategy_2005.docx"]
    assert (strategy["genre"], strategy["theme"], strategy["policy_areas"]) == ("strategy", "G", 4)
    assert {"CRADLE", "Childminding Futures", "Time2Work", "Balancing Act Merseyside", "CarersNet East"} == set(
        strategy["dps"])
    assert not store.exists()


def test_the_text_report_says_how_each_name_was_found(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", "--store", str(tmp_path / "store"),
                                       str(FORMATS / "sbs_dp_page.txt"), str(FORMATS / "cradle_dp_page.txt")])
    assert result.exit_code == 0, result.output
    assert "sbs_dp_page.txt: text, summary" in result.output
    assert "DP: 'SBS' (also 'Steps to Business Success'), from the title" in result.output
    assert "theme: C (from the field); round: 2" in result.output
    assert "theme: not stated; round: 2" in result.output  # CRADLE's page gives none
    assert "Loaded 2 document(s)" in result.output


def test_a_name_met_in_two_themes_is_kept_apart_and_reported(tmp_path: Path) -> None:
    for theme, name in (("A", "first.txt"), ("F", "second.txt")):
        (tmp_path / name).write_text(f"HARBOUR - Helping Adults Return\nTheme: {theme}\nThe aim of the "
                                     "Partnership was to help adults back into work.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--json", "--store", str(tmp_path / "store"),
                                       str(tmp_path / "first.txt"), str(tmp_path / "second.txt")])
    report = json.loads(result.output)
    warnings = [w for d in report["documents"] for w in d["warnings"]]
    assert any("is in theme F here and in theme A elsewhere" in w and "dp/harbour-f" in w for w in warnings)
    with open_reader(str(tmp_path / "store")) as store:
        themes = {(str(r["dp"]).rsplit("/", 1)[-1], str(r["n"])) for r in store.select(
            "SELECT DISTINCT ?dp ?n WHERE { ?dp a eq:DevelopmentPartnership ; eq:theme/skos:notation ?n }").rows}
    assert themes == {("harbour", "A"), ("harbour-f", "F")}


@pytest.fixture(scope="module")
def formats_client(tmp_path_factory: pytest.TempPathFactory):
    """The real app over a store holding the format examples."""
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("formats") / "store"
    with open_store(path) as opened:
        assert ingest_paths(opened, [FORMATS]).ok
    with open_store(path, read_only=True) as opened:
        app = create_app(Settings(store=str(path)), opened)
        app.testing = True
        yield app.test_client()


def test_dp_page_lists_partners_and_aliases(formats_client) -> None:
    page = formats_client.get("/id/dp/waymark").get_data(as_text=True)
    assert "Also known as" in page and "Work And Youth" in page
    assert 'id="partners"' in page and "Calder Valley Youth Trust" in page
    assert 'href="/id/body/jobcentre-plus"' in page  # a partner that is a body links to the body
    sbs = formats_client.get("/id/dp/sbs").get_data(as_text=True)
    assert "Irwell Enterprise Trust</a> <span class=\"tag\">lead partner</span>" in sbs


def test_partner_organisation_page_and_rdf(formats_client) -> None:
    page = formats_client.get("/id/org/learning-and-skills-council-west-yorkshire")
    assert page.status_code == 200
    turtle = formats_client.get("/id/org/learning-and-skills-council-west-yorkshire.ttl").get_data(as_text=True)
    assert "org:subOrganizationOf body:lsc" in turtle
