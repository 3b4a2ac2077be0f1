"""`python -m dashboard.register import | export | load-example | preview`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard.register import Store
from dashboard.register.cli import main
from pipelines.settings import REPO_DIR
from tests.register.helpers import HYNDBURN_WARDS, valid_activity, write_rows


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose tidy areas table holds Hyndburn's 16 wards (and no postcode table)."""
    tidy = tmp_path / "data" / "tidy"
    tidy.mkdir(parents=True)
    pd.DataFrame(
        {
            "area_code": list(HYNDBURN_WARDS),
            "area_name": list(HYNDBURN_WARDS.values()),
            "area_type": "ward",
            "parent_code": "E07000120",
            "boundary_vintage": "2025",
        }
    ).to_parquet(tidy / "areas.parquet")
    monkeypatch.setenv("PLACE_INSIGHT_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return tmp_path / "data"


def test_import_then_export(data_dir: Path, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = write_rows(tmp_path / "in.csv", [valid_activity(), valid_activity(title="Gym", wards="Peel")])

    assert main(["--database-url", database_url, "import", str(source), "--editor", "ana"]) == 0
    assert "2 added" in capsys.readouterr().out
    assert main(["--database-url", database_url, "export", str(tmp_path / "out.xlsx")]) == 0

    assert pd.read_excel(tmp_path / "out.xlsx")["title"].tolist() == ["Gym", "Walking football"]


def test_a_refused_file_exits_1_with_row_by_row_messages(
    data_dir: Path, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    source = write_rows(tmp_path / "bad.csv", [valid_activity(), valid_activity(wards="Centrall", status="")])

    code = main(["--database-url", database_url, "import", str(source)])

    err = capsys.readouterr().err
    assert code == 1
    assert "nothing was saved" in err
    assert "Row 3, column 'status': The status is missing" in err
    assert "Row 3, column 'wards': 'Centrall' is not a ward of Hyndburn. Did you mean 'Central'?" in err
    with Store(database_url, wards=HYNDBURN_WARDS, postcodes=False) as store:
        assert store.count() == 0


def test_load_example_fills_the_register(data_dir: Path, database_url: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["--database-url", database_url, "load-example"]) == 0

    with Store(database_url, wards=HYNDBURN_WARDS, postcodes=False) as store:
        assert store.count() >= 40


def test_export_refuses_an_unknown_extension(data_dir: Path, database_url: str, tmp_path: Path) -> None:
    assert main(["--database-url", database_url, "export", str(tmp_path / "out.pdf")]) == 2


def test_without_a_ward_table_the_cli_says_how_to_build_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("PLACE_INSIGHT_DATA", str(tmp_path / "empty"))
    source = write_rows(tmp_path / "in.csv", [valid_activity()])

    code = main(["--db", str(tmp_path / "r.sqlite"), "import", str(source)])

    assert code == 2
    assert "make data" in capsys.readouterr().err


def test_the_module_runs_as_a_command_on_the_embedded_file(data_dir: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PLACE_INSIGHT_REGISTER_DB=str(tmp_path / "embedded.sqlite"))
    env.pop("DATABASE_URL", None)

    done = subprocess.run(
        [sys.executable, "-m", "dashboard.register", "load-example"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert (tmp_path / "embedded.sqlite").exists()


def test_load_example_twice_adds_nothing_the_second_time(
    data_dir: Path, database_url: str, capsys: pytest.CaptureFixture
) -> None:
    main(["--database-url", database_url, "load-example"])
    with Store(database_url, wards=HYNDBURN_WARDS, postcodes=False) as store:
        first = store.count()

    assert main(["--database-url", database_url, "load-example"]) == 0
    assert "already loaded" in capsys.readouterr().out
    with Store(database_url, wards=HYNDBURN_WARDS, postcodes=False) as store:
        assert store.count() == first
