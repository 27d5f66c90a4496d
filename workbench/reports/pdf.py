"""Render a Document as an A4 PDF with fpdf2 and the DejaVu Sans font bundled with matplotlib."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import cast

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from workbench.reports.document import (
    Block,
    Bullets,
    Document,
    Figure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
)

FONT = "DejaVu"
_MARGIN = 18.0
_MIN_SPACE_FOR_SECTION = 40.0
_KEY_FIGURE_HEIGHT = 26.0
_TEXT = (17, 17, 17)
_MUTED = (85, 85, 85)
_RULE = (170, 170, 170)
_HEAD_FILL = (230, 230, 230)
_ALERT = (139, 0, 0)


def _font_dir() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _footers(pdf: FPDF, footer: str) -> None:
    """The document footer left and 'Sida N av M' right on every page, once M is known."""
    total = pdf.pages_count
    pdf.set_auto_page_break(False)
    for number in range(1, total + 1):
        pdf.page = number
        # fpdf2 thinks the font last set is still active on this page: select another first, so
        # the footer's font is written into this page's content stream.
        pdf.set_font(FONT, "B", 8)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*_MUTED)
        page = f"Sida {number} av {total}"
        page_w = pdf.get_string_width(page) + 2
        left_w = pdf.epw - page_w
        text = footer.replace("\n", " ")
        if text and (width := pdf.get_string_width(text)) > left_w - 2:
            text = text[:int(len(text) * (left_w - 2) / width) + 1]
            while text and pdf.get_string_width(text + "…") > left_w - 2:
                text = text[:-1]
            text += "…"
        pdf.set_xy(pdf.l_margin, pdf.h - 12)
        pdf.cell(left_w, 5, text, align="L")
        pdf.cell(page_w, 5, page, align="R")
    pdf.page = total


def _new_pdf(doc: Document) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    fonts = _font_dir()
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FONT, "I", str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=_MARGIN)
    pdf.alias_nb_pages(None)  # type: ignore[arg-type]  # fpdf2 documents None (off) but types str; page totals are written last (see _footers): '{nb}' stays text
    pdf.set_title(doc.title)
    pdf.set_lang("sv")
    pdf.set_creator("EST-verktyget")
    pdf.set_text_color(*_TEXT)
    return pdf


def _text(pdf: FPDF, text: str, size: float, style: str = "",
          colour: tuple[int, int, int] = _TEXT, gap: float = 1.5, line: float = 1.4) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(pdf.epw, size * 0.3528 * line, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(*_TEXT)
    if gap:
        pdf.ln(gap)


def _header(pdf: FPDF, doc: Document) -> None:
    if doc.classification:
        pdf.set_font(FONT, "B", 10)
        pdf.set_draw_color(*_ALERT)
        pdf.set_text_color(*_ALERT)
        pdf.set_line_width(0.6)
        pdf.multi_cell(pdf.epw, 7, doc.classification, border=1, align="C", padding=1,
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_line_width(0.2)
        pdf.set_text_color(*_TEXT)
        pdf.ln(4)
    _text(pdf, doc.title, 20, "B", gap=1)
    if doc.subtitle:
        _text(pdf, doc.subtitle, 13, colour=(51, 51, 51), gap=2)
    pdf.set_font(FONT, "B", 9.5)
    label_w = min(max((pdf.get_string_width(f"{k}:") for k, _ in doc.meta), default=0) + 3,
                  pdf.epw * 0.4)
    for label, value in doc.meta:
        pdf.set_font(FONT, "B", 9.5)
        if _space_left(pdf) < 12:
            pdf.add_page()
        top = pdf.y
        pdf.set_x(pdf.l_margin)
        label_h = pdf.multi_cell(label_w, 5, f"{label}:", new_x="RIGHT", new_y="TOP",
                                 output="HEIGHT")
        pdf.set_font(FONT, "", 9.5)
        value_h = pdf.multi_cell(pdf.epw - label_w, 5, value, new_x="LMARGIN", new_y="TOP",
                                 output="HEIGHT")
        pdf.set_xy(pdf.l_margin, top + max(cast(float, label_h), cast(float, value_h)))
    pdf.ln(2)
    pdf.set_draw_color(34, 34, 34)
    pdf.set_line_width(0.5)
    pdf.line(pdf.l_margin, pdf.y, pdf.l_margin + pdf.epw, pdf.y)
    pdf.set_line_width(0.2)
    pdf.ln(5)


def _space_left(pdf: FPDF) -> float:
    return pdf.page_break_trigger - pdf.y


def _heading(pdf: FPDF, section: Section) -> None:
    """The heading, on a new page unless it and the start of its first block fit on this one."""
    first = section.blocks[0] if section.blocks else None
    need = _MIN_SPACE_FOR_SECTION if section.level <= 2 else _MIN_SPACE_FOR_SECTION / 2
    if isinstance(first, Figure):
        need = max(need, 14 + sum(_figure_size(pdf, first)[1:]))
    elif isinstance(first, KeyFigures):
        need = max(need, 14 + _KEY_FIGURE_HEIGHT)
    if (section.new_page or _space_left(pdf) < need) and pdf.y > pdf.t_margin + 1:
        pdf.add_page()
    elif pdf.y > pdf.t_margin + 1:
        pdf.ln(3 if section.level <= 2 else 1.5)
    if section.level <= 2:
        _text(pdf, section.heading, 15, "B", gap=0)
        pdf.set_draw_color(*_RULE)
        pdf.line(pdf.l_margin, pdf.y + 0.5, pdf.l_margin + pdf.epw, pdf.y + 0.5)
        pdf.ln(3)
    else:
        _text(pdf, section.heading, 12, "B", gap=1)


def _bullets(pdf: FPDF, block: Bullets) -> None:
    pdf.set_font(FONT, "", 10)
    for item in block.items:
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(5, 5.2, "•")
        pdf.multi_cell(pdf.epw - 7, 5.2, item, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _fit(pdf: FPDF, text: str, width: float, max_lines: int) -> str:
    """``text`` cut to the first ``max_lines`` lines it wraps to in ``width`` (current font)."""
    lines = cast(list[str], pdf.multi_cell(width, 4, text, dry_run=True, output="LINES"))
    if len(lines) <= max_lines:
        return text
    kept = " ".join(line.strip() for line in lines[:max_lines])
    return kept[:-2] + "…"


def _key_figures(pdf: FPDF, block: KeyFigures) -> None:
    figures = list(block.figures)
    per_row, gap, box_h = min(4, max(3, len(figures))), 3.0, _KEY_FIGURE_HEIGHT
    box_w = (pdf.epw - gap * (per_row - 1)) / per_row
    for start in range(0, len(figures), per_row):
        if _space_left(pdf) < box_h + 2:
            pdf.add_page()
        top = pdf.y
        pdf.set_draw_color(*_RULE)
        for i, fig in enumerate(figures[start:start + per_row]):
            x = pdf.l_margin + i * (box_w + gap)
            pdf.rect(x, top, box_w, box_h)
            pdf.set_xy(x + 2, top + 2)
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(51, 51, 51)
            pdf.multi_cell(box_w - 4, 3.6, _fit(pdf, fig.label, box_w - 4, 2))
            size = 16.0
            pdf.set_font(FONT, "B", size)
            while size > 9 and pdf.get_string_width(fig.value) > box_w - 4 - 2 * pdf.c_margin:
                size -= 1
                pdf.set_font_size(size)
            pdf.set_xy(x + 2, top + 10)
            pdf.set_text_color(*_TEXT)
            pdf.multi_cell(box_w - 4, 7, _fit(pdf, fig.value, box_w - 4, 1))
            if fig.note:
                pdf.set_xy(x + 2, top + 18)
                pdf.set_font(FONT, "", 7.5)
                pdf.set_text_color(*_MUTED)
                pdf.multi_cell(box_w - 4, 3.2, _fit(pdf, fig.note, box_w - 4, 2))
        pdf.set_text_color(*_TEXT)
        pdf.set_xy(pdf.l_margin, top + box_h + 3)


def _table(pdf: FPDF, block: Table) -> None:
    if not block.columns:
        return
    if block.caption:
        if _space_left(pdf) < 25:
            pdf.add_page()
        _text(pdf, block.caption, 9.5, "B", gap=1)
    n = len(block.columns)
    align = tuple("RIGHT" if i in block.numeric else "LEFT" for i in range(n))
    widths = block.widths if len(block.widths) == n and sum(block.widths) > 0 else (1,) * n
    text_w = [pdf.epw * w / sum(widths) - 3.2 for w in widths]  # less the cell padding
    line_h = 4.4
    max_lines = int((pdf.page_break_trigger - pdf.t_margin) / line_h) - 8  # a row fits a page
    pdf.set_font(FONT, "", 8.5)
    pdf.set_draw_color(*_RULE)
    style = FontFace(family=FONT, emphasis="BOLD", fill_color=_HEAD_FILL)
    with pdf.table(col_widths=widths, text_align=align, headings_style=style,
                   line_height=line_h, padding=(1, 1.5), repeat_headings=1, markdown=False,
                   width=pdf.epw, v_align="TOP") as table:
        for r, row in enumerate((block.columns, *block.rows)):
            cells = table.row()
            for value, width in zip(row, text_w, strict=True):
                cells.cell(_fit(pdf, str(value), width, 6 if r == 0 else max_lines))
    pdf.ln(3)


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) >= 24:
        width, height = struct.unpack(">II", png[16:24])
        if width and height:
            return width, height
    from PIL import Image  # not a PNG header we can read: let Pillow work it out

    with Image.open(io.BytesIO(png)) as image:
        return image.size


def _figure_size(pdf: FPDF, block: Figure) -> tuple[float, float, float]:
    """(width, height, caption height) in mm, shrunk to fit on one page."""
    px_w, px_h = _png_size(block.png)
    width = min(block.width_mm, pdf.epw)
    height = width * px_h / px_w
    caption_h = 10.0 if block.caption else 2.0
    usable = pdf.page_break_trigger - pdf.t_margin
    if height + caption_h > usable:  # taller than a page: shrink to fit
        height = usable - caption_h
        width = height * px_w / px_h
    return width, height, caption_h


MIN_FIGURE_SCALE = 0.6  # a chart is shrunk this far to stay on the page rather than stand alone


def _figure(pdf: FPDF, block: Figure) -> None:
    width, height, caption_h = _figure_size(pdf, block)
    if _space_left(pdf) < height + caption_h:
        # shrink it into the space left when that keeps it readable: a chart moved on by itself
        # leaves a half-empty page behind and a page holding one lone chart
        scale = (_space_left(pdf) - caption_h) / height
        if scale >= MIN_FIGURE_SCALE:
            width, height = width * scale, height * scale
        else:
            pdf.add_page()
    x = pdf.l_margin + (pdf.epw - width) / 2
    pdf.image(io.BytesIO(block.png), x=x, y=pdf.y, w=width, h=height, alt_text=block.alt)
    pdf.set_y(pdf.y + height + 1.5)
    if block.caption:
        _text(pdf, block.caption, 8.5, "I", colour=_MUTED, gap=2)
    else:
        pdf.ln(2)


def _block(pdf: FPDF, block: Block) -> None:
    if isinstance(block, Paragraph):
        if block.muted:
            _text(pdf, block.text, 8.5, colour=_MUTED, gap=2)
        else:
            _text(pdf, block.text, 10, gap=2.5)
    elif isinstance(block, Bullets):
        _bullets(pdf, block)
    elif isinstance(block, KeyFigures):
        _key_figures(pdf, block)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Figure):
        _figure(pdf, block)
    else:
        raise TypeError(f"okänd blocktyp: {type(block).__name__}")


def render_pdf(doc: Document) -> bytes:
    """The document as PDF bytes (A4 portrait, Unicode text that can be extracted)."""
    pdf = _new_pdf(doc)
    pdf.add_page()
    _header(pdf, doc)
    for section in doc.sections:
        _heading(pdf, section)
        for block in section.blocks:
            _block(pdf, block)
    _footers(pdf, doc.footer)
    return bytes(pdf.output())
