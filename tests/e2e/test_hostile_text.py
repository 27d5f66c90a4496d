"""Hostile text in every user text field stays inert and readable in real headless Chromium.

Every field a person (or an imported file) can fill gets a readable tag word and script, HTML,
template, Markdown and Swedish payloads. Each page of the app, the map tooltips and the HTML
reports are then opened and checked: no dialog, no ``window.__xss`` in any frame, no element
made from a payload, and the text shown exactly as written.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import ARTIFACTS, _free_port

pytestmark = pytest.mark.e2e

WAIT = 60_000

# Two halves of the payloads (names are limited to 200 characters), then all of them.
HTML_PART = ('<script>window.__xss=1</script> <img src=x onerror="window.__xss=2"> '
             '"><svg onload=window.__xss=3> åäö')
MARKUP_PART = ("javascript:window.__xss=4 ${window.__xss=5}` [länk](javascript:window.__xss=6) "
               "**fet** {{7*7}} ÅÄÖ")
FULL = f"{HTML_PART} {MARKUP_PART}"


def hostile(tag: str, body: str = FULL) -> str:
    """A field's text: a unique readable tag word, then the payloads."""
    return f"{tag} {body}"


ORG = hostile("Kommunnamnet", MARKUP_PART + ' <img src=x onerror="window.__xss=2">')
POLICE_AREA = hostile("Polisområdet", HTML_PART + " **fet**")
AREA_A = hostile("Alfaområdet", HTML_PART + " **fet**")
AREA_B = hostile("Betaområdet", MARKUP_PART)
PLACE_A = hostile("Alfaplatsen", HTML_PART + " **fet**")
PLACE_B = hostile("Betaplatsen", MARKUP_PART)
PLACE_KIND = "Platstypen **fet** {{7*7}} <i>åäö</i>"
INCIDENT_CATEGORY = hostile("Brottstypen", HTML_PART + " **fet**")
INCIDENT_CATEGORY_B = hostile("Brottsslaget", MARKUP_PART)
INCIDENT_TEXT = hostile("Fritexten")
FAULT_CATEGORY = hostile("Felkategorin", MARKUP_PART)
FAULT_TEXT = hostile("Felbeskrivningen")
WALK_CATEGORY = hostile("Iakttagelsetypen", HTML_PART)
WALK_COMMENT = hostile("Iakttagelsen")
WALK_PARTICIPANTS = hostile("Deltagarna")
WALK_NOTE = hostile("Vandringsanteckningen")
INDICATOR = hostile("Indikatorn", HTML_PART + " **fet**")
AGREEMENT_TITLE = hostile("Avtalstiteln")
AGREEMENT_PARTY = hostile("Avtalsparten", HTML_PART)
FOCUS_TITLE = hostile("Fokusområdet")
COMMITMENT_PARTY = hostile("Åtagandeparten", MARKUP_PART)
# "samhällsplaneringen": the planning check lists commitments about planning
COMMITMENT = hostile("Åtagandetexten", "samhällsplaneringen " + FULL)
MEETING_TITLE = hostile("Mötestiteln")
MOTIVATION = hostile("Statusmotiveringen")
NOTES = hostile("Mötesanteckningarna")
SUMMARY = hostile("Sammanfattningen")
DECISION = hostile("Mötesbeslutet")
PROBLEM = hostile("Problemtexten")
TRIANGLE = {key: hostile(tag) for key, tag in (
    ("place", "Platsmiljön"), ("offender", "Gärningspersonen"), ("target", "Offersidan"),
    ("place_manager", "Platsansvarige"), ("handler", "Kontaktpersonen"), ("guardian", "Väktarsidan"))}
WHYS = [hostile("Förstavarför"), hostile("Andravarför")]
HYPOTHESES = hostile("Hypotesen")
ACTION = hostile("Åtgärdstexten")
RESPONSIBLE = hostile("Ansvarsparten", MARKUP_PART)
ROLE = hostile("Ansvarsrollen", HTML_PART)
FOLLOW_UP = hostile("Uppföljningsmetoden")
PLAN = hostile("Plannamnet", HTML_PART + " **fet**")
PLAN_REFERENCE = "Planbeteckningen **fet** [länk](javascript:window.__xss=6) åäö"
PLAN_SOURCE = hostile("Plankällan", MARKUP_PART)
PLAN_COMMENT = hostile("Checklistkommentaren")
PLAN_NOTE = hostile("Versionsanteckningen")
PROFILE = hostile("Importprofilen", HTML_PART + " **fet**")
# Stored but shown nowhere in the app (so only "inert, and literal wherever it appears" holds for
# them): fault-report and walk categories (shown by their normalised label), their free text, the
# walks' participants and notes. An incident's original category and free text are shown only
# while its file is being imported (checked on Importera).
FIELDS = (ORG, POLICE_AREA, AREA_A, AREA_B, PLACE_A, PLACE_B, PLACE_KIND, INCIDENT_CATEGORY,
          INCIDENT_CATEGORY_B, INCIDENT_TEXT, FAULT_CATEGORY, FAULT_TEXT, WALK_CATEGORY, WALK_COMMENT,
          WALK_PARTICIPANTS, WALK_NOTE, INDICATOR, AGREEMENT_TITLE, AGREEMENT_PARTY, FOCUS_TITLE,
          COMMITMENT_PARTY, COMMITMENT, MEETING_TITLE, MOTIVATION, NOTES, SUMMARY, DECISION, PROBLEM,
          *TRIANGLE.values(), *WHYS, HYPOTHESES, ACTION, RESPONSIBLE, ROLE, FOLLOW_UP, PLAN,
          PLAN_REFERENCE, PLAN_SOURCE, PLAN_COMMENT, PLAN_NOTE, PROFILE)
