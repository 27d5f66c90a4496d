"""Rendering of report documents to HTML and PDF, and the charts and static maps in them."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import MultiPolygon, Point, Polygon, box

from workbench import palette
from workbench.anonymise.suppress import suppressed_label
from workbench.reports import charts, static_map
from workbench.reports.document import (
    Bullets,
    Document,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
)
from workbench.reports.html import render_html
from workbench.reports.pdf import render_pdf

HOSTILE = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
LITERAL = "**fet** <b>x</b> __under__ {nb}"
AREAS = ("Hässleholmen", "Norrby", "Hulta", "Sjöbo", "Centrum")
COUNTS = (42, 2, 17, 0, 1234)


def _areas() -> gpd.GeoDataFrame:
    """Areas around Borås in SWEREF 99 TM, one with a hole and one a MultiPolygon."""
    holed = Polygon([(370000, 6398000), (374000, 6398000), (374000, 6402000), (370000, 6402000)],
                    [[(371000, 6399000), (372000, 6399000), (372000, 6400000),
                      (371000, 6400000)]])
    geometries = [box(370000, 6395000, 373000, 6398000), box(373000, 6395000, 376000, 6398000),
                  holed,
                  MultiPolygon([box(374000, 6398000, 377000, 6401000),
                                box(377500, 6401500, 379500, 6404500)]),
                  Polygon([(376000, 6395000), (380000, 6395500), (379000, 6398000)])]
    return gpd.GeoDataFrame({"id": [1, 2, 3, 4, 5], "name": list(AREAS)}, geometry=geometries,
                            crs=3006)


@pytest.fixture(scope="module")
def small_png() -> bytes:
    return charts.bar_chart(["Norrby", "Hulta"], [None, 17.0], title="Brott",
                            value_labels=["<3", "17"])


def _document(png: bytes, *, title: str = "Lägesbild Borås – kvartal 1", cell: str = "17",
              caption: str = "Anmälda brott per område", meta_value: str = "jan–mar 2024",
              footer: str = "EST Borås – arbetsmaterial") -> Document:
    rows = tuple((name, suppressed_label(n, 3), "±0") for name, n in zip(AREAS, COUNTS,
                                                                           strict=True))
    rows += (("Östermalm", cell, "≥ 5"),)
    return Document(
        title=title, subtitle="Gemensam lägesbild för EST-gruppen",
        meta=(("Period", meta_value), ("Urval", "Alla brottskategorier")),
        classification="Delas endast inom EST-gruppen", footer=footer,
        sections=(
            Section("Sammanfattning", (
                Paragraph("Antalet anmälda brott minskade något jämfört med förra perioden."),
                KeyFigures((KeyFigure("Anmälda brott", "1 296", "−4 % mot förra perioden"),
                            KeyFigure("Skadegörelse", "<3", "små tal dolda"),
                            KeyFigure("Otrygghet", "3,1", "skala 1–5"))),
                Bullets(("Fler händelser vid Resecentrum kvällstid", "Färre bostadsinbrott")),
            ), anchor="sammanfattning"),
            Section("Kartläggning", (
                Table(("Område", "Antal", "Förändring"), rows, caption=caption, numeric=(1, 2),
                      widths=(3, 1, 1)),
                Figure(png, caption="Figur 1. Anmälda brott", alt="Stapeldiagram per område"),
                Paragraph("Små tal visas som <3.", muted=True),
            ), anchor="kartlaggning"),
            Section("Hässleholmen", (Paragraph("Fördjupning för området."),), level=3),
            Section("Åtgärder", (Bullets(("Belysning vid gångtunneln",)),)),
        ))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.text.setdefault(self.stack[-1], []).append(data)


def _parse(page: str) -> _Collector:
    parser = _Collector()
    parser.feed(page)
    parser.close()
    return parser


# --- HTML ------------------------------------------------------------------------------------


def test_html_is_a_standalone_document_with_sections_and_toc(small_png):
    page = render_html(_document(small_png))
    assert page.startswith("<!doctype html>")
    assert '<html lang="sv">' in page and '<meta charset="utf-8">' in page
    parsed = _parse(page)
    h2 = [t.strip() for t in parsed.text["h2"]]
    assert {"Sammanfattning", "Kartläggning", "Åtgärder"} <= set(h2)
    assert parsed.text["h3"] == ["Hässleholmen"]
    ids = [attrs.get("id") for tag, attrs in parsed.tags if tag == "section"]
    assert ids == ["sammanfattning", "kartlaggning", "hassleholmen", "atgarder"]
    links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert links == ["#sammanfattning", "#kartlaggning", "#atgarder"]  # level 2 only
    assert "Delas endast inom EST-gruppen" in parsed.text["div"]
    assert "@page" in page and "size: A4" in page


def test_html_blocks(small_png):
    page = render_html(_document(small_png))
    parsed = _parse(page)
    assert "&lt;3" in page and "<3" in parsed.text["td"]
    numeric = [attrs for tag, attrs in parsed.tags if tag == "td" and attrs.get("class") == "num"]
    assert len(numeric) == 2 * 6
    assert [t for t, _ in parsed.tags].count("th") == 3
    assert 'class="key-figures"' in page and page.count('class="key-figure"') == 3
    assert '<p class="muted">' in page and "<ul>" in page and "<figcaption>" in page
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert len(images) == 1
    assert images[0]["src"].startswith("data:image/png;base64,")
    assert images[0]["alt"] == "Stapeldiagram per område"


def test_html_escapes_hostile_text_everywhere(small_png):
    hostile = f"{HOSTILE} {HOSTILE_IMG}"
    doc = _document(small_png, title=hostile, cell=hostile, caption=hostile, meta_value=hostile,
                    footer=hostile)
    doc = Document(title=doc.title, meta=doc.meta, footer=doc.footer,
                   classification=hostile, sections=doc.sections + (
                       Section(hostile, (Figure(small_png, caption=hostile, alt=hostile),)),))
    page = render_html(doc)
    assert "<script" not in page.lower()
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    parsed = _parse(page)
    assert [t for t, _ in parsed.tags].count("img") == 2  # only the two real figures
    assert all(attrs.get("onerror") is None for _, attrs in parsed.tags)
    assert hostile in parsed.text["h1"] and hostile in parsed.text["footer"]


def test_html_section_ids_are_unique_slugs():
    doc = Document(title="Id", sections=(Section("Kartläggning – Norrby"), Section("Åtgärder"),
                                         Section("Åtgärder"), Section("Egen", anchor="egen-id")))
    ids = [attrs["id"] for tag, attrs in _parse(render_html(doc)).tags if tag == "section"]
    assert ids == ["kartlaggning-norrby", "atgarder", "atgarder-2", "egen-id"]


def test_html_has_no_external_resources(small_png):
    page = render_html(_document(small_png))
    assert "http://" not in page and "https://" not in page
    assert "src=\"data:image/png;base64," in page
    assert "<link" not in page


# --- PDF -------------------------------------------------------------------------------------


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pdf_text_is_extractable_with_swedish_characters(small_png):
    pdf = render_pdf(_document(small_png))
    assert pdf.startswith(b"%PDF")
    pages = _pages(pdf)
    text = "\n".join(pages)
    for expected in ("Lägesbild Borås – kvartal 1", "Sammanfattning", "Kartläggning",
                     "Åtgärder", "Hässleholmen", "<3", "–", "≥ 5", "±0", "1\u202f234",
                     "Delas endast inom", "Figur 1. Anmälda brott", "jan–mar 2024",
                     "Anmälda brott per område"):
        assert expected in text, expected
    assert "Sammanfattning" in pages[0] and "Lägesbild Borås" in pages[0]
    mapping = next(page for page in pages if "Kartläggning" in page)
    assert "Östermalm" in mapping and "<3" in mapping and "1\u202f234" in mapping
    for i, page in enumerate(pages, start=1):
        assert f"Sida {i} av {len(pages)}" in page
        assert "EST Borås – arbetsmaterial" in page
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Lägesbild Borås – kvartal 1"


def test_pdf_long_table_spans_pages_and_keeps_every_row(small_png):
    rows = tuple((f"Gata {i} i Norrby", suppressed_label(i % 7, 3), f"{i} %") for i in range(200))
    doc = Document(title="Lång tabell", footer="Sidfot", sections=(
        Section("Kartläggning", (Table(("Adress", "Antal", "Andel"), rows, numeric=(1, 2)),)),))
    pages = _pages(render_pdf(doc))
    assert len(pages) >= 3
    text = "\n".join(pages)
    for i in range(200):
        assert f"Gata {i} i Norrby" in text
    assert all("Adress" in page for page in pages)  # the heading row repeats on every page


def test_pdf_prints_markup_literally(small_png):
    doc = Document(title=LITERAL, footer=LITERAL, sections=(
        Section(LITERAL, (Paragraph(LITERAL), Bullets((LITERAL,)),
                          Table(("Kolumn",), ((LITERAL,),), caption=LITERAL))),))
    text = "\n".join(_pages(render_pdf(doc)))
    assert text.count("**fet** <b>x</b> __under__ {nb}") >= 5


def test_pdf_figures_and_wide_content(small_png):
    long_word = "Långtordutanmellanslag" * 8
    tall = charts.bar_chart([f"Område {i}" for i in range(40)], list(range(40)), title="Höga")
    doc = Document(title="Figurer", sections=(
        Section("Figurer", tuple(Figure(small_png, caption=f"Figur {i}", alt="x")
                                 for i in range(6)) + (Figure(tall, "Hög figur", "y"),)),
        Section("Tabell", (Table(("A", "B"), ((long_word, "1"),), widths=(1, 1)),
                           KeyFigures(tuple(KeyFigure(f"Tal {i}", str(i)) for i in range(6))))),
        Section("Tom"),
    ))
    pages = _pages(render_pdf(doc))
    text = "\n".join(pages)
    assert all(f"Figur {i}" in text for i in range(6)) and "Hög figur" in text
    assert "Tal 5" in text and "Tom" in text
    assert len(pages) >= 2


def test_pdf_survives_oversized_text():
    huge = "mycket lång text " * 500
    doc = Document(title="Stort", sections=(Section("Stort", (
        Table(("Beskrivning", "Antal"), ((huge, "1"), ("Norrby", "<3"))),
        KeyFigures((KeyFigure(huge[:400], "1 234 567 890 123", huge[:600]),)),
        Paragraph(huge), Bullets((huge,)))),))
    text = "\n".join(_pages(render_pdf(doc)))
    assert "Norrby" in text and "<3" in text and "1 234 567 890 123" in text


def test_pdf_of_an_empty_document():
    pages = _pages(render_pdf(Document(title="Tom rapport")))
    assert len(pages) == 1 and "Tom rapport" in pages[0]


# --- charts ----------------------------------------------------------------------------------


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as image:
        return image.size


CHARTS = {
    "bar": lambda: charts.bar_chart(list(AREAS), [42, None, 17, 0, 1234], title="Anmälda brott",
                                    xlabel="Antal", highlight={"Hulta"},
                                    value_labels=["42", "<3", "17", "0", "1 234"]),
    "grouped": lambda: charts.grouped_bar_chart(
        ["Skadegörelse", "Stöld", "Våld"],
        {"Aktuell period": [10, None, 5], "Föregående": [8, 3, 6], "I fjol": [12, 4, None]},
        title="Jämförelse"),
    "line": lambda: charts.line_chart([f"2024-{m:02d}" for m in range(1, 13)],
                                      {"Anmälda": list(range(12)), "I fjol": [5.0] * 12},
                                      title="Utveckling per månad", ylabel="Antal"),
    "heat": lambda: charts.heat_table(np.arange(7 * 24, dtype=float).reshape(7, 24),
                                      title="Veckodag och timme"),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_charts_are_deterministic_pngs(name):
    first, second = CHARTS[name](), CHARTS[name]()
    assert first == second
    width, height = _size(first)
    assert width >= 800 and height >= 300


def test_charts_handle_empty_and_suppressed_input():
    pngs = [
        charts.bar_chart([], [], title="Tom"),
        charts.bar_chart(["Norrby", "Hulta"], [None, None], title="Allt dolt",
                         value_labels=["<3", "<3"]),
        charts.grouped_bar_chart([], {}, title="Tom"),
        charts.grouped_bar_chart(["Stöld"], {"Nu": [None], "Förr": [None]}, title="Dolt"),
        charts.line_chart([], {}, title="Tom"),
        charts.line_chart(["jan", "feb"], {"Nu": [float("nan"), float("nan")]}, title="NaN"),
        charts.heat_table(np.empty((0, 0)), title="Tom"),
        charts.heat_table(np.full((7, 24), np.nan), title="Dolt"),
    ]
    for png in pngs:
        assert _size(png)[0] >= 800


def test_heat_table_rejects_a_wrong_shape():
    with pytest.raises(ValueError):
        charts.heat_table(np.ones((3, 4)), title="Fel")


def test_area_map_with_cells_places_and_highlight():
    areas = _areas()
    values = {1: 42.0, 2: None, 3: 17.0, 4: 0.0, 5: 1234.0}
    labels = {1: "42", 2: "<3", 3: "17", 4: "0", 5: "1 234"}
    cells = gpd.GeoDataFrame(geometry=[box(370000 + i * 500, 6395000, 370500 + i * 500, 6395500)
                                       for i in range(8)], crs=3006)
    classes = ["hot_99", "hot_95", "hot_90", "", "cold_90", "cold_95", "cold_99", "hot_99"]
    places = gpd.GeoDataFrame({"name": ["Resecentrum", "Skola"]},
                              geometry=[Point(372000, 6397000), box(375000, 6396000, 375300,
                                                                    6396300)], crs=3006)
    plain = static_map.area_map(areas, values, labels, title="Anmälda brott", legend_title="Antal")
    full = static_map.area_map(areas, values, labels, title="Anmälda brott", legend_title="Antal",
                           cells=cells, cell_classes=classes, places=places)
    zoomed = static_map.area_map(areas, values, labels, title="Norrby", legend_title="Antal",
                             cells=cells, cell_classes=classes, highlight_area=2)
    assert len({plain, full, zoomed}) == 3
    assert full == static_map.area_map(areas, values, labels, title="Anmälda brott",
                                   legend_title="Antal", cells=cells, cell_classes=classes,
                                   places=places)
    for png in (plain, full, zoomed):
        width, height = _size(png)
        assert width >= 800 and height >= 600


def test_area_map_handles_empty_values_other_crs_and_no_areas():
    areas = _areas()
    assert _size(static_map.area_map(areas, {}, {}, title="Inga data", legend_title="Antal"))[0] >= 800
    wgs84 = areas.to_crs(4326)
    png = static_map.area_map(wgs84, {1: 5.0}, {1: "5"}, title="WGS 84", legend_title="Antal",
                          highlight_area=99)
    assert _size(png)[0] >= 800
    empty = gpd.GeoDataFrame({"id": [], "name": []}, geometry=[], crs=3006)
    assert _size(static_map.area_map(empty, {}, {}, title="Tom", legend_title="Antal"))[0] >= 800
    no_geometry = gpd.GeoDataFrame({"id": [1], "name": ["Norrby"]}, geometry=[None], crs=3006)
    assert _size(static_map.area_map(no_geometry, {1: 3.0}, {1: "3"}, title="Tom",
                                 legend_title="Antal"))[0] >= 800


def test_class_breaks_follow_the_values():
    assert palette.class_breaks([]) == []
    assert palette.class_breaks([0, 0, None or 0]) == []
    breaks = palette.class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert breaks[-1] == 10 and breaks == sorted(breaks) and len(breaks) <= 5
    assert palette.class_breaks([0.25, 0.5, 0.75])[-1] >= 0.75


def test_map_labels_do_not_overlap():
    """Crowded small areas and places: every label that is drawn stands clear of the others."""
    import geopandas as gpd
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure
    from shapely.geometry import Point, box

    from workbench.reports import static_map

    fig = MplFigure(figsize=(4, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1000)
    ax.set_ylim(0, 1000)
    texts = [ax.text(500 + 5 * i, 500 + 3 * i, f"Område {i}\n{10 * i}", ha="center", va="center",
                     fontsize=9) for i in range(6)]
    texts += [ax.annotate(f"Plats {i}", (480 + 8 * i, 505), xytext=(4, 3), textcoords="offset points",
                          fontsize=7.5) for i in range(4)]
    hidden = static_map.declutter(fig, texts)
    renderer = fig.canvas.get_renderer()
    shown = [t.get_window_extent(renderer) for t in texts if t.get_visible()]
    assert 0 < hidden < len(texts) and len(shown) >= 3  # moved first, hidden only when no room
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert not a.overlaps(b), (a, b)
    assert texts[0].get_visible()  # the first (the chosen area's) label always stays

    areas = gpd.GeoDataFrame({"id": list(range(8)), "name": [f"Kvarter {i}" for i in range(8)]},
                             geometry=[box(377_000 + 120 * i, 6_399_000, 377_110 + 120 * i, 6_399_100)
                                       for i in range(8)], crs=3006)
    places = gpd.GeoDataFrame({"name": ["Torget", "Busshållplatsen"]},
                              geometry=[Point(377_050, 6_399_050), Point(377_060, 6_399_055)], crs=3006)
    png = static_map.area_map(areas, {i: 10 + i for i in range(8)}, {i: str(10 + i) for i in range(8)},
                              title="Test", legend_title="Händelser", places=places)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
