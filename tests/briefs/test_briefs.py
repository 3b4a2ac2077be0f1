"""Ward briefs: one A4 page, the profile's numbers, images that show something, the CLI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard import briefs
from dashboard.briefs import content as brief_content
from dashboard.core import export, selection, wording
from tests.dashboard.conftest import BAXENDEN, CENTRAL, CHURCH, WARDS

REPO = Path(__file__).resolve().parents[2]
A4_POINTS = (595.3, 841.9)


def pixel_std(png_or_image) -> float:
    image = png_or_image if isinstance(png_or_image, Image.Image) else Image.open(io.BytesIO(png_or_image))
    return float(np.asarray(image.convert("L"), dtype=float).std())


@pytest.fixture(scope="module")
def central(tidy):
    activities = pd.DataFrame(
        {
            "organisation": ["Hyndburn Leisure", "Age Concern <script>"],
            "title": ["Walking football & friends", "Warm welcome café"],
            "status": ["active", "planned"],
            "themes": [("physical activity",), ("older people", "isolation")],
            "wards": [(CENTRAL,), (CENTRAL, CHURCH)],
        }
    )
    with export.image_server():
        brief = briefs.make_brief(tidy, CENTRAL, activities=activities)
    return brief


def page_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_brief_is_one_a4_page_with_the_wards_name_population_and_decile(central, tidy):
    reader = PdfReader(io.BytesIO(central.pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == A4_POINTS
    text = " ".join(page_text(central.pdf).split())
    facts = selection.ward_facts(tidy, CENTRAL)
    population = facts.loc[facts["indicator_id"] == "population", "value"].iloc[0]
    decile = facts.loc[facts["indicator_id"] == "imd2025_decile", "value"].iloc[0]
    assert "Central ward" in text
    assert f"{population:,.0f}" in text  # 7,000
    assert f"IMD 2025 decile {decile:.0f}" in text
    assert "Hyndburn" in text and "England" in text


def test_brief_uses_the_profiles_wording_and_significance(central, tidy):
    text = " ".join(page_text(central.pdf).split())
    facts = selection.ward_facts(tidy, CENTRAL)
    summary = wording.build_ward_summary(ward_name="Central", place_name="Hyndburn", facts=facts)
    assert " ".join(summary[1].split()) in text  # the IMD sentence, as on the profile
    needs = wording.top_needs(facts, ward_name="Central", place_name="Hyndburn")
    assert needs and needs[0].startswith("Bad or very bad health: 8.0%")  # worst against England first
    assert "8.0%, 1.5x the England figure of 5.2%" in text
    assert "(significantly worse than England)" in text


def test_brief_lists_register_activities_escaped_and_partner_sites(central):
    text = " ".join(page_text(central.pdf).split())
    assert "Walking football & friends" in text
    assert "Age Concern <script>" in text  # shown as typed, never interpreted
    assert "2 activities recorded" in text
    assert brief_content.REGISTER_CAVEAT in text
    assert "Central Surgery" in text and "Corner Pharmacy" in text
    assert "1 GP practice, 1 pharmacy" in text


def test_brief_footer_has_sources_licence_and_build_date(central):
    text = " ".join(page_text(central.pdf).split())
    assert "Open Government Licence v3.0" in text
    assert "Census 2021" in text and "English Indices of Deprivation 2025" in text
    assert "Data built 1 January 2025" in text


def test_brief_is_drawn_as_vectors_with_the_ward_in_blue(central):
    page = PdfReader(io.BytesIO(central.pdf)).pages[0]
    assert not list(page.images), "the comparison's spine is drawn as vector shapes, not a raster image"
    png = briefs.pdf_to_png(central.pdf, dpi=60)
    assert pixel_std(png) > 20
    # the locator map is vector: the ward's blue shows up in the rendered page
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    assert ((abs(rgb[:, 0] - 0) < 30) & (abs(rgb[:, 1] - 114) < 30) & (abs(rgb[:, 2] - 178) < 30)).sum() > 50


def test_no_register_rows_says_none_recorded(tidy):
    content = brief_content.build_content(tidy, BAXENDEN, activities=None)
    from dashboard.briefs.render import render_pdf

    pdf, pages = render_pdf(content, tidy.boundaries)
    text = " ".join(page_text(pdf).split())
    assert pages == 1
    assert "None recorded for Baxenden." in text
    assert brief_content.REGISTER_CAVEAT in text
    assert "No GP practices or pharmacies are recorded in Baxenden." in text


def test_unknown_ward_is_refused(tidy):
    with pytest.raises(briefs.UnknownWard, match="E05999999"):
        briefs.make_brief(tidy, "E05999999")


@pytest.mark.slow
def test_all_wards_run_writes_one_file_per_ward(tidy, tmp_path):
    files = briefs.write_briefs(tidy, tmp_path, formats=("pdf", "png"), activities={})
    pdfs = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert len(pdfs) == len(WARDS) == len(list(tmp_path.glob("*.png")))
    assert {p.split("-")[2] for p in pdfs} == set(WARDS)
    assert len(files) == 2 * len(WARDS)
    assert all(len(PdfReader(p).pages) == 1 for p in tmp_path.glob("*.pdf"))


def _cli(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PLACE_INSIGHT_DATA": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "dashboard.briefs", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_unknown_ward_exits_non_zero_with_a_clear_message(fixture_data_dir, tmp_path):
    result = _cli(["--out", str(tmp_path), "--ward", "E05999999"], fixture_data_dir)
    assert result.returncode == 2
    assert "unknown ward code" in result.stderr and "E05999999" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*"))


@pytest.mark.slow
def test_cli_writes_one_ward_as_pdf_and_png(fixture_data_dir, tmp_path):
    result = _cli(["--out", str(tmp_path), "--ward", CHURCH, "--format", "both"], fixture_data_dir)
    assert result.returncode == 0, result.stderr
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".pdf", ".png"]
    assert not (fixture_data_dir / "register.sqlite").exists()  # a brief never creates a register


def test_top_needs_is_empty_when_nothing_is_worse(tidy):
    facts = selection.ward_facts(tidy, BAXENDEN)
    assert wording.top_needs(facts, ward_name="Baxenden", place_name="Hyndburn") == []


def test_table_provenance_helper(tidy):
    frame = pd.DataFrame({"domain": ["income"], "score_2025": [0.3]})
    out = export.with_provenance(frame, tidy, indicator_ids=["imd2025_income_score", "imd2019_income_score"])
    assert list(out.columns) == ["domain", "score_2025", "source", "publisher", "vintage", "licence", "method"]
    assert "English Indices of Deprivation 2025" in out.loc[0, "source"] and "OGL v3.0" in out.loc[0, "licence"]
    sites = selection.ward_sites(tidy, CENTRAL)
    assert export.with_provenance(sites, tidy, method="ODS postcode").loc[0, "method"] == "ODS postcode"
