"""The register's pure pieces for the pages: tables, map points and layers, the quadrant chart,
and the access switch. Small frames written out by hand; expected values worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.core import partner_layers
from dashboard.register import access, charts, tables
from dashboard.register.models import Activity, HistoryEntry, Issue
from dashboard.register.need import build_need_vs_activity

NOW = dt.datetime(2025, 5, 1, 12, 0, tzinfo=dt.UTC)
WARD_NAMES = {"W1": "Central", "W2": "Church", "W3": "Baxenden"}
WARD_GEO = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"area_code": code},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[w, 53.74], [w + 0.02, 53.74], [w + 0.02, 53.76], [w, 53.76], [w, 53.74]]],
            },
        }
        for code, w in (("W1", -2.40), ("W2", -2.38), ("W3", -2.36))
    ],
}


def activity(record_id: str = "r1", **over) -> Activity:
    base = {
        "record_id": record_id,
        "version": 1,
        "organisation": "Walk Group",
        "sector": "voluntary/community",
        "title": "Tuesday walk",
        "description": None,
        "activity_type": "event",
        "themes": ("physical activity",),
        "status": "active",
        "start_date": None,
        "end_date": None,
        "reach_count": 20,
        "reach_unit": "people",
        "reach_period": "week",
        "wards": ("W1",),
        "postcode": None,
        "lon": None,
        "lat": None,
        "location_ward_code": None,
        "contact_role": "Walk leader",
        "created_at": NOW,
        "updated_at": NOW,
        "updated_by": "sam",
    }
    base.update(over)
    return Activity(**base)


def frame_of(*items: Activity) -> pd.DataFrame:
    columns = list(Activity.__dataclass_fields__)
    frame = pd.DataFrame([[getattr(a, c) for c in columns] for a in items], columns=columns)
    frame.insert(
        frame.columns.get_loc("wards") + 1, "ward_names", [tuple(WARD_NAMES.get(c, c) for c in a.wards) for a in items]
    )
    return frame


ACTS = frame_of(
    activity("r1"),
    activity(
        "r2",
        title="Debt advice",
        organisation="Citizens Advice",
        themes=("financial inclusion", "housing"),
        wards=("W1", "W2"),
        status="planned",
        reach_count=None,
        reach_unit=None,
        reach_period=None,
    ),
    activity(
        "r3",
        title="Pharmacy clinic",
        organisation="NHS",
        sector="NHS",
        wards=("W2",),
        postcode="BB5 1AA",
        lon=-2.37,
        lat=53.75,
        location_ward_code="W2",
    ),
)


@pytest.mark.parametrize(
    ("count", "unit", "period", "expected"),
    [
        (420, "people", "year", "420 people a year"),
        (1200, "people", "week", "1,200 people a week"),
        (3, "sessions", "total", "3 sessions in total"),
        (None, None, None, "not given"),
        (math.nan, "people", "year", "not given"),
    ],
)
def test_reach_text_says_the_reach_in_words(count, unit, period, expected):
    assert tables.reach_text(count, unit, period) == expected


def test_activity_table_joins_lists_and_names_wards():
    table = tables.activity_table(ACTS)
    assert list(table.columns) == list(tables.ACTIVITY_TABLE_COLUMNS)
    row = table[table["record_id"] == "r2"].iloc[0]
    assert row["themes"] == "financial inclusion; housing"
    assert row["wards"] == "Central; Church"
    assert row["reach"] == "not given"


def test_activity_table_of_an_empty_register_has_the_columns():
    assert list(tables.activity_table(ACTS.iloc[0:0]).columns) == list(tables.ACTIVITY_TABLE_COLUMNS)


def test_ward_panel_lists_the_wards_activities_active_first():
    table = tables.ward_panel_table(ACTS, "W1")
    assert list(table.columns) == list(tables.PANEL_COLUMNS)
    assert table["title"].tolist() == ["Tuesday walk", "Debt advice"]  # active before planned
    assert table.loc[0, "reach"] == "20 people a week"


def test_ward_panel_of_a_ward_without_activities_is_empty():
    assert tables.ward_panel_table(ACTS, "W3").empty


def test_ward_activity_counts_count_each_ward_of_an_activity():
    counts = partner_layers.ward_activity_counts(ACTS, ["W1", "W2", "W3"])
    assert counts.to_dict() == {"W1": 2, "W2": 2, "W3": 0}


def test_ward_centroids_are_the_middle_of_each_square():
    centroids = partner_layers.ward_centroids(WARD_GEO)
    assert centroids["W1"] == pytest.approx((-2.39, 53.75))
    assert set(centroids) == {"W1", "W2", "W3"}


def test_activity_points_use_the_point_else_one_jittered_point_per_ward():
    points = partner_layers.activity_points(
        ACTS, centroids=partner_layers.ward_centroids(WARD_GEO), ward_names=WARD_NAMES, jitter_radius=0.003
    )
    assert len(points) == 4  # r1 in W1, r2 in W1 and W2, r3 at its postcode
    r3 = points[points["record_id"] == "r3"].iloc[0]
    assert (r3["lon"], r3["lat"], r3["ward_name"], r3["placed"]) == (
        -2.37,
        53.75,
        "Church",
        partner_layers.PLACED_AT_POINT,
    )
    r1 = points[points["record_id"] == "r1"].iloc[0]
    assert r1["placed"] == partner_layers.PLACED_AT_WARD
    assert 0 < math.dist((r1["lon"], r1["lat"]), (-2.39, 53.75)) < 0.006  # near, not on, the centre
    again = partner_layers.activity_points(
        ACTS, centroids=partner_layers.ward_centroids(WARD_GEO), ward_names=WARD_NAMES
    )
    assert (
        again["lon"].tolist()
        == partner_layers.activity_points(
            ACTS, centroids=partner_layers.ward_centroids(WARD_GEO), ward_names=WARD_NAMES
        )["lon"].tolist()
    )


SITES = pd.DataFrame(
    {
        "site_id": ["gp-1", "ph-1", "gp-out"],
        "name": ["Central Surgery", "Corner Pharmacy", "Far Surgery"],
        "kind": ["gp_practice", "pharmacy", "gp_practice"],
        "org_code": ["P81001", "FA001", "P89999"],
        "postcode": ["", "", ""],
        "lon": [-2.395, -2.385, -2.5],
        "lat": [53.75, 53.745, 53.8],
        "ward_code": ["W1", "W1", "X9"],
        "in_place": [True, True, False],
        "source_id": ["ods"] * 3,
    }
)


def test_site_points_keep_the_sites_in_the_place():
    points = partner_layers.site_points(SITES, ward_names=WARD_NAMES)
    assert points["name"].tolist() == ["Central Surgery", "Corner Pharmacy"]
    assert points["kind"].tolist() == ["GP practice P81001", "Pharmacy FA001"]


def base_map() -> go.Figure:
    return go.Figure(
        go.Choroplethmap(
            geojson=WARD_GEO,
            featureidkey="properties.area_code",
            locations=["W1", "W2", "W3"],
            z=[1, 2, 3],
            customdata=[["Central"], ["Church"], ["Baxenden"]],
            hovertemplate="<b>%{customdata[0]}</b><extra></extra>",
        )
    )


def test_partner_layers_are_separate_traces_with_their_own_symbol_and_counts():
    fig = partner_layers.with_partner_layers(
        base_map(),
        activities=ACTS,
        sites=SITES,
        ward_geojson=WARD_GEO,
        ward_names=WARD_NAMES,
        bounds=(-2.40, 53.74, -2.34, 53.76),
    )
    legend = [t for t in fig.data if t.showlegend and t.meta]
    assert [t.name for t in legend] == ["◆ Partner activities (register): 4", "■ GP practices: 1", "▲ Pharmacies: 1"]
    assert [t.meta["symbol"] for t in legend] == ["diamond", "square", "triangle-up"]
    assert len({t.fillcolor for t in legend}) == 3
    assert all(t.type == "scattermap" and t.fill == "toself" for t in legend)
    dots = [t for t in fig.data if t.meta and t.meta.get("hover")]
    assert [len(t.lon) for t in dots] == [4, 1, 1]
    assert "Ward: %{customdata[2]}" in dots[0].hovertemplate
    assert dots[0].customdata[0][2] == "Central"


def test_choropleth_hover_gains_each_wards_activity_count():
    fig = partner_layers.with_partner_layers(
        base_map(), activities=ACTS, sites=None, ward_geojson=WARD_GEO, ward_names=WARD_NAMES, bounds=None
    )
    choropleth = fig.data[0]
    assert [row[-1] for row in choropleth.customdata] == ["2", "2", "0"]
    assert "Partner activities in the register: %{customdata[1]}" in choropleth.hovertemplate


def test_layers_switched_off_add_nothing():
    fig = partner_layers.with_partner_layers(
        base_map(), activities=None, sites=None, ward_geojson=WARD_GEO, ward_names=WARD_NAMES, bounds=None
    )
    assert len(fig.data) == 1


def test_hover_text_of_user_entries_is_escaped():
    nasty = frame_of(activity("r9", title="<img src=x onerror=alert(1)>"))
    fig = partner_layers.with_partner_layers(
        base_map(), activities=nasty, sites=None, ward_geojson=WARD_GEO, ward_names=WARD_NAMES, bounds=None
    )
    dots = next(t for t in fig.data if t.meta and t.meta.get("hover"))
    assert dots.customdata[0][0] == "&lt;img src=x onerror=alert(1)&gt;"


def test_glyph_outline_closes_each_shape_and_separates_them():
    lons, lats = partner_layers.glyph_outline([0.0, 1.0], [0.0, 0.0], symbol="triangle-up", radius=0.1)
    assert len(lons) == 2 * (3 + 1 + 1)
    assert lons[0] == lons[3] and lats[0] == lats[3] and lons[4] is None


def test_need_quadrant_chart_names_wards_and_draws_medians():
    need = pd.DataFrame(
        {
            "ward_code": ["W1", "W2", "W3"],
            "ward_name": ["Central", "Church", "Baxenden"],
            "value": [55.0, 35.0, 12.0],
            "population": [7000, 5000, 4000],
        }
    )
    result = build_need_vs_activity(need, ACTS.assign(status="active"))
    fig = charts.build_need_quadrant_chart(
        result.table, need_label="IMD score", need_median=result.need_median, activity_median=result.activity_median
    )
    names = {t.name for t in fig.data}
    assert names <= set(charts.QUADRANT_STYLE)
    assert sorted(n for t in fig.data for n in t.text) == ["Baxenden", "Central", "Church"]
    assert {s.type for s in fig.layout.shapes} == {"line"} and len(fig.layout.shapes) == 2
    assert any(a.text == "HIGH NEED, LOW ACTIVITY" for a in fig.layout.annotations)


def test_need_frame_joins_population():
    values = pd.DataFrame({"area_code": ["W1", "W2"], "area_name": ["Central", "Church"], "value": [1.0, 2.0]})
    population = pd.DataFrame({"area_code": ["W2", "W1"], "area_name": ["Church", "Central"], "value": [5000, 7000]})
    out = tables.need_frame(values, population)
    assert out.to_dict("records") == [
        {"ward_code": "W1", "ward_name": "Central", "value": 1.0, "population": 7000},
        {"ward_code": "W2", "ward_name": "Church", "value": 2.0, "population": 5000},
    ]


def test_issues_table_has_one_row_per_issue():
    issues = [
        Issue(3, "sector", "'NSH' is not a sector"),
        Issue(None, None, "the file is empty"),
        Issue(4, "postcode", "not placed", "warning"),
    ]
    table = tables.issues_table(issues)
    assert table.to_dict("records")[0] == {
        "row": "3",
        "column": "sector",
        "severity": "error",
        "message": "'NSH' is not a sector",
    }
    assert table["row"].tolist() == ["3", "", "4"]


def test_history_table_says_what_changed_newest_first():
    before = activity().snapshot()
    after = activity(version=2, status="paused").snapshot()
    entries = [
        HistoryEntry("r1", 1, NOW, "sam", "create", None, before),
        HistoryEntry("r1", 2, NOW, "kim", "update", before, after),
    ]
    table = tables.history_table(entries)
    assert table["changed"].tolist() == ["status: active -> paused", "created"]
    assert table["editor"].tolist() == ["kim", "sam"]


def test_conflict_table_marks_the_fields_that_differ():
    theirs = activity(version=2, status="paused")
    mine = {**tables.form_values(activity()), "title": "Tuesday walk (longer)"}
    table = tables.conflict_table(mine, theirs, ward_names=WARD_NAMES).set_index("field")
    assert set(table.index[table["differs"]]) == {"title", "status"}
    assert table.loc["wards", "register now"] == "Central"


def test_without_sign_in_editing_is_open_unless_read_only(monkeypatch):
    monkeypatch.delenv(access.READONLY_ENV, raising=False)
    assert access.can_edit("add")
    monkeypatch.setenv(access.READONLY_ENV, "1")
    assert not access.can_edit("add")
    assert access.check("import").reason == access.MSG_READONLY


def test_with_sign_in_the_auth_roles_decide():
    from dashboard import auth

    assert access.check("add", user=auth.ANONYMOUS, require=auth.require).reason == access.MSG_SIGN_IN
    sam = auth.User(name="sam", role="editor", source="local")
    assert access.check("add", user=sam, require=auth.require) == access.Access(True, "local:sam", None, True)
    assert access.can_edit("load_example", user=sam, require=auth.require)  # checked as "import"
    assert not access.can_edit("delete", user=sam, require=auth.require)  # admins only


def test_an_unknown_action_is_refused_loudly():
    with pytest.raises(ValueError, match="unknown register action"):
        access.check("publish")


def test_public_reach_below_the_threshold_is_shown_as_less_than_five():
    from dashboard.register import tables

    assert tables.reach_text(3, "people", "year", public=True).startswith("<5 people")
    assert tables.reach_text(3, "people", "year", public=False).startswith("3 people")
    assert tables.reach_text(12, "people", "year", public=True).startswith("12 people")
