"""Action tables (Orsak – Åtgärd – Ansvarig – Uppföljning), tab-separated or Markdown."""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.agreements.model import ActionRow

_TAG = re.compile(r"<[^<>]{0,200}>")
_MARKUP = re.compile(r"\*\*|__")
_SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$|^[-–—=_ ]*$")
_COLUMNS: dict[str, re.Pattern[str]] = {
    "cause": re.compile(r"^(?:orsak|orsaker|problem|problembild|bakomliggande orsak)\b"),
    "action": re.compile(r"^(?:åtgärd|åtgärder|insats|insatser|aktivitet|aktiviteter)\b"),
    "responsible": re.compile(r"^(?:ansvarig|ansvariga|ansvar)\b"),
    "follow_up": re.compile(r"^(?:uppföljning|uppföljs|uppföljning/mått|mått)\b"),
}


def clean_cell(cell: str) -> str:
    """A cell's text without HTML tags or Markdown emphasis, on one line with single spaces.

    >>> clean_cell("polisen- ( <b>Anette</b> )  BRÅ-gruppen")
    'polisen- ( Anette ) BRÅ-gruppen'
    """
    return " ".join(_MARKUP.sub("", _TAG.sub("", cell)).split())


def split_row(line: str) -> list[str] | None:
    """The cells of a table row (tabs, or Markdown pipes), or None when the line is no row."""
    if "\t" in line:
        return [clean_cell(cell) for cell in line.split("\t")]
    stripped = line.strip()
    if stripped.count("|") >= 2:
        inner = stripped[1:] if stripped.startswith("|") else stripped
        inner = inner[:-1] if inner.endswith("|") else inner
        return [clean_cell(cell) for cell in inner.split("|")]
    return None


def _header_columns(cells: Sequence[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        lowered = cell.lower().strip(" :.")
        for name, pattern in _COLUMNS.items():
            if name not in columns and pattern.match(lowered):
                columns[name] = index
                break
    if "action" in columns and ("responsible" in columns or "cause" in columns):
        return columns
    return None


def _cell(cells: Sequence[str], columns: dict[str, int], name: str) -> str:
    position = columns.get(name)
    return cells[position] if position is not None and position < len(cells) else ""


def _is_separator(cells: Sequence[str]) -> bool:
    return all(_SEPARATOR_CELL.match(cell) for cell in cells)


def parse_action_tables(lines: Sequence[str]) -> tuple[tuple[ActionRow, ...], frozenset[int]]:
    """All action rows, and the indices of the lines that belong to a table.

    A row with an empty Orsak continues the Orsak of the row above; blank lines inside a table
    are allowed; a row without an Åtgärd only sets the Orsak for the rows below it.

    >>> rows, used = parse_action_tables(["Orsak\\tÅtgärd\\tAnsvarig\\tUppföljning",
    ...     "Klotter\\tSanera inom 24 h\\tKommunen\\tAntal saneringar", "\\tPatrullera\\tPolisen\\t"])
    >>> [(r.cause, r.action, r.responsible) for r in rows]
    [('Klotter', 'Sanera inom 24 h', 'Kommunen'), ('Klotter', 'Patrullera', 'Polisen')]
    """
    rows: list[ActionRow] = []
    used: set[int] = set()
    index = 0
    while index < len(lines):
        cells = split_row(lines[index])
        columns = _header_columns(cells) if cells else None
        if columns is None:
            index += 1
            continue
        used.add(index)
        cause = ""
        index += 1
        while index < len(lines):
            line = lines[index]
            if not line.strip():
                following = next((j for j in range(index, len(lines)) if lines[j].strip()), None)
                if following is None or split_row(lines[following]) is None:
                    break
                used.add(index)
                index += 1
                continue
            cells = split_row(line)
            if cells is None or _header_columns(cells) is not None:
                break
            used.add(index)
            index += 1
            if _is_separator(cells):
                continue
            values = {name: _cell(cells, columns, name) for name in _COLUMNS}
            if values["cause"]:
                cause = values["cause"]
            if values["action"]:
                rows.append(ActionRow(cause, values["action"], values["responsible"],
                                      values["follow_up"]))
    return tuple(rows), frozenset(used)
