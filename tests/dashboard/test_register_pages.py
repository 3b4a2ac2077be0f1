"""The Register and Need pages as scripts (AppTest) on the fixture tidy folder and a temporary
SQLite register; the map's partner layers and the ward profile's partner panel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.register import Store, access
from tests.dashboard.conftest import CENTRAL, CHURCH, WARDS

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py")
HEADER = (
    "record_id,version,organisation,sector,title,description,activity_type,themes,status,start_date,end_date,"
    "reach_count,reach_unit,reach_period,wards,postcode,lon,lat,contact_role,last_updated,updated_by\n"
)
CLEAN = HEADER + (
    ",,Walkers (test),voluntary/community,Park walk,,event,physical activity,active,,,12,people,week,Church,,,,Walk "
    "leader,,\n"
    ",,Walkers (test),voluntary/community,Chair yoga,,programme,older people,active,,,30,people,month,Central; "
    "Church,,,,Instructor,,\n"
)
INVALID = HEADER + (
    ",,Walkers (test),NSH,Park walk,,event,physical activity,active,,,12,people,week,Church,,,,Walk leader,,\n"
    ",,Walkers (test),voluntary/community,,,event,,active,,,,,,Nowhere,,,,,,\n"
)
EDITOR = auth.User(name="sam", role="editor", source="local")


@pytest.fixture()
def register_env(fixture_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture tidy data, an empty SQLite register of this test's own, no users file."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = tmp_path / "register.sqlite"
    monkeypatch.setenv("PLACE_INSIGHT_REGISTER_DB", str(db))
    monkeypatch.setenv("PLACE_INSIGHT_USERS_FILE", str(tmp_path / "users.toml"))
    return db


def open_store(db: Path) -> Store:
    return Store(path=db, wards=WARDS, postcodes=False, place_name="Hyndburn")


def make_app(page: str, *, user: auth.User | None = EDITOR, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if user is not None:
        at.session_state[auth.SESSION_KEY] = user
    at.run()
    at.switch_page(page).run()
    return at


def widget(at: AppTest, kind: str, key: str):
    return next(w for w in getattr(at, kind) if w.key == key)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("page", ["app_pages/register.py", "app_pages/need.py"])
def test_page_renders_without_exception(register_env, page):
    at = make_app(page, user=None)
    assert not at.exception
    assert len(at.title) == 1
    assert any("only shows what partners have entered" in i.value for i in at.info)


def test_adding_an_activity_through_the_form_creates_it(register_env):
    at = make_app("app_pages/register.py")
    widget(at, "text_input", "add0_organisation").set_value("Walkers (test)")
    widget(at, "selectbox", "add0_sector").set_value("voluntary/community")
    widget(at, "text_input", "add0_title").set_value("Canal walk")
    widget(at, "selectbox", "add0_activity_type").set_value("event")
    widget(at, "selectbox", "add0_status").set_value("active")
    widget(at, "multiselect", "add0_themes").set_value(["physical activity"])
    widget(at, "multiselect", "add0_wards").set_value([CHURCH])
    button(at, "Add the activity").click().run()
    assert not at.exception
    assert any("Added" in s.value for s in at.success)
    with open_store(register_env) as store:
        (created,) = store.list()
    assert (created.title, created.wards, created.updated_by) == ("Canal walk", (CHURCH,), "local:sam")


def test_an_incomplete_form_lists_every_problem_and_saves_nothing(register_env):
    at = make_app("app_pages/register.py")
    widget(at, "text_input", "add0_title").set_value("No organisation")
    button(at, "Add the activity").click().run()
    assert not at.exception
    assert any("Not saved" in e.value for e in at.error)
    problems = at.dataframe[-1].value
    assert {"organisation", "sector", "activity_type", "themes", "status"} <= set(problems["column"])
    with open_store(register_env) as store:
        assert store.count() == 0


def test_signed_out_visitors_cannot_add(register_env):
    at = make_app("app_pages/register.py", user=None)
    widget(at, "text_input", "add0_organisation").set_value("Walkers (test)")
    button(at, "Add the activity").click().run()
    assert any(w.value == access.MSG_SIGN_IN for w in at.warning)
    with open_store(register_env) as store:
        assert store.count() == 0


def upload(at: AppTest, text: str) -> AppTest:
    at.file_uploader[0].set_value(("activities.csv", text.encode("utf-8"), "text/csv"))
    return at.run()


def test_a_clean_import_previews_then_imports_in_one_go(register_env):
    at = upload(make_app("app_pages/register.py"), CLEAN)
    assert not at.exception
    go_button = next(b for b in at.button if b.key == "import_go")
    assert not go_button.disabled
    go_button.click().run()
    assert any("Imported: 2 added" in s.value for s in at.success)
    with open_store(register_env) as store:
        assert sorted(a.title for a in store.list()) == ["Chair yoga", "Park walk"]


def test_an_invalid_import_lists_every_problem_and_writes_nothing(register_env):
    at = upload(make_app("app_pages/register.py"), INVALID)
    assert not at.exception
    assert any("nothing was saved" in e.value for e in at.error)
    problems = next(d for d in at.dataframe if "message" in d.value.columns).value
    assert set(problems["row"]) == {"2", "3"}
    assert {"sector", "title", "themes", "wards"} <= set(problems["column"])
    assert next(b for b in at.button if b.key == "import_go").disabled
    with open_store(register_env) as store:
        assert store.count() == 0


def test_an_edit_from_a_stale_version_shows_both_versions_and_overwrites_nothing(register_env):
    with open_store(register_env) as store:
        a = store.create(
            {
                "organisation": "Walkers (test)",
                "sector": "voluntary/community",
                "title": "Park walk",
                "activity_type": "event",
                "themes": "physical activity",
                "status": "active",
                "wards": "Church",
            },
            editor="kim",
        )
    at = make_app("app_pages/register.py")
    widget(at, "selectbox", "edit_record").set_value(a.record_id).run()
    prefix = f"edit_{a.record_id[:8]}_1"
    with open_store(register_env) as store:  # a colleague saves first
        store.update(a.record_id, {"status": "paused"}, expected_version=1, editor="kim")
    widget(at, "text_input", f"{prefix}_title").set_value("Park walk (longer)")
    button(at, "Save changes").click().run()
    assert not at.exception
    assert any("changed by someone else" in e.value for e in at.error)
    side_by_side = next(d for d in at.dataframe if "register now" in d.value.columns).value.set_index("field")
    assert side_by_side.loc["status", "register now"] == "paused"
    assert side_by_side.loc["title", "your version"] == "Park walk (longer)"
    with open_store(register_env) as store:
        now = store.get(a.record_id)
    assert (now.title, now.status, now.version) == ("Park walk", "paused", 2)
    button(at, "Reload the register's version (then reapply your change)").click().run()
    assert widget(at, "selectbox", f"edit_{a.record_id[:8]}_2_status").value == "paused"


def test_map_shows_the_partner_layers_and_counts(register_env):
    with open_store(register_env) as store:
        store.import_file(__import__("io").BytesIO(CLEAN.encode()), editor="kim", filename="a.csv")
    at = make_app("app_pages/map.py", indicator="imd2025_score")
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    legend = [d["name"] for d in spec["data"] if d.get("showlegend") and d.get("meta")]
    assert legend == ["◆ Partner activities (register): 3", "■ GP practices: 2", "▲ Pharmacies: 1"]
    assert "Partner activities in the register" in spec["data"][0]["hovertemplate"]
    next(t for t in at.toggle if t.key == "map_layer_sites").set_value(False).run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [d["name"] for d in spec["data"] if d.get("showlegend") and d.get("meta")] == [
        "◆ Partner activities (register): 3"
    ]


def test_ward_profile_shows_the_partner_panel(register_env):
    with open_store(register_env) as store:
        store.import_file(__import__("io").BytesIO(CLEAN.encode()), editor="kim", filename="a.csv")
    at = make_app("app_pages/ward_profile.py", ward=CENTRAL)
    assert not at.exception
    assert any("Partner activities in the register: 1" in m.value for m in at.markdown)
    panel = next(d for d in at.dataframe if "reach" in d.value.columns).value
    assert panel["title"].tolist() == ["Chair yoga"]


def test_need_page_names_the_gaps_and_offers_the_table_with_provenance(register_env):
    with open_store(register_env) as store:
        store.import_file(__import__("io").BytesIO(CLEAN.encode()), editor="kim", filename="a.csv")
    at = make_app("app_pages/need.py")
    assert not at.exception
    assert widget(at, "selectbox", "need_indicator").value == "imd2025_score"
    table = next(d for d in at.dataframe if "Need and activity" in d.value.columns).value  # human headers
    assert table.set_index("Ward").loc["Central", "Partner activities"] == 1
    assert "ward_code" not in table.columns and "Attendances a year per 1,000 residents" in table.columns
    assert any("High need, low activity" in m.value for m in at.markdown)
    assert any("only shows what partners have entered" in i.value for i in at.info)