# The agreement file read by `workbench agreement import`: the parser reads Markdown-like text,
# so what it stores is read back from the database and checked as stored.
AGREEMENT_FILE = f"""Samverkansöverenskommelse Filtiteln {MARKUP_PART}

Överenskommelsen gäller 2025-01-01 till och med 2026-12-31.

1. Filfokus {FULL}

Polisen förbinder sig att:

- Filåtagandet {FULL}
"""

# Two districts of 1 km² near Borås centrum (SWEREF 99 TM); place A is a square in A, place B a
# point with a radius in B.
BOX_A = (376000, 6400000, 377000, 6401000)
BOX_B = (376000, 6399000, 377000, 6400000)
LATEST = date.today() - timedelta(days=3)


def _csv(rows: list[list[object]], *, delimiter: str = ";") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _polygon(box: tuple[float, float, float, float]) -> dict:
    x0, y0, x1, y1 = box
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _layer(features: list[tuple[dict, dict]]) -> bytes:
    """GeoJSON in EPSG:3006 with the (non-standard but common) crs member, like layers/."""
    return json.dumps({"type": "FeatureCollection",
                       "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
                       "features": [{"type": "Feature", "properties": p, "geometry": g}
                                    for p, g in features]}, ensure_ascii=False).encode("utf-8")


def _incident_rows() -> list[list[object]]:
    """60 police incidents over four months: most around place A, a third with a hostile type."""
    rows: list[list[object]] = [["Händelsenummer", "Brottstyp", "Från datum", "Från tid", "Till datum",
                                 "Till tid", "X", "Y", "Områdeskod", "Fritext"]]
    for i in range(60):
        category = (INCIDENT_CATEGORY, INCIDENT_CATEGORY_B, "Skadegörelse", "Skadegörelse")[i % 4]
        east, north = (376480 + (i * 7) % 40, 6400480 + (i * 11) % 40) if i % 5 else (376500, 6399500)
        day = LATEST - timedelta(days=(i * 2) % 120)
        rows.append([f"5000-K{i:06d}-26", category, f"{day:%Y-%m-%d}", "21:30", "", "", north, east, "",
                     INCIDENT_TEXT])
    return rows


def _fault_rows() -> list[list[object]]:
    import numpy as np

    from workbench.geo.crs import to_wgs84

    rows: list[list[object]] = [["Ärendenr", "Kategori", "Registrerad", "Åtgärdad", "Status",
                                 "Beskrivning", "Latitud", "Longitud"]]
    for i in range(12):
        lon, lat = to_wgs84(np.array([376500.0 + i * 5]), np.array([6400500.0 - i * 5]))
        day = LATEST - timedelta(days=i * 3)
        rows.append([f"FA-{i:04d}", FAULT_CATEGORY if i % 2 else "Trasig belysning", f"{day:%Y-%m-%d} 07.15",
                     f"{day:%Y-%m-%d} 18.45", "Åtgärdad", FAULT_TEXT,
                     f"{lat[0]:.6f}".replace(".", ","), f"{lon[0]:.6f}".replace(".", ",")])
    return rows


def _walk_files() -> tuple[bytes, bytes]:
    import numpy as np

    from workbench.geo.crs import to_wgs84

    features = []
    for i in range(4):
        lon, lat = to_wgs84(np.array([376490.0 + i * 10]), np.array([6400510.0]))
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon[0], lat[0]]},
                         "properties": {"vandring": "TV-1", "id": f"TV-1-{i}",
                                        "kategori": WALK_CATEGORY if i % 2 else "belysning",
                                        "kommentar": WALK_COMMENT, "prioritet": 2, "status": "ny"}})
    observations = json.dumps({"type": "FeatureCollection", "features": features},
                              ensure_ascii=False).encode("utf-8")
    walks = _csv([["Vandring", "Datum", "Område", "Deltagare", "Anteckning"],
                  ["TV-1", f"{LATEST - timedelta(days=10):%Y-%m-%d}", AREA_A, WALK_PARTICIPANTS, WALK_NOTE]])
    return observations, walks


def _cli(*args: str) -> dict:
    """`workbench …` (the same entry point as the command), its JSON result."""
    from workbench.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*args, "--json"])
    assert code == 0, (args, out.getvalue())
    return json.loads(out.getvalue())


def database_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'hostile.sqlite'}"


