"""Every text a page hands to Streamlit's Markdown is made of constants, numbers and text passed
through ``plain`` (issue 15, item 10, the class): a scan of workbench/ui's source.

Streamlit renders Markdown in st.markdown, captions, titles, headers, the alert boxes, st.write,
expander and tab labels, metric labels and every widget label (links, images, colour
directives; HTML where allowed). A user's or a file's text in one of them — an area or place
name, an action, a header cell, an error message that quotes a file — is shown as Markdown
unless it goes through ``plain`` (workbench/ui/text_sv.py). The scan flags each interpolated
value that is not a constant, a number, a date with a format, or ``plain(…)``; the values
that are safe for another reason are listed below with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "workbench" / "ui"

SINKS = {"markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
         "write", "expander", "tabs", "toast", "popover", "metric", "checkbox", "toggle", "button",
         "form_submit_button", "download_button", "radio", "selectbox", "multiselect", "text_input",
         "text_area", "number_input", "date_input", "slider", "select_slider", "page_link", "status"}
ESCAPING = {"plain", "escape", "html_text", "tooltip_text"}
# Functions and methods whose result is a number, a formatted number or a date, or a label the
# code makes (never a user's text): workbench/numbers.py (nf.*), Numbers (n, show), Period.
NUMERIC = {"len", "int", "sum", "min", "max", "round", "abs", "float", "show", "n", "count_label",
           "metric_delta", "label", "name", "compared_with", "p_value", "decimal", "integer", "percent",
           "change", "label_sv", "_count", "trend_label", "counts", "_date", "level_badge", "upper",
           "suppressed_label", "week_label", "when_text", "lower", "observation_count"}
# Values safe for a reason the scan cannot see: (file, source of the expression) → why.
ALLOWED = {
    ("app.py", "T.DATABASE_ERROR.format(kind=type(exc).__name__)"): "an exception class name",
    ("app_pages/atgarder.py", "scope.role_label"): "a role's label from workbench/roles.py",
    ("app_pages/est_mote.py", "scope.role_label"): "a role's label from workbench/roles.py",
    ("app_pages/est_mote.py", "snapshot['period']['label']"): "a period label made by Period.label()",
    ("app_pages/est_mote.py", "snapshot['previous_label']"): "a period name made by Period.name()",
    ("app_pages/est_mote.py", "snapshot['last_year_label']"): "a period name made by Period.name()",
    ("app_pages/est_mote.py", "settings.min_count"): "an integer setting",
    ("app_pages/est_mote.py", "snapshot['open_actions']"): "a count",
    ("app_pages/est_mote.py", "snapshot['overdue_actions']"): "a count",
    ("app_pages/est_mote.py", "index"): "a position in the agenda",
    ("agreement_editor.py", "notice"): "_set's message (checked at each _set call above)",
    ("agreement_editor.py", "lines"): "focus area titles and commitments through plain()",
    ("agreement_editor.py", "index"): "a position",
    ("agreement_editor.py", "label"): "_area_choice's label: a constant at each call", ("agreement_editor.py", "first"): "a row number",
    ("agreement_editor.py", "last"): "a row number", ("agreement_editor.py", "at"): "a position",
    ("app_pages/importera.py", "n"): "a count per kommun",
    ("app_pages/importera.py", "label"): "'Importera N iakttagelser': a count",
    ("app_pages/importera.py", "rows_label"): "'N rader': a count",
    ("app_pages/platser.py", "label"): "TRIANGLE's constant labels",
    ("app_pages/platser.py", "result.verdict_sv(show)"): "a verdict the code words from counts",
    ("app_pages/samhallsplanering.py", "note"): "planning/area.py's notes: counts in fixed sentences",
    ("app_pages/samhallsplanering.py", "label"): "constant labels of the loop",
    ("hotspot_detail.py", "lines"): "change labels the code words", ("hotspot_detail.py", "n_cell"): "a count",
    ("hotspot_detail.py", "cell_text(str(result.hotspot_class[chosen.cell_id]), show(n_cell), show(n_around))"):
        "a class name and counts", ("hotspot_detail.py", "chosen.lat"): "a number",
    ("hotspot_detail.py", "chosen.lon"): "a number",
    ("hotspots_over_time.py", "line"): "services/emerging.line_sv and near-repeat readouts: counts in fixed words",
    ("hotspots_over_time.py", "table.verdict_sv()"): "hotspots/near_repeat.py: counts in fixed words",
    ("hotspots_over_time.py", "warning"): "warnings_sv(): counts in fixed words",
    ("hotspots_over_time.py", "filters.period.end"): "a date", ("hotspots_over_time.py", "timedelta(days=int(horizon))"): "a date",
    ("hotspots_over_time.py", "CLASS_LABELS_SV[c]"): "a constant table",
    ("import_widgets.py", "(labels or T.FIELD_LABELS).get(f, f)"): "a field's constant label",
    ("import_widgets.py", "label"): "a field's constant label", ("import_widgets.py", "rows"): "row numbers",
    ("import_widgets.py", "n"): "a count per kommun",
    ("meeting_over_time.py", "line"): "built with plain() by line_for above",
    ("meeting_view.py", "t['meeting_date']"): "a date the store wrote",
    ("personal_data.py", "warning"): "anonymise/values.warning_text: field labels and kinds the code names",
    ("state.py", "label"): "download()'s label: a constant of each page",
    ("state.py", "said[1:]"): "Period.compared_with(): a period name the code makes",
    ("state.py", "st.session_state.pop(FLASH)"): "flash()'s message (checked at each flash call above)",
    ("app_pages/inrapportering.py", "week"): "a week number", ("app_pages/inrapportering.py", "label"): "a constant",
    ("app_pages/inrapportering.py", "levels[0]"): "a configured assessment level",
    ("app_pages/inrapportering.py", "levels[-1]"): "a configured assessment level",
    ("app_pages/inrapportering.py", "settings.min_count"): "an integer setting",
    ("app_pages/rapportera.py", "st.session_state.pop(FLASH)"): "flash()'s message (checked at each call)",
    ("app_pages/rapportera.py", "label"): "'Skicka rapporten (N observationer)': a count",
    ("app_pages/rapportera.py", "i"): "a position",
    ("app_pages/rapportera.py", "report_form.where_text(obs)"): "place and area through plain() (report_form.py)",
    ("app_pages/rapportera.py", "report_form.assessment_text(obs['assessment'], levels)"):
        "a number and a configured assessment level",
    ("observation_decisions.py", "status"): "a status constant of the code ('behandlad på EST-möte')",
    ("observation_decisions.py", "action_id"): "an id",
    ("report_feedback.py", "heading"): "report_form.week_label: a week and dates",
    ("report_feedback.py", "_observation_line(obs, levels)"): "every stored text through plain() (report_feedback.py)",
    ("report_form.py", "source"): "a constant ('i kartan', 'från din position')",
    ("report_form.py", "warning"): "anonymise/values.warning_text: field labels and kinds the code names",
    ("report_form.py", "st.session_state.pop(ERROR)"): "an error message put there through plain()",
    ("app_pages/atgarder.py", "action_id"): "an id", ("app_pages/atgarder.py", "v['due_date']"): "a date",
    ("app_pages/hotspots.py", "cell"): "the cell size, a number input",
    ("app_pages/hotspots.py", "T.CHANGE_HELP"): "a constant",
    ("app_pages/oversikt.py", "T.CHANGE_HELP"): "a constant",
    ("app_pages/oversikt.py", "verdict"): "situation.change_label: a verdict the code words",
    ("app_pages/oversikt.py", "where"): "a fixed phrase, or the organisation name through plain()",
    ("app_pages/oversikt.py", "T.NO_OWN_AREAS.format(role=filters.scope.role_label, "
                              "organisation=plain(filters.organisation))"): "role label, plain()",
    ("app_pages/importera.py", "min(len(parsed.frame), 500)"): "a count",
    ("app_pages/importera.py", "report.imported"): "a count", ("app_pages/importera.py", "report.duplicates"): "a count",
    ("app_pages/importera.py", "report.rejected"): "a count", ("app_pages/importera.py", "report.changed"): "a count",
    ("app_pages/importera.py", "report.updated"): "a count",
    ("app_pages/logg.py", "LIMIT"): "a constant",
    ("app_pages/rapporter.py", "HELP[kind]"): "a constant table",
    ("app_pages/samhallsplanering.py", "settings.min_count"): "an integer setting",
    ("app_pages/samhallsplanering.py", "row['version']"): "a plan's version number",
    ("app_pages/samhallsplanering.py", "buffer_m"): "a number input",
    ("app_pages/samhallsplanering.py", "version"): "a version number",
    ("app_pages/hotspots.py", "hotspot_detail.selection_label(st.session_state, settings.grid_size_m)"):
        "counts and constant labels; the one category label through plain() (hotspot_detail.py)",
    ("app_pages/atgarder.py", "earlier"): "an action id", ("app_pages/atgarder.py", "opened"): "a version number",
    ("app_pages/atgarder.py", "version"): "a version number",
    ("agreement_editor.py", "unsure"): "a count", ("agreement_editor.py", "UNSURE"): "a constant",
    ("agreement_follow_view.py", "missing"): "a count", ("agreement_follow_view.py", "opened"): "an action id",
    ("hotspot_detail.py", "chosen.cell_id"): "a cell number", ("hotspot_detail.py", "min_count"): "an integer",
    ("hotspot_detail.py", "reference_label"): "a period name the code makes",
    ("hotspot_detail.py", "titles[chosen.kind]"): "a constant table of section titles",
    ("hotspots_over_time.py", "STEP_LABELS_SV[step]"): "a constant table",
    ("hotspots_over_time.py", "first"): "a date", ("hotspots_over_time.py", "last"): "a date",
    ("hotspots_over_time.py", "chosen.start"): "a date", ("hotspots_over_time.py", "chosen.end"): "a date",
    ("hotspots_over_time.py", "cell"): "the cell size", ("hotspots_over_time.py", "hidden"): "a count",
    ("hotspots_over_time.py", "settings.min_count"): "an integer setting",
    ("hotspots_over_time.py", "filters.period.end + timedelta(days=int(horizon))"): "a date",
    ("profile_chart.py", "min_count"): "an integer",
    ("state.py", "period.days"): "a number of days",
    ("state.py", "T.ALWAYS_SUPPRESSED.format(role=scope.role_label, n=settings.min_count)"): "role label, integer",
    ("state.py", "title"): "the page's title, a constant of each page",
    ("meeting_view.py", "PRESENTATION_CSS"): "a constant style sheet (no user text)",
    ("app_pages/est_mote.py", "PRESENTATION_CSS if presentation else ''"): "a constant style sheet",
}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _unsafe(node: ast.expr | None) -> list[str]:  # noqa: C901 - still to split (issue 22, item 10)
    """Source of every value in ``node`` that may carry a user's text unescaped."""
    if node is None or isinstance(node, ast.Constant):
        return []
    if isinstance(node, ast.JoinedStr):
        return [u for v in node.values if isinstance(v, ast.FormattedValue) and v.format_spec is None
                for u in _unsafe(v.value)]
    if isinstance(node, ast.BinOp):
        return _unsafe(node.left) + _unsafe(node.right)
    if isinstance(node, ast.IfExp):
        return _unsafe(node.body) + _unsafe(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [u for v in node.values for u in _unsafe(v)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [u for v in node.elts for u in _unsafe(v)]
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)):
        return _unsafe(node.elt)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "T":
        return []  # workbench/ui/text_sv.py: Swedish constants
    if isinstance(node, ast.Name) and node.id.isupper():
        return []  # a module constant
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id.isupper():
        return []  # an entry of a constant table (SOURCE_LABELS_SV[source])
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Dict) and all(
            isinstance(v, ast.Constant) for v in node.value.values):
        return []  # an entry of a literal table of constants
    if isinstance(node, ast.Attribute) and node.attr.isupper():
        return []  # another module's constant (report_form.PHONE_CSS)
    if (isinstance(node, ast.Call) and _name(node.func) == "get" and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id.isupper()):
        return []  # SOURCE_LABELS_SV.get(source, …)
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name in ESCAPING:
            return []
        if name in ("join", "replace", "strip") and isinstance(node.func, ast.Attribute):
            return _unsafe(node.func.value) + [u for a in node.args for u in _unsafe(a)]
        if name == "format" and isinstance(node.func, ast.Attribute):
            return [ast.unparse(node)] if _unsafe(node.func.value) or any(
                _unsafe(k.value) for k in node.keywords) else []
        if name in NUMERIC or (isinstance(node.func, ast.Attribute) and _name(node.func.value) == "nf"):
            return []
    return [ast.unparse(node)]


