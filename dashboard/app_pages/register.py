"""Partner register: find, add, edit, import and export the partners' activities (issue 4).

Thin page over ``dashboard.register`` (Store, views). Every write asks ``register.access`` first;
every edit names the version it started from, so a change someone else saved meanwhile is shown
side by side and never overwritten. User text is shown with st.dataframe / st.text or escaped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

import streamlit as st

from dashboard import loaders
from dashboard.app_pages import _downloads, _sign_in
from dashboard.core import disclosure
from dashboard.core.safe_text import plain
from dashboard.register import (
    ACTIVITY_TYPES,
    REACH_PERIODS,
    REACH_UNITS,
    SECTORS,
    STATUSES,
    THEMES,
    ImportRefused,
    NotFoundError,
    ValidationError,
    edit_session,
    tables,
)
from pipelines import settings

log = logging.getLogger(__name__)
PAGE_ROWS = 500
store = loaders.load_register_store()
ward_names = store.wards.names

st.title("Partner activity register")
st.info(tables.REGISTER_CAVEAT, icon=":material/info:")


def editor_for(action: str) -> str | None:
    """The name to record for ``action``, or None (with the reason shown) when not allowed."""
    answer = _sign_in.register_access(action)
    if not answer.allowed:
        st.warning(answer.reason or "You may not change the register.", icon=":material/lock:")
        return None
    return answer.editor


with st.sidebar:
    st.markdown("**Register sign-in**")
    _sign_in.sign_in_form()
    signed = _sign_in.register_access("edit")
    st.caption(
        f"Changes are recorded as {plain(signed.editor)}."
        if signed.allowed
        else "Sign in as an editor to change the register."
    )


def show_issues(issues: list, *, heading: str) -> None:
    """Every problem, one row each (row, column, message): nothing summarised away."""
    st.error(heading, icon=":material/error:")
    st.dataframe(tables.issues_table(issues), hide_index=True, width="stretch")


def _choice(column, label: str, options, current, *, key: str):
    """A selectbox preset to ``current`` when it is one of ``options``, else empty."""
    return column.selectbox(label, options, index=options.index(current) if current in options else None, key=key)


def activity_form(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    """The activity's fields as widgets (inside a form); returns what was entered."""
    v = values
    left, right = st.columns(2)
    out: dict[str, Any] = {}
    out["organisation"] = left.text_input(
        "Organisation *", value=v.get("organisation", ""), key=f"{prefix}_organisation", max_chars=200
    )
    out["sector"] = right.selectbox(
        "Sector *",
        SECTORS,
        index=SECTORS.index(v["sector"]) if v.get("sector") in SECTORS else None,
        key=f"{prefix}_sector",
    )
    out["title"] = st.text_input("Title *", value=v.get("title", ""), key=f"{prefix}_title", max_chars=300)
    out["description"] = st.text_area(
        "Description", value=v.get("description", ""), key=f"{prefix}_description", max_chars=4000
    )
    left, mid, right = st.columns(3)
    out["activity_type"] = _choice(
        left, "Type *", ACTIVITY_TYPES, v.get("activity_type"), key=f"{prefix}_activity_type"
    )
    out["status"] = _choice(mid, "Status *", STATUSES, v.get("status"), key=f"{prefix}_status")
    out["themes"] = right.multiselect(
        "Themes *", THEMES, default=[t for t in v.get("themes", []) if t in THEMES], key=f"{prefix}_themes"
    )
    out["wards"] = st.multiselect(
        "Wards served",
        list(ward_names),
        default=[w for w in v.get("wards", []) if w in ward_names],
        format_func=lambda c: ward_names.get(c, c),
        key=f"{prefix}_wards",
        help="Needed unless a postcode in the place is given.",
    )
    left, right = st.columns(2)
    out["postcode"] = left.text_input(
        "Postcode (puts it on the map)", value=v.get("postcode", ""), key=f"{prefix}_postcode", max_chars=10
    )
    out["contact_role"] = right.text_input(
        "Contact role (a role, never a person's name or details)",
        value=v.get("contact_role", ""),
        key=f"{prefix}_contact_role",
        max_chars=200,
    )
    left, right = st.columns(2)
    out["start_date"] = left.date_input(
        "Start date",
        value=v.get("start_date"),
        key=f"{prefix}_start_date",
        format="YYYY-MM-DD",
        min_value=dt.date(1990, 1, 1),
    )
    out["end_date"] = right.date_input(
        "End date",
        value=v.get("end_date"),
        key=f"{prefix}_end_date",
        format="YYYY-MM-DD",
        min_value=dt.date(1990, 1, 1),
    )
    left, mid, right = st.columns(3)
    out["reach_count"] = left.text_input(  # text, checked by the import rules: out-of-range is refused, not blanked
        "Reach (how many)",
        value="" if v.get("reach_count") is None else str(v["reach_count"]),
        key=f"{prefix}_reach_count",
        max_chars=12,
        help="A whole number from 0 to 10,000,000.",
    )
    out["reach_unit"] = _choice(mid, "Reach unit", REACH_UNITS, v.get("reach_unit"), key=f"{prefix}_reach_unit")
    out["reach_period"] = _choice(
        right, "Reach period", REACH_PERIODS, v.get("reach_period"), key=f"{prefix}_reach_period"
    )
    return {k: ("" if val is None and k in ("organisation", "title") else val) for k, val in out.items()}