def build_database(folder: Path) -> tuple[str, dict[str, str]]:
    """Every user text field filled with hostile text: CLI imports, then the store for the rest.

    Returns the database URL and each field's text by its tag word (as stored)."""
    import shapely

    from workbench.store import loop, meetings
    from workbench.store import planning as plan_store
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    url = database_url(folder)
    files = {
        "areas.geojson": _layer([({"namn": AREA_A, "befolkning": 5000}, _polygon(BOX_A)),
                                 ({"namn": AREA_B, "befolkning": 4000}, _polygon(BOX_B))]),
        "places.geojson": _layer([({"namn": PLACE_A, "typ": PLACE_KIND}, _polygon((376450, 6400450, 376550, 6400550))),
                                  ({"namn": PLACE_B, "typ": "torg", "radie_m": 80},
                                   {"type": "Point", "coordinates": [376500, 6399500]})]),
        "polisen.csv": _csv(_incident_rows()),
        "felanmalan.csv": _csv(_fault_rows()),
        "indikatorer.csv": _csv([["Område", "År", "Indikator", "Värde"], [AREA_A, 2025, INDICATOR, 42],
                                 [AREA_A, 2025, "Befolkning", 5000]]),
        "overenskommelse.txt": AGREEMENT_FILE.encode("utf-8"),
    }
    files["observationer.geojson"], files["vandringar.csv"] = _walk_files()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    db, org = ["--db", url], ["--organisation", ORG]
    reports = {what: _cli("import", what, str(folder / name), *db, *org) for what, name in (
        ("areas", "areas.geojson"), ("places", "places.geojson"), ("incidents", "polisen.csv"),
        ("fault-reports", "felanmalan.csv"), ("area-indicators", "indikatorer.csv"))}
    reports["walks"] = _cli("import", "walks", str(folder / "observationer.geojson"), "--walks",
                            str(folder / "vandringar.csv"), *db, *org)
    for what, report in reports.items():
        assert report["imported"] > 0 and not report["rejected"], (what, report)
    _cli("agreement", "import", str(folder / "overenskommelse.txt"), *db, *org)

    store = open_store(url)
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, ORG, police_area=POLICE_AREA)
        areas = repo.load_areas(conn, [org_id]).set_index("name")["id"].astype(int).to_dict()
        places = repo.load_places(conn, [org_id]).set_index("name")["id"].astype(int).to_dict()
        loop.save_agreement(conn, org_id, {
            "title": AGREEMENT_TITLE, "kind": "agreement", "parties": [AGREEMENT_PARTY, "Polisen"],
            "period": {"start": "2025-01-01", "end": "2027-12-31"},
            "focus_areas": [{"title": FOCUS_TITLE, "commitments": [
                {"party": COMMITMENT_PARTY, "party_kind": "kommun", "text": COMMITMENT}]}]},
            source_text=None, actor="test")
    commitments = loop.commitments(store.engine, org_id)
    commitment_id = int(commitments.loc[commitments["text"] == COMMITMENT, "id"].iloc[0])
    with store.transaction() as conn:
        analysis_id = loop.create_cause_analysis(
            conn, org_id, place_id=places[PLACE_A], problem=PROBLEM, triangle=TRIANGLE, whys=WHYS,
            hypotheses=HYPOTHESES, evidence={"place": PLACE_A, "police_incidents": 12}, actor="test")
        loop.create_action(conn, org_id, {
            "text": ACTION, "responsible_party": RESPONSIBLE, "responsible_role": ROLE,
            "start_date": LATEST - timedelta(days=60), "due_date": LATEST + timedelta(days=20),
            "status": "pågår", "place_id": places[PLACE_A], "cause_analysis_id": analysis_id,
            "follow_up_method": FOLLOW_UP, "public": True}, actor="test", commitment_ids=[commitment_id])
        meeting_id = meetings.start_meeting(
            conn, org_id, meeting_date=date.today(), period_start=LATEST - timedelta(days=27),
            period_end=LATEST, period_kind="custom", area_ids=[areas[AREA_A], areas[AREA_B]],
            title=MEETING_TITLE, actor="test")
        version = meetings.set_area_status(conn, org_id, meeting_id, 1, areas[AREA_A], "orange", MOTIVATION,
                                           actor="test")
        meetings.update_meeting(conn, org_id, meeting_id, version, {"notes": NOTES, "public_summary": SUMMARY},
                                actor="test")
        loop.create_action(conn, org_id, {
            "text": DECISION, "responsible_party": "Kommunen", "start_date": date.today(),
            "due_date": date.today() + timedelta(days=30), "status": "planerad", "situation_id": meeting_id,
            "area_id": areas[AREA_A], "public": True}, actor="test", commitment_ids=[commitment_id])
        plan = shapely.box(376300, 6400300, 376700, 6400700)
        plan_id = plan_store.create_plan(
            conn, org_id, name=PLAN, reference=PLAN_REFERENCE, source=PLAN_SOURCE, geometry=plan,
            buffer_m=200, checklist=[{"key": "lighting", "assessment": "needs_action", "comment": PLAN_COMMENT}],
            figures=None, period=None, actor="test")
        plan_store.save_version(
            conn, org_id, plan_id, 1, geometry=plan, buffer_m=200,
            checklist=[{"key": "lighting", "assessment": "needs_action", "comment": PLAN_COMMENT}],
            figures=None, period=None, note=PLAN_NOTE, actor="test")
        repo.save_profile(conn, org_id, PROFILE, "incidents", {}, None)
    # the agreement parser reads the file as lightly marked-up text: check what it stored
    from_file = loop.commitments(store.engine, org_id)
    from_file = from_file[from_file["text"].str.startswith("Filåtagandet")].iloc[0]
    fields = {value.split(" ", 1)[0]: value for value in FIELDS}
    title = from_file["agreement"]
    fields |= {"Filåtagandet": from_file["text"], "Filtiteln": title[title.index("Filtiteln"):]}
    return url, fields


