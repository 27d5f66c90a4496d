"""Render a Document as one standalone, escaped, print-friendly HTML5 page."""

from __future__ import annotations

import base64
import html
import re
import unicodedata

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

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, Helvetica, sans-serif; color: #111;
       background: #fff; line-height: 1.5; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
header { border-bottom: 2px solid #222; margin-bottom: 1.5rem; padding-bottom: 1rem; }
h1 { font-size: 1.9rem; margin: 0.4rem 0 0.2rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid #bbb;
     padding-bottom: 0.2rem; }
h3 { font-size: 1.15rem; margin: 1.4rem 0 0.4rem; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
.subtitle { font-size: 1.15rem; color: #333; margin: 0 0 0.6rem; }
.classification { display: inline-block; border: 2px solid #8b0000; color: #8b0000;
                  font-weight: bold; padding: 0.2rem 0.6rem; letter-spacing: 0.02em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem;
          margin: 0.6rem 0 0; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
nav.toc { border: 1px solid #ccc; padding: 0.6rem 1rem; margin-bottom: 1.5rem; }
nav.toc h2 { font-size: 1.05rem; border: 0; margin: 0 0 0.3rem; }
nav.toc ol { margin: 0; padding-left: 1.4rem; }
a { color: #0b4f8a; }
p.muted { color: #555; font-size: 0.9rem; }
.key-figures { display: flex; flex-wrap: wrap; gap: 0.8rem; margin: 0.8rem 0; }
.key-figure { flex: 1 1 10rem; border: 1px solid #bbb; border-radius: 4px; padding: 0.6rem 0.8rem;
              break-inside: avoid; page-break-inside: avoid; }
.key-figure .label { font-size: 0.85rem; color: #333; }
.key-figure .value { font-size: 1.8rem; font-weight: bold; line-height: 1.2; }
.key-figure .note { font-size: 0.8rem; color: #555; }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0; font-size: 0.9rem; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left;
         vertical-align: top; }
thead th { background: #e6e6e6; }
thead { display: table-header-group; }
tr, figure, img { break-inside: avoid; page-break-inside: avoid; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; display: block; border: 1px solid #ddd; }
figcaption { font-size: 0.85rem; color: #444; margin-top: 0.3rem; }
footer { border-top: 1px solid #bbb; margin-top: 2.5rem; padding-top: 0.6rem; font-size: 0.85rem;
         color: #444; }
@page { size: A4; margin: 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav.toc { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def slugify(text: str) -> str:
    """A lowercase ASCII id for ``text`` ('Kartläggning – Norrby' → 'kartlaggning-norrby')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "avsnitt"


def section_ids(sections: tuple[Section, ...]) -> list[str]:
    """A unique id for each section: its anchor, or a slug of its heading."""
    seen: set[str] = set()
    ids: list[str] = []
    for section in sections:
        anchor = section.anchor.strip()
        usable = anchor and not re.search(r"\s", anchor)
        base = anchor if usable else slugify(anchor or section.heading)
        candidate, n = base, 2
        while candidate in seen:
            candidate, n = f"{base}-{n}", n + 1
        seen.add(candidate)
        ids.append(candidate)
    return ids


def _table(table: Table) -> str:
    numeric = set(table.numeric)

    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    parts = ["<table>"]
    if table.caption:
        parts.append(f"<caption>{_e(table.caption)}</caption>")
    if len(table.widths) == len(table.columns) and sum(table.widths) > 0:
        total = sum(table.widths)
        parts.append("<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">'
                                            for w in table.widths) + "</colgroup>")
    head = "".join(f'<th scope="col"{cls(i)}>{_e(c)}</th>' for i, c in enumerate(table.columns))
    parts.append(f"<thead><tr>{head}</tr></thead><tbody>")
    for row in table.rows:
        cells = "".join(f"<td{cls(i)}>{_e(c)}</td>" for i, c in enumerate(row))
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def _figure(figure: Figure) -> str:
    data = base64.b64encode(figure.png).decode("ascii")
    caption = f"<figcaption>{_e(figure.caption)}</figcaption>" if figure.caption else ""
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_e(figure.alt)}" '
            f'style="width:{figure.width_mm:.0f}mm">{caption}</figure>')


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        css = ' class="muted"' if block.muted else ""
        return f"<p{css}>{_e(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, KeyFigures):
        cards = []
        for fig in block.figures:
            note = f'<div class="note">{_e(fig.note)}</div>' if fig.note else ""
            cards.append(f'<div class="key-figure"><div class="label">{_e(fig.label)}</div>'
                         f'<div class="value">{_e(fig.value)}</div>{note}</div>')
        return '<div class="key-figures">' + "".join(cards) + "</div>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block)
    raise TypeError(f"okänd blocktyp: {type(block).__name__}")


def _header(doc: Document) -> str:
    parts = ["<header>"]
    if doc.classification:
        parts.append(f'<div class="classification" role="note">{_e(doc.classification)}</div>')
    parts.append(f"<h1>{_e(doc.title)}</h1>")
    if doc.subtitle:
        parts.append(f'<p class="subtitle">{_e(doc.subtitle)}</p>')
    if doc.meta:
        items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in doc.meta)
        parts.append(f'<dl class="meta">{items}</dl>')
    parts.append("</header>")
    return "\n".join(parts)


def _toc(doc: Document, ids: list[str]) -> str:
    links = [f'<li><a href="#{_e(sid)}">{_e(s.heading)}</a></li>'
             for s, sid in zip(doc.sections, ids, strict=True) if s.level <= 2]
    if not links:
        return ""
    return ('<nav class="toc" aria-label="Innehåll"><h2>Innehåll</h2><ol>'
            + "".join(links) + "</ol></nav>")


def render_html(doc: Document) -> str:
    """The document as a complete HTML5 page with no external resources."""
    ids = section_ids(doc.sections)
    body = [_header(doc), _toc(doc, ids), "<main>"]
    for section, sid in zip(doc.sections, ids, strict=True):
        tag = "h3" if section.level >= 3 else "h2"
        page = ' style="break-before: page"' if section.new_page else ""
        body.append(f'<section id="{_e(sid)}"{page}>\n<{tag}>{_e(section.heading)}</{tag}>')
        body.extend(_block(block) for block in section.blocks)
        body.append("</section>")
    body.append("</main>")
    if doc.footer:
        body.append(f"<footer>{_e(doc.footer)}</footer>")
    return ("<!doctype html>\n"
            '<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
            # nothing in a report may run or load: a later escaping mistake stays harmless
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            'img-src data:; style-src \'unsafe-inline\'">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(doc.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(part for part in body if part)
            + "\n</body>\n</html>\n")
