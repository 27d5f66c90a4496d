"""Report content: sections, figures and area names read back from the HTML and the PDF text;
small counts suppressed and only public text in every public-facing export."""

from __future__ import annotations

import io
import json
from datetime import date
from html.parser import HTMLParser

import geopandas as gpd
import openpyxl
import pypdf
import pytest
import shapely

from tests.builders import ORG, make_org
from workbench.cli import main
from workbench.config import Settings
from workbench.services import imports, reports
from workbench.services import meetings as meeting_service
from workbench.situation import Period
from workbench.store import loop, meetings
from workbench.store import repositories as repo
from workbench.store.db import open_store

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
SECRET_ACTION = "Intern spaning mot gänget vid Skolgården"
PUBLIC_ACTION = "Ny belysning på skolgården i Norr"


class Text(HTMLParser):
    """Visible text of an HTML document, with the h2 headings and table rows on their own."""

    def __init__(self) -> None:
        super().__init__()
        self.h2: list[str] = []
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data):
        if "style" in self._in:
            return
        self.text.append(data)
        if self._in and self._in[-1] == "h2" and "nav" not in self._in:
            self.h2.append(data.strip())
        if self.rows and any(t in self._in for t in ("td", "th")):
            self.rows[-1][-1] += data.strip()


def parse(html: bytes) -> Text:
    parser = Text()
    parser.feed(html.decode("utf-8"))
    return parser


def first_rows(html: Text, names: tuple[str, ...] = ("Norr", "Söder")) -> dict[str, list[str]]:
    """The first table row of each area (the per-area figures come first)."""
    found: dict[str, list[str]] = {}
    for row in html.rows:
        if row and row[0] in names:
            found.setdefault(row[0], row)
    return found


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Testkommun with two areas, a place, an agreement, actions and one closed meeting."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reports') / 'r.sqlite'}"
    store = open_store(url)
    org = make_org(store)
    settings = Settings.load({}, db_url=url)
    places = gpd.GeoDataFrame({"name": ["Skolgården"], "kind": ["skolgård"]},
                              geometry=[shapely.box(376450, 6400450, 376600, 6400600)], crs="EPSG:3006")
    imports.import_layer(store, "places", places.to_json().encode(), "platser.geojson", ORG)
    place_id = int(repo.load_places(store.engine, [org])["id"].iloc[0])
    parsed = {"title": "Samverkansöverenskommelse Testkommun 2025–2027", "kind": "agreement",
              "parties": ["Testkommun", "LPO Test"], "period": {"start": "2025-01-01", "end": "2027-12-31"},
              "focus_areas": [{"title": "Trygga offentliga miljöer", "commitments": [
                  {"party": "Kommunen", "party_kind": "kommun", "text": "åtgärda trasig belysning inom 48 timmar"},
                  {"party": "Polisen", "party_kind": "polis", "text": "genomföra riktade insatser vid hot-spots"}]}],
              "actions": []}
    with store.transaction() as conn:
        loop.save_agreement(conn, org, parsed, source_text=None, actor="test")
    commitments = loop.commitments(store.engine, org)
    lighting = int(commitments[commitments["text"].str.contains("belysning")]["id"].iloc[0])
    areas = repo.load_areas(store.engine, [org]).set_index("name")["id"].astype(int).to_dict()
    meeting_id = meeting_service.start(store, org, kind="month", end=OCTOBER.end,
                                       area_ids=[areas["Norr"], areas["Söder"]], actor="samordnare",
                                       meeting_date=date(2026, 11, 5))
    version = meetings.get_meeting(store.engine, org, meeting_id)["version"]
    version = meeting_service.set_status(store, org, meeting_id, version, areas["Norr"], "röd",
                                         "Ökat våld kvällstid", settings=settings, actor="samordnare")
    meeting_service.record_decision(
        store, org, meeting_id, {"text": PUBLIC_ACTION, "responsible_party": "Kommunen",
                                 "due_date": date(2026, 12, 15), "start_date": date(2026, 10, 10),
                                 "status": "pågår", "place_id": place_id, "public": True},
        actor="samordnare", commitment_ids=[lighting])
    meeting_service.record_decision(
        store, org, meeting_id, {"text": SECRET_ACTION, "responsible_party": "Polisen",
                                 "due_date": date(2026, 11, 30), "place_id": place_id}, actor="polis")
    version = meeting_service.update(store, org, meeting_id, version,
                                     {"notes": "Internt: diskuterade gänget.",
                                      "public_summary": "Vi satsar på belysning. Ring 070-123 45 67."},
                                     actor="samordnare")
    meeting_service.close(store, settings, org, meeting_id, version, actor="samordnare")
    return store, settings, org, meeting_id