# --- the app ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """Our own database and `workbench app` (single-user, no basemap) on a free port; the data
    goes in while the server starts."""
    from workbench.store.db import open_store

    folder = tmp_path_factory.mktemp("hostile")
    open_store(database_url(folder))  # the schema, before the server opens the file
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "hostile-app-server.log"
    env = dict(os.environ, WORKBENCH_AUTH="single-user", WORKBENCH_BASEMAP="none")
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "workbench", "app", "--port", str(port),
                                    "--db", database_url(folder)], stdout=out, stderr=subprocess.STDOUT,
                                   env=env)
        try:
            db_url, fields = build_database(folder)
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"appen startade inte: {log.read_text()[-2000:]}")
                    time.sleep(0.2)
            yield {"base": base, "db": db_url, "fields": fields, "folder": folder}
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def shared(browser, hostile_app):
    """One page for the whole module (the app's scripts stay cached between pages), its network
    closed to everything but 127.0.0.1, every request and every JavaScript dialog recorded."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="sv-SE")
    requested: list[str] = []

    def gate(route):
        url = route.request.url
        requested.append(url)
        host = url.split("/")[2].split(":")[0] if "://" in url else ""
        if url.startswith(("data:", "blob:", "about:")) or host in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
    page.dialogs, page.requested = dialogs, requested  # type: ignore[attr-defined]
    yield page
    context.close()


# --- reading what a frame shows --------------------------------------------------------------

# Elements a payload would have made if it were parsed as HTML (in any frame).
PAYLOAD_ELEMENTS = """() => {
  const found = [...document.querySelectorAll(
      'img[src="x"], [onerror], [onload], svg[onload], a[href^="javascript:" i]')]
    .map(e => e.outerHTML.slice(0, 120));
  for (const s of document.scripts) {
    if (s.textContent.trim().startsWith('window.__xss')) found.push(s.outerHTML.slice(0, 120));
  }
  return found;
}"""
# What a person reads in the frame: rendered text and the values of widgets.
FRAME_TEXT = """() => [
  document.body ? document.body.innerText : '',
  ...[...document.querySelectorAll('input, textarea')].map(e => e.value),
].join('\\n')"""
# Data grids are drawn on a canvas; their text lives in an accessible table that holds only the
# rows and columns in view. Bring each grid into view and scroll it sideways: every cell's text.
GRID_TEXT = """async () => {
  const texts = [];
  const frame = () => new Promise(r => requestAnimationFrame(r));
  for (const grid of document.querySelectorAll('[data-testid=stDataFrame]')) {
    if (!grid.checkVisibility()) continue;
    grid.scrollIntoView({block: 'center'});
    for (let i = 0; i < 60 && !grid.querySelector('table'); i++) await frame();
    const head = () => [...grid.querySelectorAll('th')].map(c => c.textContent).join('|');
    const take = () => grid.querySelectorAll('td, th').forEach(c => texts.push(c.textContent));
    take();
    const scroller = grid.querySelector('.dvn-scroller');
    if (!scroller) continue;
    for (let x = scroller.clientWidth; x < scroller.scrollWidth; x += scroller.clientWidth) {
      const before = head();
      scroller.scrollLeft = x;
      for (let i = 0; i < 60 && head() === before; i++) await frame();
      take();
    }
    scroller.scrollLeft = 0;
  }
  document.querySelector('h1')?.scrollIntoView();
  return texts;
}"""
# Every tooltip bound to a Leaflet layer (a GeoJSON layer's on each of its shapes in turn), opened
# the way a hover opens it; returns the texts shown.
OPEN_TOOLTIPS = """() => {
  const texts = [];
  for (const key of Object.keys(window)) {
    const layer = window[key];
    if (!layer || typeof layer.getTooltip !== 'function') continue;
    const tip = layer.getTooltip();
    if (!tip || !layer._map) continue;
    for (const shape of typeof layer.getLayers === 'function' ? layer.getLayers() : [layer]) {
      if (shape !== layer) tip._source = shape;
      layer.openTooltip();
      if (tip.getElement()) texts.push(tip.getElement().innerText);
      layer.closeTooltip();
    }
  }
  return texts;
}"""


def _norm(text: str) -> str:
    return " ".join(text.split())


SETTLED = """() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'
  && !document.querySelector('[data-stale=true], [data-testid=stStatusWidget], [data-testid=stSkeleton],'
                             + ' [data-testid=stSkeletonElement], [data-testid=stAppSkeleton]')"""


def _settled(page) -> None:
    """Wait until Streamlit's script run has finished (the state its own tests read), nothing is
    stale, no running indicator shows and every element's code has loaded (no placeholder)."""
    page.wait_for_function(SETTLED, timeout=WAIT)


def _maps_drawn(page) -> None:
    """Every Leaflet map on the page (inside an iframe) has drawn its layers."""
    for frame in page.frames[1:]:
        frame.wait_for_load_state("load", timeout=WAIT)
        if frame.evaluate("() => !!document.querySelector('.leaflet-container')"):
            frame.wait_for_function("() => document.querySelector('.leaflet-interactive, .leaflet-marker-icon')",
                                    timeout=WAIT)


def _inert(page, where: str) -> None:
    """No dialog fired, ``window.__xss`` is unset and no payload became an element, in every frame;
    nothing asked for the payload's image (``src=x``) or for anything off this machine."""
    assert page.dialogs == [], f"{where}: en dialog öppnades: {page.dialogs}"
    stray = [u for u in page.requested if u.split("?")[0].endswith("/x") or "127.0.0.1" not in u
             and not u.startswith(("data:", "blob:", "about:"))]
    assert stray == [], f"{where}: oväntade anrop: {stray[:5]}"
    for _ in range(5):  # a frame removed while it is read (a map redrawn by a rerun): read again
        detached = False
        for frame in page.frames:
            label = f"{where} (ram {frame.url[:60]})"
            try:
                xss, elements = frame.evaluate("() => typeof window.__xss"), frame.evaluate(PAYLOAD_ELEMENTS)
            except PlaywrightError as error:
                if "detached" not in str(error):
                    raise
                detached = True  # gone from the page; its successor is read in the next round
                continue
            assert xss == "undefined", f"{label}: window.__xss är satt"
            assert elements == [], f"{label}: element ur en payload"
        if not detached:
            return
        page.wait_for_timeout(300)
    raise AssertionError(f"{where}: ramarna byttes hela tiden ut och kunde inte läsas")


def _read(page, where: str) -> str:
    """Everything the page shows as text, in every frame (each checked inert)."""
    grids = page.evaluate(GRID_TEXT)
    _inert(page, where)
    return "\n".join([*(frame.evaluate(FRAME_TEXT) for frame in page.frames), *grids])


# The UI shortens some labels on purpose (an action's text in a select box, …): a text cut at one
# of these lengths is still read as written.
CUTS = (60, 70, 80)


def _misread(text: str, fields: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Per tag word: each place it is shown where the text after it is not one of its field's
    accepted forms (or such a form cut at one of CUTS)."""
    text = _norm(text)
    wrong: dict[str, list[str]] = {}
    for tag, forms in fields.items():
        start = text.find(tag)
        while start >= 0:
            shown = text[start:start + len(_norm(forms[0])) + 20]
            if not any(_reads_as(text[start:], _norm(form)) for form in forms) and shown not in wrong.get(tag, []):
                wrong.setdefault(tag, []).append(shown)
            start = text.find(tag, start + 1)
    return wrong


def _reads_as(shown: str, value: str) -> bool:
    same = next((i for i, (a, b) in enumerate(zip(shown, value, strict=False)) if a != b),
                min(len(shown), len(value)))
    return same == len(value) or any(c <= same and not value[c:same].strip() for c in CUTS)


def _problems(text: str, fields: dict[str, tuple[str, ...]], where: str, expected) -> list[str]:
    """What is wrong with how the fields are shown in ``text``: missing tags, and every place a
    field is not shown exactly as written."""
    problems = [f"{where}: visas inte: {tag}" for tag in expected if tag not in text]
    for tag, shown in _misread(text, fields).items():
        problems.append(f"{where}: {tag} visas inte som skrivet:\n    skrivet: {_norm(fields[tag][0])!r}\n"
                        + "\n".join(f"    visat:   {s!r}" for s in shown))
    return problems


# --- visiting the pages ----------------------------------------------------------------------

def _open(page, base: str, path: str, ready: str, maps: int = 0) -> None:
    """Open a page by its address, wait for its last part (``ready``, a selector), open every
    expander, and wait for its ``maps`` map frames to draw."""
    page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    page.locator(ready).first.wait_for(timeout=WAIT)
    _settled(page)
    _open_expanders_and_maps(page, maps)


def _open_expanders_and_maps(page, maps: int) -> None:
    """Open every expander, wait for ``maps`` frames and let every map draw."""
    closed = page.locator("[data-testid=stExpander] details:not([open]) > summary")
    while closed.count():
        closed.first.click()
    if maps:
        page.wait_for_function(f"() => document.querySelectorAll('iframe').length >= {maps}", timeout=WAIT)
    _maps_drawn(page)
    _settled(page)  # a map component reports its first view, which can start a run


def _read_with_tabs(page, where: str) -> str:
    """The page's text with each tab shown in turn (a hidden tab's text is not read)."""
    tabs = page.locator("[data-testid=stTabs] [role=tab]")
    texts = [] if tabs.count() else [_read(page, where)]
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        tab.click()
        texts.append(_read(page, f"{where}, fliken {tab.inner_text()!r}"))
    return "\n".join(texts)


def _tooltips(page, where: str) -> str:
    texts = []
    for frame in page.frames[1:]:
        texts += frame.evaluate(OPEN_TOOLTIPS)
    _inert(page, f"{where}, kartans tooltips")
    return "\n".join(texts)


def _hover_first_area(page, where: str) -> str:
    """Move the mouse over an area of the map, away from its label: the tooltip's text."""
    frame = page.frame_locator("iframe").first
    box = frame.locator("path.leaflet-interactive").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.12, box["y"] + box["height"] * 0.5)
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for(timeout=WAIT)
    text = tip.inner_text()
    _inert(page, f"{where}, tooltip vid hovring")
    return text


