"""Safe rendering and safe SQL: user text never renders as HTML/Markdown; SQL only with bound
parameters. The scans read the source (AST), so a new page that breaks a rule fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard.core.safe_text import plain, plain_inline

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = REPO / "dashboard"

# Register fields: text typed by partners or editors (ward names are official ONS names, not here).
# Showing any of them through a call that
# renders Markdown/HTML needs plain(...).
REGISTER_FIELDS = {
    "organisation",
    "title",
    "description",
    "contact_role",
    "updated_by",
    "editor",
    "postcode",
    "themes",
    "activity_type",
    "reach_unit",
    "reach_period",
    "record_id",
}
MARKDOWN_CALLS = {
    "markdown",
    "write",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "title",
    "header",
    "subheader",
    "expander",
    "tabs",
    "button",
    "download_button",
}
SAFE_WRAPPERS = {"plain", "plain_inline", "len", "int", "float", "round"}
# Allowlist of findings judged safe, keyed "relative/path.py: <source line stripped>" with the reason.
# Only static text or values that never come from users belong here.
ALLOWLIST: dict[str, str] = {}
# Static HTML allowed with unsafe_allow_html=True: "relative/path.py:NAME" -> why. NAME must be a
# module-level constant bound once to a plain string literal (checked below), never built at run time.
STATIC_HTML: dict[str, str] = {
    "dashboard/app_pages/_present.py:PRESENT_CSS": "presentation-mode CSS that hides the sidebar; no user text",
    "dashboard/app_pages/_style.py:APP_CSS": "the app's accessibility CSS (contrast, focus outline); no user text",
}


def _static_constants(tree: ast.Module) -> set[str]:
    """Module-level names assigned exactly once, to a plain string literal."""
    counts: dict[str, int] = {}
    literal: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    counts[t.id] = counts.get(t.id, 0) + 1
                    if node in tree.body and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                        literal.add(t.id)
    return {name for name in literal if counts[name] == 1}


def _python_files(root: Path):
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _names_in(node: ast.AST) -> set[str]:
    """Identifiers, attribute names and constant subscript keys used in an expression, skipping
    anything inside a safe wrapper call."""
    found: set[str] = set()

    def visit(n: ast.AST) -> None:
        if isinstance(n, ast.Call) and isinstance(n.func, (ast.Name, ast.Attribute)):
            name = n.func.id if isinstance(n.func, ast.Name) else n.func.attr
            if name in SAFE_WRAPPERS:
                return
        if isinstance(n, ast.Name):
            found.add(n.id)
        elif isinstance(n, ast.Attribute):
            found.add(n.attr)
        elif isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str):
            found.add(n.slice.value)
        for child in ast.iter_child_nodes(n):
            visit(child)

    visit(node)
    return found


def _interpolated(arg: ast.AST) -> list[ast.AST]:
    """The expressions interpolated into a string argument (f-string, .format, %, +) or the
    argument itself when it is not a literal."""
    if isinstance(arg, ast.Constant):
        return []
    if isinstance(arg, ast.JoinedStr):
        return [v.value for v in arg.values if isinstance(v, ast.FormattedValue)]
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format":
        return list(arg.args) + [k.value for k in arg.keywords]
    if isinstance(arg, ast.BinOp):
        return _interpolated(arg.left) + _interpolated(arg.right)
    return [arg]


def rendering_findings(root: Path = DASHBOARD) -> list[str]:
    out = []
    for path in _python_files(root):
        rel = path.relative_to(REPO).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _static_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            where = f"{rel}: {lines[node.lineno - 1].strip()}"
            for kw in node.keywords:
                if kw.arg == "unsafe_allow_html" and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    body = node.args[0] if node.args else None
                    if isinstance(body, ast.Name) and body.id in constants and f"{rel}:{body.id}" in STATIC_HTML:
                        continue
                    out.append(f"{where}  [unsafe_allow_html]")
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "html":
                out.append(f"{where}  [html()]")
            if (
                isinstance(func, ast.Attribute)
                and func.attr in MARKDOWN_CALLS
                and isinstance(func.value, ast.Name)
                and func.value.id in {"st", "col", "container", "sidebar", "tab", "expander"}
            ):
                for arg in list(node.args[:1]) + [k.value for k in node.keywords if k.arg in ("body", "label")]:
                    used = set().union(*(_names_in(e) for e in _interpolated(arg))) if _interpolated(arg) else set()
                    if used & REGISTER_FIELDS:
                        out.append(f"{where}  [register field {sorted(used & REGISTER_FIELDS)} without plain()]")
    return [f for f in out if f.split("  [")[0] not in ALLOWLIST]


def test_no_unsafe_html_or_unescaped_register_text_in_the_dashboard():
    findings = rendering_findings()
    assert not findings, (
        "user text must go through dashboard.core.safe_text.plain() and HTML must stay off:\n" + "\n".join(findings)
    )


def test_the_scan_catches_what_it_should(tmp_path):
    bad = tmp_path / "dashboard" / "page.py"
    bad.parent.mkdir()
    bad.write_text(
        "import streamlit as st\n"
        "st.markdown(f'**{a.title}**')\n"
        "st.markdown(row['description'], unsafe_allow_html=True)\n"
        "st.html('<b>x</b>')\n"
        "st.caption('By {}'.format(activity.organisation))\n"
        "st.markdown(f'**{plain(a.title)}**')\n"  # fine
        "st.markdown('static text')\n"  # fine
        "CSS = '<style>x</style>'\n"
        "st.markdown(CSS, unsafe_allow_html=True)\n",  # static, but not in STATIC_HTML: flagged
        encoding="utf-8",
    )
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        findings = rendering_findings(tmp_path / "dashboard")
    finally:
        REPO = saved
    assert len(findings) == 6, findings  # title, description (x2: field + unsafe), html, organisation, CSS
    assert not any("plain(a.title)" in f for f in findings)


# --- SQL only through bound parameters --------------------------------------------------------
SQL_CALLS = {"text", "exec_driver_sql", "execute", "executescript"}


def _dynamic_string(arg: ast.AST) -> bool:
    if isinstance(arg, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in arg.values)
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format":
        return True
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, (ast.Mod, ast.Add)):
        return not (isinstance(arg.left, ast.Constant) and isinstance(arg.right, ast.Constant))
    if isinstance(arg, ast.IfExp):
        return _dynamic_string(arg.body) or _dynamic_string(arg.orelse)
    return False


def sql_findings(root: Path) -> list[str]:
    out = []
    for path in _python_files(root):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in SQL_CALLS and _dynamic_string(node.args[0]):
                    out.append(f"{path.name}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return out


def test_register_sql_uses_bound_parameters_only():
    findings = sql_findings(DASHBOARD / "register")
    assert not findings, "build SQL with SQLAlchemy expressions or bound parameters:\n" + "\n".join(findings)


def test_the_sql_scan_catches_string_building(tmp_path):
    (tmp_path / "bad.py").write_text(
        "conn.execute(sa.text(f\"SELECT * FROM activity WHERE title = '{title}'\"))\n"
        "conn.execute(text('SELECT %s' % name))\n"
        "conn.exec_driver_sql('DELETE FROM x WHERE id = {}'.format(i))\n"
        "conn.execute(sa.text('SELECT * FROM activity WHERE title = :t'), {'t': title})\n",
        encoding="utf-8",
    )
    assert len(sql_findings(tmp_path)) == 3


# --- plain() ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        "**bold** _it_ `code`",
        "[click me](javascript:alert(1))",
        "# Heading",
        "$x^2$ and :red[colour] :material/home: :smile:",
        "| a | b |",
        "    indented code",
        "1. list\n- item\n> quote",
        "a\\*b",
        "Tom & Jerry's <club>",
        "right-to-left \u202eevil",
    ],
)
def test_plain_leaves_no_markup(text):
    out = plain(text)
    assert "<" not in out and ">" not in out
    # every Markdown special character is escaped by a backslash
    for match in re.finditer(r"[`*_\[\]()#|$:~]", out):
        assert out[match.start() - 1] == "\\", (text, out)
    assert "\u202e" not in out
    assert not out.startswith(" ")


def test_plain_keeps_the_words():
    assert plain("Tom & Jerry") == "Tom &amp; Jerry"
    assert plain("Walk (over 50s)") == r"Walk \(over 50s\)"
    assert plain(None) == "" and plain(float("nan")) == ""
    assert plain("line one\nline two") == "line one  \nline two"
    assert plain_inline("a\nb") == "a b"
    assert plain(12) == "12"