def build(world, kind, fmt, **kwargs):
    store, settings, org, _ = world
    return reports.build(kind, fmt, store, settings, org, **kwargs).data


def test_situation_report_follows_the_law_and_suppresses_small_counts(world):
    raw = build(world, "situation", "html", period=OCTOBER)
    html = parse(raw)
    images = raw.decode("utf-8").count('src="data:image/png;base64,')
    assert images >= 5 and 'alt="Stapeldiagram per område"' in raw.decode("utf-8")  # map and charts
    assert html.h2 == ["Sammanfattning", "Kartläggning", "Annan information", "Analys", "Åtgärdsplan",
                       "Uppföljning", "Bilaga: Metod"]
    by_area = first_rows(html)
    assert by_area["Norr"][1:4] == ["20", "4", "3"]  # period, previous, last year
    assert by_area["Söder"][1] == "<3"  # 2 incidents: never printed as a number
    text = "".join(html.text)
    assert "Skolgården" in text and PUBLIC_ACTION in text  # internal document: places and actions
    assert "röd" in text and "Ökat våld kvällstid" in text  # the group's judgement, labelled as such
    pdf = pdf_text(build(world, "situation", "pdf", period=OCTOBER))
    for heading in ("Kartläggning", "Annan information", "Analys", "Åtgärdsplan", "Uppföljning",
                    "Norr", "Söder", "<3", "Lägesbild Testkommun"):
        assert heading in pdf, heading


def test_feedback_is_public_safe(world):
    raw = build(world, "feedback", "html", period=OCTOBER)
    html = parse(raw)
    text = "".join(html.text)
    assert PUBLIC_ACTION in text
    assert SECRET_ACTION not in text  # not marked public
    assert "Skolgården" not in text  # no location finer than area
    assert "Internt" not in text  # meeting notes are not public
    by_area = first_rows(html)
    assert by_area["Söder"][1] == "<3"
    for data in (raw, build(world, "feedback", "pdf", period=OCTOBER)):
        body = data.decode("latin-1") if data.startswith(b"%PDF") else data.decode("utf-8")
        assert "Skolgården" not in (pdf_text(data) if data.startswith(b"%PDF") else body)
    _, _, _, meeting_id = world
    with_summary = "".join(parse(build(world, "feedback", "html", meeting_id=meeting_id)).text)
    assert "Vi satsar på belysning" in with_summary
    assert "070-123 45 67" not in with_summary and "[telefonnummer]" in with_summary


def test_minutes_come_from_the_closed_meeting(world):
    _, _, _, meeting_id = world
    html = parse(build(world, "minutes", "html", meeting_id=meeting_id))
    assert html.h2[:3] == ["Närvarande", "Mötet", "Områden"] and "Beslut" in html.h2
    assert html.h2[-1] == "Justering och nästa möte"  # none recorded: lines to fill in by hand
    assert "Närvarande antecknades inte." in "".join(html.text)
    text = "".join(html.text)
    assert "Norr" in text and "Söder" in text and "röd" in text
    assert PUBLIC_ACTION in text and SECRET_ACTION in text  # the protokoll lists every decision
    pdf = pdf_text(build(world, "minutes", "pdf"))  # default: the latest closed meeting
    assert "Protokoll" in pdf and "Norr" in pdf and "<3" in pdf