def _report_text(page, where: str, title: str) -> str:
    """The report shown in the page (st.iframe, srcdoc) whose <title> starts with ``title``."""
    selector = f"iframe[srcdoc*={json.dumps('<title>' + title, ensure_ascii=False)}]"
    frame = page.wait_for_selector(selector, timeout=WAIT).content_frame()
    frame.wait_for_selector("h1", timeout=WAIT)
    _inert(page, where)
    return frame.evaluate(FRAME_TEXT)


def _radio(page, group: str, option: str) -> None:
    page.locator("[data-testid='stRadio']", has_text=group).get_by_text(option, exact=True).click()
    _settled(page)


# Each page's extra steps, after its own text is read: more text to check, where, and the fields
# it must show. They change the data (the meeting is closed), so they run in PAGES' order.

def _meeting_minutes(page, _app: dict):
    """Close the meeting; the minutes are then shown in the page."""
    confirm = page.locator("[data-testid='stCheckbox']:visible", has_text="Jag vill låsa lägesbilden")
    confirm.locator("label").click()
    close = page.locator("[data-testid='stButton']:visible", has_text="Avsluta mötet").get_by_role("button")
    page.wait_for_function("b => !b.disabled", arg=close.element_handle(), timeout=WAIT)
    close.click()
    page.get_by_text("Mötet avslutades").wait_for(timeout=WAIT)
    _settled(page)
    where = "/est-mote, protokollet (HTML i sidan)"
    yield where, _report_text(page, where, "Protokoll"), (
        "Kommunnamnet", "Mötestiteln", "Alfaområdet", "Betaområdet", "Statusmotiveringen",
        "Mötesanteckningarna", "Mötesbeslutet")