# The app's own helpers that show their argument as Markdown (st.success after the rerun):
# name → position of the message.
HELPERS = {(None, "flash"): 0, ("agreement_editor.py", "_set"): 1}


def _stream(receiver: ast.expr) -> bool:
    """sys.stderr.write(…) and the like: a log line, not Streamlit."""
    return isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) and receiver.value.id == "sys"


def offenders(path: Path) -> list[str]:
    rel = path.relative_to(UI).as_posix()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        helper = HELPERS.get((rel, name), HELPERS.get((None, name)))
        if isinstance(node.func, ast.Name) and helper is not None:
            texts = node.args[helper:helper + 1]
        elif isinstance(node.func, ast.Attribute) and name in SINKS and not _stream(node.func.value):
            texts = node.args[:1] + [k.value for k in node.keywords if k.arg in ("label", "body")]
        else:
            continue
        for expr in texts:
            for source in _unsafe(expr):
                if (rel, source) not in ALLOWED:
                    found.append(f"{rel}:{node.lineno}: {name}(… {source} …)")
    return found


def test_no_unescaped_value_reaches_streamlit_markdown():
    found = [o for path in sorted(UI.rglob("*.py")) for o in offenders(path)]
    assert found == [], "\n".join(found)


def test_the_scan_sees_an_unescaped_name(tmp_path):
    bad = tmp_path / "ui" / "bad.py"
    bad.parent.mkdir()
    bad.write_text('st.caption(f"Plats {name}")\nst.markdown("**" + area + "**")\nst.error(str(exc))\n'
                   'st.tabs([area_name, "Ny"])\nst.expander(f"{len(x)} av {plain(name)}")\n'
                   'c1.metric(label, 3)\nst.checkbox(f"Visa {place}")\nsys.stderr.write(f"{name}")\n', encoding="utf-8")
    global UI
    saved, UI = UI, bad.parent
    try:
        assert [o.split(": ", 1)[1] for o in offenders(bad)] == [
            "caption(… name …)", "markdown(… area …)", "error(… str(exc) …)", "tabs(… area_name …)",
            "metric(… label …)", "checkbox(… place …)"]
    finally:
        UI = saved