def test_action_plan_in_every_format(world):
    html = "".join(parse(build(world, "action-plan", "html")).text)
    assert PUBLIC_ACTION in html and SECRET_ACTION in html
    assert "Skolgården" in pdf_text(build(world, "action-plan", "pdf"))
    book = openpyxl.load_workbook(io.BytesIO(build(world, "action-plan", "xlsx", period=OCTOBER)))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert PUBLIC_ACTION in cells and "Kommunen" in cells


def test_a_meetings_action_plan_is_the_same_in_every_format(world):
    store, _, org, meeting_id = world
    with store.transaction() as conn:  # finished in 2025: outside the meeting's period
        loop.create_action(conn, org, {"text": "Gammal klotterinsats", "responsible_party": "Kommunen",
                                       "status": "genomförd", "due_date": date(2025, 3, 1)}, actor="t")
    html = "".join(parse(build(world, "action-plan", "html", meeting_id=meeting_id)).text)
    book = openpyxl.load_workbook(io.BytesIO(build(world, "action-plan", "xlsx", meeting_id=meeting_id)))
    cells = {c.value for row in book.active.iter_rows() for c in row}
    for text in (PUBLIC_ACTION, SECRET_ACTION):
        assert text in html and text in cells
    assert "Gammal klotterinsats" not in html and "Gammal klotterinsats" not in cells
    store_, settings, _, _ = world
    name = reports.build("action-plan", "xlsx", store_, settings, org, meeting_id=meeting_id).file_name
    assert name == "action-plan-20261001-20261031.xlsx"


def test_agreement_follow_up_per_commitment(world):
    html = parse(build(world, "agreement-follow-up", "html"))
    assert "Trygga offentliga miljöer" in html.h2
    text = "".join(html.text)
    assert "åtgärda trasig belysning inom 48 timmar" in text and PUBLIC_ACTION in text
    assert "Ingen åtgärd kopplad till åtagandet ännu." in text  # the police commitment has none
    assert "1 saknar åtgärd" in text


def test_agreement_follow_up_opens_with_a_one_page_summary(world):
    """For a politician: key figures, one sentence, a row per focus area and what has no åtgärd –
    on the first PDF page, with the per-commitment details from the second page on."""
    html = parse(build(world, "agreement-follow-up", "html"))
    assert html.h2[0] == "Sammanfattning"
    text = " ".join(html.text)
    assert "Av 2 åtaganden har 1 minst en åtgärd och 1 saknar åtgärd." in text
    assert "Åtaganden utan någon åtgärd:" in text and "genomföra riktade insatser vid hot-spots" in text
    pages = pypdf.PdfReader(io.BytesIO(build(world, "agreement-follow-up", "pdf"))).pages
    first, second = (" ".join(p.extract_text().split()) for p in pages[:2])
    assert "Sammanfattning" in first and "Med minst en åtgärd" in first
    assert "Trygga offentliga miljöer" in first  # the per-area row of the summary table
    assert "Ingen åtgärd kopplad till åtagandet ännu." not in first
    assert "Ingen åtgärd kopplad till åtagandet ännu." in second


def test_wrong_format_and_missing_period_are_clear(world):
    with pytest.raises(reports.ReportError, match="html, pdf"):
        build(world, "minutes", "xlsx")
    with pytest.raises(reports.ReportError, match="Ange en period"):
        build(world, "situation", "html")