REPORTS = {  # Rapporter: each report's label and the fields it shows
    "Lägesbild": ("Kommunnamnet", "Alfaområdet", "Betaområdet", "Alfaplatsen", "Indikatorn",
                  "Åtgärdstexten", "Problemtexten"),
    "Åtgärdsplan": ("Kommunnamnet", "Åtgärdstexten", "Ansvarsparten", "Mötesbeslutet", "Alfaplatsen"),
    "Protokoll från EST-möte": ("Kommunnamnet", "Mötestiteln", "Mötesbeslutet", "Mötesanteckningarna"),
    "Återkoppling (publik)": ("Kommunnamnet", "Mötesbeslutet"),
    "Uppföljning av överenskommelsen": ("Kommunnamnet", "Avtalstiteln", "Fokusområdet",
                                        "Åtagandetexten", "Åtgärdstexten"),
}


def _reports(page, _app: dict):
    """Each report as HTML, shown in the page."""
    for label, expected in REPORTS.items():
        where = f"/rapporter, {label} (HTML i sidan)"
        _radio(page, "Rapport", label)
        _radio(page, "Format", "HTML")
        page.get_by_role("button", name="Skapa rapporten").click()
        page.get_by_role("button", name=f"Ladda ner {label.lower()} (HTML").wait_for(timeout=WAIT)
        _settled(page)
        yield where, _report_text(page, where, label.split(" ")[0]), expected


def _planning_report(page, _app: dict):
    """The trygghetsbedömning of the saved plan as HTML, shown in the page."""
    where = "/samhallsplanering, trygghetsbedömningen (HTML i sidan)"
    _radio(page, "Format", "HTML")
    page.get_by_role("button", name="Skapa trygghetsbedömningen").click()
    page.get_by_role("button", name="Ladda ner trygghetsbedömningen (HTML").wait_for(timeout=WAIT)
    _settled(page)
    yield where, _report_text(page, where, "Trygghetsbedömning"), (
        "Plannamnet", "Planbeteckningen", "Alfaplatsen", "Åtgärdstexten", "Åtagandetexten",
        "Checklistkommentaren")


def _import_preview(page, app: dict):
    """A police export being imported: original categories and free text in the preview table
    and map, and the saved import profile in its list (nothing is imported)."""
    where = "/importera, förhandsvisning av polisen.csv"
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(app["folder"] / "polisen.csv"))
    page.get_by_text("Förhandsvisning", exact=True).wait_for(timeout=WAIT)
    _settled(page)
    _open_expanders_and_maps(page, 1)
    text = _read(page, where) + "\n" + _tooltips(page, where)
    picker = page.locator("[data-testid=stSelectbox]", has=page.locator("input[aria-label='Importprofil']"))
    picker.scroll_into_view_if_needed()  # the list closes when the page scrolls under it
    _settled(page)
    picker.click()
    profiles = page.locator("[role=listbox][aria-label='Importprofil']")
    profiles.get_by_role("option").nth(1).wait_for(timeout=WAIT)
    text += "\n" + profiles.inner_text()
    _inert(page, f"{where}, importprofilerna")
    page.keyboard.press("Escape")
    yield where, text, ("Kommunnamnet", "Brottstypen", "Brottsslaget", "Fritexten", "Importprofilen")


