"""No anonymous path reveals a count below 5 or who made a change (issue 13, item 2), and a reach
typed out of range is refused, not saved as blank."""

from __future__ import annotations

from pathlib import Path

from dashboard.register import Store
from dashboard.register.tables import PUBLIC_EDITOR, history_table
from tests.dashboard.conftest import WARDS, fixture_data_dir, fixture_env  # noqa: F401
from tests.dashboard.test_register_pages import EDITOR, make_app, register_env  # noqa: F401
from tests.register.helpers import valid_activity


def fill_add_form(at, form: str = "add0") -> str:  # noqa: ANN001
    """Fill the add form's required fields with a valid activity; returns the form's key prefix."""
    from dashboard.register import THEMES

    next(w for w in at.text_input if w.key == f"{form}_organisation").input("Hyndburn Leisure")
    next(w for w in at.text_input if w.key == f"{form}_title").input("Walking football")
    next(w for w in at.selectbox if w.key == f"{form}_sector").select("leisure")
    next(w for w in at.selectbox if w.key == f"{form}_activity_type").select_index(0)
    next(w for w in at.selectbox if w.key == f"{form}_status").select("active")
    next(w for w in at.multiselect if w.key == f"{form}_themes").select(THEMES[0])
    next(w for w in at.multiselect if w.key == f"{form}_wards").select(next(iter(WARDS)))
    return form


def small_activity(db: Path) -> str:
    with Store(path=db, wards=WARDS, postcodes=False, place_name="Hyndburn") as store:
        code = next(iter(WARDS))
        a = store.create(valid_activity(wards=code, postcode="", reach_count=3), editor="local:sam")
        store.update(a.record_id, {"reach_count": 4}, expected_version=1, editor="local:sam")
        return a.record_id


def test_public_history_hides_editors_and_small_values(register_env) -> None:  # noqa: F811
    record = small_activity(register_env)
    with Store(path=register_env, wards=WARDS, postcodes=False) as store:
        entries = store.history(record)

    public, full = history_table(entries, public=True), history_table(entries)

    assert set(public["editor"]) == {PUBLIC_EDITOR}
    assert not public["changed"].str.contains("3|4|sam").any()
    assert "reach_count: 3 -> 4" in set(full["changed"]) and "local:sam" in set(full["editor"])


def test_anonymous_visitors_get_no_edit_form_and_a_public_history(register_env) -> None:  # noqa: F811
    record = small_activity(register_env)
    at = make_app("app_pages/register.py", user=None)
    next(w for w in at.selectbox if w.key == "edit_record").select(record).run()

    assert not at.exception
    assert not [w for w in at.text_input if w.key and w.key.startswith("edit_")]
    shown = "\n".join(str(df.value.to_csv()) for df in at.dataframe)
    assert "sam" not in shown and "3 -> 4" not in shown
    assert not [b for b in at.button if b.label == "Save changes"]


def test_anonymous_visitors_get_no_upload(register_env) -> None:  # noqa: F811
    at = make_app("app_pages/register.py", user=None)

    assert not at.get("file_uploader")
    assert any("Sign in" in i.value for i in at.info)


def test_a_negative_reach_typed_in_the_form_is_refused(register_env) -> None:  # noqa: F811
    at = make_app("app_pages/register.py", user=EDITOR)
    form = fill_add_form(at)
    next(w for w in at.text_input if w.key == f"{form}_reach_count").input("-5")
    next(b for b in at.button if b.label == "Add the activity").click().run()

    assert not at.exception
    assert any("Not saved" in e.value for e in at.error)
    shown = "\n".join(str(df.value.to_csv()) for df in at.dataframe)
    assert "'-5' is negative" in shown
    with Store(path=register_env, wards=WARDS, postcodes=False) as store:
        assert store.count() == 0