def test_cli_report_writes_the_file_and_prints_json(world, tmp_path, capsys):
    store, _, _, _ = world
    out = tmp_path / "ut" / "lagesbild.pdf"
    code = main(["report", "situation", "--db", store.url, "--organisation", ORG, "--from", "2026-10-01",
                 "--to", "2026-10-31", "--out", str(out), "--json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["period"] == {"start": "2026-10-01", "end": "2026-10-31"}
    assert out.read_bytes().startswith(b"%PDF") and payload["bytes"] == out.stat().st_size
    assert "Kartläggning" in pdf_text(out.read_bytes())
    assert list(out.parent.iterdir()) == [out]  # no partial file left behind


def test_cli_report_default_period_is_the_last_whole_month(world, tmp_path, capsys):
    store, _, _, _ = world
    out = tmp_path / "aterkoppling.html"
    assert main(["report", "feedback", "--db", store.url, "--organisation", ORG, "--out", str(out),
                 "--json"]) == 0
    # the newest incident is from 2026-10-20, so October is not complete yet
    assert json.loads(capsys.readouterr().out)["period"] == {"start": "2026-09-01", "end": "2026-09-30"}


@pytest.mark.parametrize("args, message", [
    (["minutes", "--out", "x.docx"], "ska sluta på .html, .pdf eller .xlsx"),
    (["situation", "--from", "2026-10-01", "--out", "x.html"], "både --from och --to"),
    (["situation", "--from", "2026-10-31", "--to", "2026-10-01", "--out", "x.html"], "ligger före"),
    (["feedback", "--organisation", "Finns inte", "--out", "x.html"], "finns inte i databasen"),
    (["minutes", "--meeting", "999", "--out", "x.pdf"], "finns inte"),
])
def test_cli_report_errors_are_one_sentence(world, tmp_path, capsys, args, message):
    store, _, _, _ = world
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    if "--organisation" not in args:
        args += ["--organisation", ORG]
    assert main(["report", *args, "--db", store.url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: ") and message in err and "Traceback" not in err
    assert not any(tmp_path.iterdir())


def test_the_situation_report_opens_with_a_one_page_summary_and_ends_with_the_method(world):
    data = build(world, "situation", "pdf", period=OCTOBER)
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    first = pages[0].extract_text()
    for question in ("Sammanfattning", "Vad har förändrats?", "Var?", "Vad har gruppen beslutat?",
                     "Vad är öppet?"):
        assert question in first, question
    assert "Kartläggning" not in first  # the summary is a page of its own
    # plain Swedish: where it rose, what the group set at the meeting, what is late
    assert "Säker ökning mot perioden före i Norr" in first
    assert "röd: Norr" in first and "försenade" in first
    last = pages[-1].extract_text()
    assert last.lstrip().startswith("Bilaga: Metod") or "Bilaga: Metod" in last.split("\n")[0:3]
    for method in ("Getis-Ord Gi*", "Benjamini", "exakt Poisson-test", "'<3'"):
        assert method in last, method
    # no page holds one lone chart: every page with a picture has text beside it
    for number, page in enumerate(pages, start=1):
        words = len(page.extract_text().split())
        if len(page.images) == 1:
            assert words > 60, (number, words)


@pytest.mark.parametrize(("kind", "kwargs"), [("situation", {"period": OCTOBER}), ("minutes", {}),
                                              ("agreement-follow-up", {}), ("action-plan", {})])
def test_the_small_numbers_line_names_the_real_threshold(world, kind, kwargs):
    """'Små tal visas som <N' was printed with N never filled in: the line gives the threshold
    (or is left out of a document that shows no counts)."""
    _, settings, _, _ = world
    for fmt in ("html", "pdf"):
        data = build(world, kind, fmt, **kwargs)
        text = " ".join((pdf_text(data) if fmt == "pdf" else data.decode("utf-8")).split())
        assert "<N" not in text and "&lt;N" not in text, (kind, fmt)
        if kind != "action-plan":
            n = settings.min_count
            assert f"Antal under {n} visas som '<{n}'" in text.replace("&#x27;", "'").replace("&lt;", "<"), (kind, fmt)
