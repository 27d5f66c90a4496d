"""A small document model: every report is built once as a Document, then rendered to HTML or PDF.

Builders put plain text in (never markup): the renderers escape it. Counts that may be small are
already suppressed by the builder (a table cell is the string the reader will see).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str
    muted: bool = False  # a caption or explanation in smaller, grey type


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class KeyFigure:
    """One big number with its label and a short note (e.g. the change against last period)."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class KeyFigures:
    figures: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class Table:
    """Columns and rows of plain text; ``numeric`` columns are right-aligned."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[int, ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths for PDF; empty = equal

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"tabellraden har {len(row)} celler men {len(self.columns)} kolumner")


@dataclass(frozen=True)
class Figure:
    """A PNG image (a chart or a static map) with its caption and a text alternative."""

    png: bytes
    caption: str
    alt: str
    width_mm: float = 170.0


Block = Paragraph | Bullets | KeyFigures | Table | Figure


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...] = ()
    level: int = 2  # 2 = section, 3 = subsection
    anchor: str = ""  # a stable id for the HTML (tests and links find sections by it)
    new_page: bool = False  # PDF: start the section on a new page (after a one-page summary)


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str = ""
    meta: tuple[tuple[str, str], ...] = ()  # (label, value) lines under the title
    sections: tuple[Section, ...] = field(default_factory=tuple)
    footer: str = ""  # printed on every PDF page and at the end of the HTML
    classification: str = ""  # e.g. "Delas endast inom EST-gruppen"; shown in the header

    def headings(self) -> list[str]:
        return [s.heading for s in self.sections]