tab_list, tab_add, tab_edit, tab_import, tab_export = st.tabs(
    ["Activities", "Add an activity", "Edit, delete, history", "Import a file", "Export and template"]
)

# --- find ------------------------------------------------------------------------------------------
with tab_list:
    organisations = [o.name for o in store.organisations() if o.activity_count]
    c1, c2, c3 = st.columns(3)
    f_org = c1.multiselect("Organisation", organisations, key="f_organisation")
    f_sector = c2.multiselect("Sector", SECTORS, key="f_sector")
    f_theme = c3.multiselect("Theme", THEMES, key="f_theme")
    c1, c2, c3 = st.columns(3)
    f_ward = c1.multiselect("Ward", list(ward_names), format_func=lambda c: ward_names.get(c, c), key="f_ward")
    f_status = c2.multiselect("Status", STATUSES, key="f_status")
    f_search = c3.text_input("Search title, description, organisation, contact", key="f_search")
    filters = {
        k: v
        for k, v in {
            "organisation": f_org,
            "sector": f_sector,
            "theme": f_theme,
            "ward": f_ward,
            "status": f_status,
        }.items()
        if v
    }
    if f_search.strip():
        filters["search"] = f_search.strip()
    frame = loaders.register_frame(store, **filters)
    public = not _sign_in.can_edit("edit")
    table = tables.activity_table(frame, public=public)
    st.markdown(f"**{len(table)} of {store.count()} activities** match the filters.")
    if any(tables.is_example(o) for o in table["organisation"]):
        st.warning(
            "Rows whose organisation ends in *(example)* are made-up EXAMPLE data, not real activities.",
            icon=":material/science:",
        )
    pages = max(1, -(-len(table) // PAGE_ROWS))  # a page of rows at a time: a 50,000-row register stays quick
    page_no = st.number_input("Page", min_value=1, max_value=pages, value=1, key="register_page") if pages > 1 else 1
    st.dataframe(
        table.iloc[(page_no - 1) * PAGE_ROWS : page_no * PAGE_ROWS],
        hide_index=True,
        width="stretch",
        key="register_table",
    )
    if pages > 1:
        st.caption(
            f"Rows {(page_no - 1) * PAGE_ROWS + 1:,} to {min(page_no * PAGE_ROWS, len(table)):,} of {len(table):,}."
        )

    with st.expander("Example data (made up, for trying the dashboard out)"):
        st.caption(
            "Loads the EXAMPLE register from data/examples: made-up activities whose organisations end in '(example)'. "
            "Only on request; delete or ignore them before real use."
        )
        if st.button("Load the EXAMPLE register", key="load-example", icon=":material/science:"):
            editor = editor_for("load_example")
            if editor:
                if any(tables.is_example(o.name) and o.activity_count for o in store.organisations()):
                    st.info("The example is already loaded; nothing was added.")
                else:
                    try:
                        result = store.import_file(settings.example_path(), editor=editor)
                        st.success(f"Loaded {result.created} EXAMPLE activities.")
                        log.info("example register loaded by %s: %d activities", editor, result.created)
                    except ImportRefused as exc:
                        show_issues(exc.preview.issues, heading=exc.preview.summary())

# --- add -------------------------------------------------------------------------------------------
with tab_add:
    add_round = st.session_state.setdefault("add_round", 0)  # a new round clears the form after a save
    with st.form(f"add_activity_{add_round}"):
        entered = activity_form(f"add{add_round}", {})
        submitted = st.form_submit_button("Add the activity", icon=":material/add:", type="primary")
    if submitted:
        editor = editor_for("add")
        if editor:
            try:
                created = store.create(entered, editor=editor)
            except ValidationError as exc:
                show_issues(exc.issues, heading=f"Not saved: {len(exc.issues)} problem(s) to fix.")
            else:
                st.session_state["add_round"] = add_round + 1
                st.session_state["add_message"] = f"Added “{created.title}” (version {created.version})."
                log.info("activity %s added by %s", created.record_id, editor)
                st.rerun()
    if message := st.session_state.pop("add_message", None):
        st.success(plain(message), icon=":material/check_circle:")

# --- edit, delete, history ----------------------------------------------------------------------------
with tab_edit:
    everything = loaders.register_frame(store)
    if everything.empty:
        st.info("The register is empty: add an activity, import a file, or load the example.")
    else:
        labels = dict(
            zip(everything["record_id"], everything["title"] + " — " + everything["organisation"], strict=True)
        )
        chosen = st.selectbox(
            "Activity",
            list(labels),
            format_func=lambda r: labels.get(r, r),
            key="edit_record",
            index=None,
            placeholder="Choose an activity to edit",
        )
        if chosen and public:  # no edit form (and no exact small counts) for anyone who may not edit
            st.info("Sign in as an editor to change this activity.", icon=":material/lock:")
            st.markdown("**Change history** (newest first)")
            st.dataframe(tables.history_table(store.history(chosen), public=True), hide_index=True, width="stretch")
            chosen = None
        if chosen:
            state = st.session_state
            base = edit_session.base_for(state, chosen, store)
            st.caption(
                f"Editing version {base['version']}. If someone saves a change first, you will see both versions; "
                "nothing is overwritten."
            )
            with st.form(f"edit_{chosen}_{base['version']}"):
                changes = activity_form(f"edit_{chosen[:8]}_{base['version']}", base["values"])
                saved = st.form_submit_button("Save changes", icon=":material/save:", type="primary")
            if saved and (editor := editor_for("edit")):
                try:
                    if edit_session.save(state, store, chosen, changes, editor=editor):
                        st.rerun()
                except ValidationError as exc:
                    show_issues(exc.issues, heading=f"Not saved: {len(exc.issues)} problem(s) to fix.")
                except NotFoundError as exc:
                    st.error(plain(str(exc)))
            if conflict := edit_session.conflict_for(state, chosen):
                st.error(conflict["message"], icon=":material/sync_problem:")
                try:
                    theirs = store.get(chosen)
                except NotFoundError:
                    st.warning("The activity has since been deleted.")
                else:
                    st.markdown(
                        f"**Your version** (from version {base['version']}) and **the register now** "
                        f"(version {theirs.version}):"
                    )
                    st.dataframe(
                        tables.conflict_table(conflict["mine"], theirs, ward_names=ward_names),
                        hide_index=True,
                        width="stretch",
                    )
                    if st.button(
                        "Reload the register's version (then reapply your change)",
                        key="edit_reload",
                        icon=":material/refresh:",
                    ):
                        edit_session.reload(state, theirs)
                        st.rerun()
            if message := edit_session.pop_message(state):
                st.success(message, icon=":material/check_circle:")

            with st.expander("Delete this activity"):
                sure = st.checkbox("Yes, delete it (the change history keeps a copy)", key=f"delete_sure_{chosen}")
                if st.button("Delete", key="delete_activity", disabled=not sure, icon=":material/delete:") and (
                    editor := editor_for("delete")
                ):
                    try:
                        edit_session.delete(state, store, chosen, editor=editor)
                        st.rerun()
                    except NotFoundError as exc:
                        st.error(plain(str(exc)))
            st.markdown("**Change history** (newest first)")
            st.dataframe(tables.history_table(store.history(chosen), public=public), hide_index=True, width="stretch")

# --- import --------------------------------------------------------------------------------------------
with tab_import:
    st.markdown(
        "Upload a CSV or Excel file in the template's columns (see *Export and template*). Every row is checked first; "
        "the file is imported in one go, **only when no row has a problem**."
    )
    importing = _sign_in.register_access("import")
    if not importing.allowed:  # no upload (and no work on one) for anyone who may not import
        st.info(importing.reason or "Sign in as an editor to import a file.", icon=":material/lock:")
    upload = (
        st.file_uploader("CSV or Excel (.xlsx) file", type=["csv", "xlsx"], key="import_upload")
        if importing.allowed
        else None
    )
    if upload is not None:
        digest = hashlib.sha256(upload.getvalue()).hexdigest()
        cached = st.session_state.get("import_preview")
        if cached and cached[0] == digest:  # parsed once per file, not on every rerun
            preview = cached[1]
        else:
            preview = store.preview_import(upload, filename=upload.name)
            st.session_state["import_preview"] = (digest, preview)
        already = st.session_state.get("imported_digest") == digest
        if preview.ok:
            st.success(f"Preview: {preview.summary()}.", icon=":material/fact_check:")
        else:
            st.error(f"Preview: {preview.summary()}", icon=":material/error:")
        if preview.issues:
            st.dataframe(tables.issues_table(preview.issues), hide_index=True, width="stretch", key="import_issues")
        if already:
            st.info("This file has just been imported. Upload it again after making changes.")
        allowed = importing.allowed
        if st.button(
            "Import",
            key="import_go",
            type="primary",
            disabled=not (preview.ok and allowed) or already,
            icon=":material/upload:",
        ):
            editor = editor_for("import")
            if editor:
                try:
                    result = store.import_file(upload, editor=editor, filename=upload.name)
                except ImportRefused as exc:
                    show_issues(exc.preview.issues, heading=exc.preview.summary())
                else:
                    st.session_state["imported_digest"] = digest
                    st.session_state.pop("import_preview", None)
                    st.session_state["import_message"] = (
                        f"Imported: {result.created} added, {result.updated} updated, {result.unchanged} unchanged; "
                        f"the register now holds {store.count()} activities."
                    )
                    log.info("import by %s: %s", editor, st.session_state["import_message"])
                    st.rerun()
    if message := st.session_state.pop("import_message", None):
        st.success(message, icon=":material/check_circle:")

# --- export and template -------------------------------------------------------------------------------
with tab_export:
    st.markdown(
        f"Export the **{len(table)} activities matching the filters** on the *Activities* tab. The file has the "
        "template's "
        "columns, so it can be edited and imported again (keep record_id and version)."
    )
    c1, c2 = st.columns(2)
    if public:
        st.caption(disclosure.note())
    exports = (
        (c1, "csv", "Download CSV", "text/csv"),
        (c2, "xlsx", "Download Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    for column, kind, label, mime in exports:
        with column:  # built on click only; an editor's exact export is gone from /media soon after (_downloads)
            _downloads.private_download_button(
                label,
                lambda kind=kind: store.export_bytes(kind, public=public, **filters),
                file_name=f"partner_activities.{kind}",
                mime=mime,
                key=f"export_{kind}",
                icon=":material/download:",
            )
    st.header("Template")
    template = settings.template_path()
    notes = template.with_name("partner_activity_template_notes.md")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download the template (CSV)",
        data=template.read_bytes(),
        file_name=template.name,
        mime="text/csv",
        key="template_csv",
        icon=":material/download:",
    )
    if notes.exists():
        c2.download_button(
            "Download the column notes",
            data=notes.read_bytes(),
            file_name=notes.name,
            mime="text/markdown",
            key="template_notes",
            icon=":material/download:",
        )
        with st.expander("Column notes"):
            st.markdown(notes.read_text(encoding="utf-8"))
