"""Split agreement text into classified lines: blank, rule, heading, bullet, plain, table."""

from __future__ import annotations

import re
from dataclasses import dataclass

BLANK, RULE, HEADING, BULLET, PLAIN, TABLE = "blank", "rule", "heading", "bullet", "plain", "table"

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-•*–·▪●◦‣➢►]|\(?\d{1,2}[.)]|[a-z]\))\s+(\S.*)$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*(:?)\s*$")
_TAG = re.compile(r"<[^<>]{0,200}>")
_MARKUP = re.compile(r"\*\*|__")


def clean(text: str) -> str:
    """Text without Markdown emphasis or HTML tags, on one line with single spaces.

    >>> clean("### **Marks kommun förbinder sig att:**  ")
    '### Marks kommun förbinder sig att:'
    """
    return " ".join(_MARKUP.sub("", _TAG.sub("", text)).split())


@dataclass(frozen=True)
class Line:
    """One line of the document: its kind, cleaned text, heading level, and whether it was bold."""

    index: int
    raw: str
    kind: str
    text: str
    level: int = 0
    bold: bool = False


def normalise_newlines(text: str) -> str:
    """Unix newlines, no BOM, no-break spaces as spaces, no other control characters."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch >= " ")


def classify(text: str, table_rows: frozenset[int] = frozenset()) -> list[Line]:
    """One Line per line of ``text``; indices in ``table_rows`` are marked as table lines.

    >>> [(line.kind, line.text) for line in classify("## Skapa trygga miljöer\\n\\n• Klotter")]
    [('heading', 'Skapa trygga miljöer'), ('blank', ''), ('bullet', 'Klotter')]
    """
    lines: list[Line] = []
    for index, raw in enumerate(text.split("\n")):
        if index in table_rows:
            lines.append(Line(index, raw, TABLE, clean(raw)))
            continue
        if not raw.strip():
            lines.append(Line(index, raw, BLANK, ""))
            continue
        if _RULE.match(raw):
            lines.append(Line(index, raw, RULE, ""))
            continue
        heading = _HEADING.match(raw)
        if heading:
            lines.append(Line(index, raw, HEADING, clean(heading.group(2)),
                              level=len(heading.group(1))))
            continue
        bold = _BOLD_LINE.match(raw.strip())
        if bold:
            lines.append(Line(index, raw, PLAIN, clean(bold.group(1)) + bold.group(2), bold=True))
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            lines.append(Line(index, raw, BULLET, clean(bullet.group(2))))
            continue
        lines.append(Line(index, raw, PLAIN, clean(raw)))
    return lines