# Each page by its address: the selector of its last part, its map frames, the tag words of the
# fields it shows (each must be shown exactly as written, wherever it appears), and extra steps.
PAGES = {
    "": ("h3:has-text('Nyckeltal per område')", 1, ("Kommunnamnet", "Alfaområdet", "Betaområdet"), None),
    "est-mote": ("[data-testid=stExpander] summary:has-text('Avsluta mötet')", 0, (
        "Kommunnamnet", "Mötestiteln", "Alfaområdet", "Betaområdet", "Statusmotiveringen",
        "Mötesanteckningarna", "Sammanfattningen", "Mötesbeslutet", "Åtgärdstexten"), _meeting_minutes),
    "hotspots": ("role=tab[name='Felanmälningar']", 1, (
        "Kommunnamnet", "Alfaområdet", "Betaområdet", "Alfaplatsen", "Betaplatsen", "Platstypen"), None),
    "platser": ("role=tab[name='Åtgärder och uppföljning']", 1, (
        "Alfaplatsen", "Betaplatsen", "Alfaområdet", "Problemtexten",
        *(v.split()[0] for v in TRIANGLE.values()), "Förstavarför", "Andravarför", "Hypotesen",
        "Åtgärdstexten", "Ansvarsparten"), None),
    "atgarder": ("role=tab[name='Ändra åtgärd']", 0, (
        "Åtgärdstexten", "Ansvarsparten", "Mötesbeslutet", "Ansvarsrollen", "Alfaplatsen",
        "Problemtexten", "Fokusområdet", "Åtagandeparten", "Åtagandetexten", "Uppföljningsmetoden"), None),
    "overenskommelse": ("role=tab[name='Uppföljning av åtaganden']", 0, (
        "Avtalstiteln", "Filtiteln", "Fokusområdet", "Åtagandeparten", "Åtagandetexten", "Filåtagandet"),
     None),
    "samhallsplanering": ("button:has-text('Skapa trygghetsbedömningen')", 1, (
        "Plannamnet", "Planbeteckningen", "Plankällan", "Alfaplatsen", "Platstypen", "Åtgärdstexten",
        "Ansvarsparten", "Problemtexten", "Hypotesen", "Avtalstiteln", "Åtagandeparten",
        "Åtagandetexten", "Checklistkommentaren", "Versionsanteckningen"), _planning_report),
    "rapporter": ("button:has-text('Skapa rapporten')", 0, ("Kommunnamnet",), _reports),
    # single-user mode: the kommuner side by side are for kommunpolisen, not shown here
    "polisomrade": ("[data-testid=stExpander] summary", 0, ("Kommunnamnet", "Polisområdet"), None),
    "importera": ("[data-testid=stAlert]:has-text('Välj en fil')", 0, ("Kommunnamnet",), _import_preview),
    # the audit log shows before/after as JSON: there a field may also be read JSON-encoded
    "logg": ("[data-testid=stDataFrame]", 0, (
        "Plannamnet", "Checklistkommentaren", "Versionsanteckningen", "Mötesbeslutet",
        "Mötesanteckningarna"), None),
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_shows_hostile_text_as_text(hostile_app, shared, path):
    """Nothing runs (asserted at once) and every field is shown exactly as written (all problems
    of the page, its maps and its reports listed together)."""
    ready, maps, expected, extra = PAGES[path]
    where = f"/{path}"
    fields = {tag: (value,) for tag, value in hostile_app["fields"].items()}
    if path == "logg":
        fields = {tag: (value, json.dumps(value, ensure_ascii=False)[1:-1]) for tag, (value,) in fields.items()}
    _open(shared, hostile_app["base"], path, ready, maps)
    text = _read_with_tabs(shared, where) + "\n" + _tooltips(shared, where)
    if path == "":
        text += "\n" + _hover_first_area(shared, where)
    problems = _problems(text, fields, where, expected)
    if extra is not None:
        for step_where, step_text, step_expected in extra(shared, hostile_app):
            problems += _problems(step_text, fields, step_where, step_expected)
    if problems:
        shared.screenshot(path=str(ARTIFACTS / f"hostile-{path or 'oversikt'}.png"), full_page=True)
    assert not problems, "\n".join(problems)


# --- personal data typed into the UI (issue 15, item 4) ----------------------------------------

# Each field gets its own variant (en dash, prefix, dots, 12 digits, samordningsnummer, +46, e-mail,
# plates with dash and space), so a value found anywhere in the database names its field.
TYPED = {
    "Åtgärd": "Ring anmälaren 811218–9876",
    "Roll (aldrig ett personnamn)": "Fältare 070.123.45.67",
    "Hur följs den upp?": "Mejla anna.svensson@example.se",
    "Anteckningar (protokollet)": "Anmälare pnr-811218-9876 hördes",
    "Publik sammanfattning (går till återkopplingen)": "Frågor till +46 70 765 43 21",
    "Motivering": "Bilen ABC-123 syns varje kväll",
    "Beslut (vad ska göras?)": "Kontakta 19811218 9876",
    "Problem (vad, när)": "Klotter, anmält av 811278-9873",
    "Plats/miljö": "Parkering där MLB 45A står",
    "Varför? (en orsak per rad, från problemet och bakåt)": "Ingen ringer 0701234567",
    "Hypoteser": "Kontakt via lars(at)example.org",
    "Spara kolumnvalen som profil": "Profil 811218.9876",
    "Titel": "Överenskommelse, kontakt 08-123 456 78",
    "Planens namn": "Detaljplan ABC 12B",
    "Planbeteckning eller diarienummer (valfritt)": "Dnr anna.lind@boras.se",
    "Vad har ändrats? (valfritt)": "Efter samtal med 031-12 34 56",
}
PLAN_FILE = "detaljplan pnr 7812189871.geojson"

SECRETS = dict(zip(TYPED, ("811218–9876", "070.123.45.67", "anna.svensson@example.se", "811218-9876",
                           "+46 70 765 43 21", "ABC-123", "19811218 9876", "811278-9873", "MLB 45A",
                           "0701234567", "lars(at)example.org", "811218.9876", "08-123 456 78",
                           "ABC 12B", "anna.lind@boras.se", "031-12 34 56"), strict=True))


def _type(page, label: str) -> None:
    quoted = json.dumps(label, ensure_ascii=False)
    field = page.locator(f"textarea[aria-label={quoted}]:visible, input[aria-label={quoted}]:visible").first
    field.fill(TYPED[label])


def _save_masked(page, button: str, fields: tuple[str, ...], where: str) -> None:
    """Press ``button``: the warning names the kind and every field, nothing runs; then save masked."""
    page.locator("button:visible", has_text=button).first.click()
    warning = page.locator("[data-testid=stAlert]:visible", has_text="Texten innehåller något som ser ut som")
    warning.first.wait_for(timeout=WAIT)
    text = warning.first.inner_text()
    missing = [label for label in fields if label not in text]
    assert not missing, f"{where}: varningen nämner inte {missing}: {text}"
    _inert(page, where)
    page.get_by_role("button", name="Spara med uppgifterna maskerade").click()
    warning.first.wait_for(state="detached", timeout=WAIT)
    _settled(page)


def test_personal_data_typed_into_the_ui_is_warned_about_and_stored_masked(hostile_app, shared):
    """Typed in the browser, saved after the warning: the database (rows, audit log and all) holds
    none of the values, only the markers."""
    import sqlalchemy as sa

    from workbench.store import meetings, tables
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    store = open_store(hostile_app["db"])
    org_id = repo.find_organisation(store.engine, ORG)
    areas = repo.load_areas(store.engine, [org_id])
    with store.transaction() as conn:  # an open meeting of its own (the page tests close theirs)
        meetings.start_meeting(conn, org_id, meeting_date=date.today(), period_start=LATEST - timedelta(days=27),
                               period_end=LATEST, period_kind="custom", area_ids=[int(areas["id"].iloc[0])],
                               title="Mötet för personuppgifter", actor="test")
    base, page = hostile_app["base"], shared

    _open(page, base, "atgarder", "role=tab[name='Ändra åtgärd']")
    for label in ("Åtgärd", "Roll (aldrig ett personnamn)", "Hur följs den upp?"):
        _type(page, label)
    _save_masked(page, "Spara", ("”Åtgärd”", "”Roll”", "”Hur följs den upp?”"), "/atgarder")
    page.get_by_text("är sparad").first.wait_for(timeout=WAIT)

    _open(page, base, "est-mote", "[data-testid=stExpander] summary:has-text('Avsluta mötet')")
    _type(page, "Anteckningar (protokollet)")
    _type(page, "Publik sammanfattning (går till återkopplingen)")
    _save_masked(page, "Spara anteckningar", ("”Anteckningar”", "”Publik sammanfattning”"), "/est-mote, anteckningar")
    page.locator("[data-testid='stRadio']:visible", has_text="Status").first.get_by_text(
        "orange", exact=True).click()
    _type(page, "Motivering")
    _save_masked(page, "Spara status", ("”Motivering”",), "/est-mote, status")
    _type(page, "Beslut (vad ska göras?)")
    _save_masked(page, "Lägg till beslutet", ("”Beslut”",), "/est-mote, beslut")

    _open(page, base, "platser", "role=tab[name='Åtgärder och uppföljning']", 1)
    for label in ("Problem (vad, när)", "Plats/miljö", "Varför? (en orsak per rad, från problemet och bakåt)",
                  "Hypoteser"):
        _type(page, label)
    _save_masked(page, "Spara orsaksanalysen", ("”Problem”", "”Plats/miljö”", "”Varför?”", "”Hypoteser”"),
                 "/platser, orsaksanalys")

    _open(page, base, "importera", "[data-testid=stAlert]:has-text('Välj en fil')")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        str(hostile_app["folder"] / "polisen.csv"))
    page.get_by_text("Förhandsvisning", exact=True).wait_for(timeout=WAIT)
    _settled(page)
    _type(page, "Spara kolumnvalen som profil")
    _save_masked(page, "Spara profil", ("”Profilens namn”",), "/importera, profil")
    page.get_by_text("är sparad").first.wait_for(timeout=WAIT)

    _open(page, base, "overenskommelse", "role=tab[name='Uppföljning av åtaganden']")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        str(hostile_app["folder"] / "overenskommelse.txt"))
    page.locator("input[aria-label='Titel']").wait_for(timeout=WAIT)
    _settled(page)
    _type(page, "Titel")
    page.keyboard.press("Tab")
    _settled(page)
    _save_masked(page, "Spara överenskommelsen", ("”Titel”",), "/overenskommelse")
    page.get_by_text("Sparat:").first.wait_for(timeout=WAIT)

    (hostile_app["folder"] / PLAN_FILE).write_bytes(_layer([({"namn": "plan"}, _polygon((376300, 6400300, 376700, 6400700)))]))
    _open(page, base, "samhallsplanering", "[data-testid='stRadio']:has-text('Planområde')")
    _radio(page, "Planområde", "Ladda upp fil")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(hostile_app["folder"] / PLAN_FILE))
    page.locator("input[aria-label='Planens namn']").wait_for(timeout=WAIT)
    _settled(page)
    for label in ("Planens namn", "Planbeteckning eller diarienummer (valfritt)"):
        _type(page, label)
        page.keyboard.press("Tab")
        _settled(page)
    _save_masked(page, "Spara planen och bedömningen", ("”Planens namn”", "”Planbeteckning”", "”Fil”"),
                 "/samhallsplanering, ny plan")
    buffer = page.locator("input[aria-label='Omgivning runt planområdet (meter)']:visible").first
    buffer.wait_for(timeout=WAIT)
    buffer.fill("250")
    buffer.press("Enter")
    _settled(page)
    _type(page, "Vad har ändrats? (valfritt)")
    page.keyboard.press("Tab")
    _settled(page)
    _save_masked(page, "Spara ny version", ("”Vad har ändrats?”",), "/samhallsplanering, ny version")

    dump = []
    with store.engine.connect() as conn:
        for table in tables.ALL_TABLES:
            columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)]
            dump += [json.dumps(list(row), ensure_ascii=False, default=str)
                     for row in conn.execute(sa.select(*columns))] if columns else []
    stored = "\n".join(dump)
    leaked = {label: value for label, value in TYPED.items() if SECRETS[label] in stored}
    assert leaked == {} and "7812189871" not in stored, f"sparat omaskerat: {leaked}"
    for masked in ("Ring anmälaren [personnummer]", "Fältare [telefonnummer]", "Mejla [e-post]",
                   "Anmälare pnr-[personnummer] hördes", "Frågor till [telefonnummer]",
                   "Bilen [registreringsnummer] syns", "Kontakta [personnummer]", "anmält av [personnummer]",
                   "där [registreringsnummer] står", "Ingen ringer [telefonnummer]", "via [e-post]",
                   "Profil [personnummer]", "kontakt [telefonnummer]", "Detaljplan [registreringsnummer]",
                   "Dnr [e-post]", "Efter samtal med [telefonnummer]",
                   "detaljplan pnr [personnummer].geojson"):
        assert masked in stored, masked
