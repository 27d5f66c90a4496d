"""Load the demo town (sample_incidents/ + layers/) with the same importers users run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from workbench.config import from_env
from workbench.demo._weekly_reports import add_weekly_reports
from workbench.errors import DemoDataMissingError
from workbench.services import imports
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import BoundStore, Store

DEMO_ORGANISATION = "Borås stad"
DEMO_POLICE_AREA = "Lokalpolisområde Borås"

LAYERS = (
    ("areas", "district", "omraden.geojson"),
    ("areas", "neighbourhood_watch", "grannsamverkan.geojson"),
    ("places", None, "platser.geojson"),
)
TABLES = (
    ("incidents", "polisen_export.csv"),
    ("fault-reports", "felanmalan_kommunen.csv"),
    ("housing-reports", "bostadsbolaget.csv"),
)
WALKS = ("trygghetsvandringar.csv", "trygghetsvandring_observationer.geojson")
AGREEMENT = "samverkansoverenskommelse_demo.md"
CITIZEN_PROMISE = "medborgarlofte_demo.md"
# the demo åtgärd that keeps a promise of the medborgarlöfte too: (words of the åtgärd, of the promise)
PROMISE_KEPT = ("Röjning av buskage vid gångtunneln", "buskage som skymmer sikten")
PLAN = "planomrade_norrby.geojson"  # a planned area, saved as a plan for the planning check

# (text, responsible party, role, start, due, status, place, words of the commitment it answers to)
DEMO_ACTIONS = (
    ("Ny belysning längs gångvägen vid Resecentrum", "Kommunen", "Gatuavdelningen",
     date(2025, 9, 1), date(2025, 12, 31), "genomförd", "Resecentrum", "trasig belysning"),
    ("Synlig polisnärvaro fredag–lördag kväll vid Resecentrum och Stora torget", "Polisen",
     "Kommunpolis", date(2025, 10, 1), date(2026, 3, 31), "pågår", "Stora torget", "synliga närvaron"),
    ("Klottersanering inom 24 timmar i Hässleholmen", "Kommunen", "Fastighetsförvaltningen",
     date(2025, 3, 1), date(2026, 12, 31), "pågår", "Hässleholmens centrum", "sanera klotter"),
    ("Röjning av buskage vid gångtunneln i Norrby", "Bostadsbolaget", "Områdesförvaltare",
     date(2026, 10, 1), date(2026, 11, 15), "planerad", "Gångtunneln vid Norrby", "röja vegetation"),
)


def demo_root() -> Path:
    """Folder holding layers/ and sample_incidents/: WORKBENCH_DEMO_DIR, else the repository."""
    configured = from_env("demo_dir")
    return configured if configured is not None else Path(__file__).resolve().parents[2]


def _required_files(root: Path) -> list[Path]:
    files = [root / "layers" / name for _, _, name in (*LAYERS, (None, None, PLAN))]
    files += [root / "sample_incidents" / name for _, name in TABLES]
    files += [root / "sample_incidents" / name for name in (*WALKS, AGREEMENT, CITIZEN_PROMISE)]
    return files


def _agreement_and_actions(conn, org_id: int, text: str, promise_text: str) -> None:
    """The demo agreement and medborgarlöfte, parsed like any other, and a few actions answering
    to the agreement's commitments (one keeps a promise of the medborgarlöfte too)."""
    from workbench.agreements.parse import parse_agreement

    parsed = parse_agreement(text).to_json()
    agreement_id = loop.save_agreement(conn, org_id, parsed, source_text=text, actor="demo")
    pledge_id = loop.save_agreement(conn, org_id, parse_agreement(promise_text).to_json(),
                                    source_text=promise_text, actor="demo")
    commitments = {row.id: row.text for row in conn.execute(
        select(t.Commitment.id, t.Commitment.text).select_from(t.Commitment.__table__.join(
            t.FocusArea.__table__)).where(t.FocusArea.agreement_id == agreement_id))}
    promises = {row.id: row.text for row in conn.execute(
        select(t.CitizenPromise.id, t.CitizenPromise.text).where(t.CitizenPromise.agreement_id == pledge_id))}
    places = dict(conn.execute(select(t.Place.name, t.Place.id).where(t.Place.organisation_id == org_id)).all())
    action_words, promise_words = PROMISE_KEPT
    for text_, party, role, start, due, status, place, words in DEMO_ACTIONS:
        linked = [cid for cid, commitment in commitments.items() if words in commitment]
        kept = [pid for pid, promise in promises.items() if promise_words in promise] \
            if action_words in text_ else []
        loop.create_action(conn, org_id, {"text": text_, "responsible_party": party,
                                          "responsible_role": role, "start_date": start,
                                          "due_date": due, "status": status,
                                          "place_id": places.get(place)},
                           actor="demo", commitment_ids=linked, promise_ids=kept)


# (level on the default scale grön/gul/orange/röd, motivation); mapped onto a configured scale
DEMO_STATUSES = {
    "Centrum": ("orange", "Fler rån och misshandel kring resecentrum helgkvällar."),
    "Hässleholmen": ("gul", "Klotter och skadegörelse i tvättstugor; annars stabilt."),
    "Norrby": ("gul", "Trasig belysning längs gångvägen; åtgärdad enligt felanmälan."),
    "Hulta": ("grön", "Lugnt; inga säkra förändringar."),
}


def _closed_meeting(store: Store, org_id: int) -> None:
    """One closed EST meeting on the month before the newest data, so history, status trend and a
    protokoll exist from the start (after the import transaction: it reads the stored figures)."""
    from datetime import timedelta

    from workbench.config import Settings
    from workbench.services import meetings as meeting_service
    from workbench.store import meetings

    _, latest = repo.data_extent(store.engine, "incident", [org_id])
    if latest is None:
        return
    end = latest.date().replace(day=1) - timedelta(days=1)
    areas = repo.load_areas(store.engine, [org_id]).set_index("name")["id"].astype(int)
    agenda = [int(areas[name]) for name in DEMO_STATUSES if name in areas.index]
    if not agenda:
        return
    settings = Settings.load(db_url=store.url)
    default = ("grön", "gul", "orange", "röd")
    scale = settings.status_levels
    meeting_id = meeting_service.start(store, org_id, kind="month", end=end, area_ids=agenda,
                                       actor="demo", meeting_date=end + timedelta(days=8))
    version = meetings.get_meeting(store.engine, org_id, meeting_id)["version"]
    for name, (level, motivation) in DEMO_STATUSES.items():
        if name in areas.index:
            version = meeting_service.set_status(store, org_id, meeting_id, version, int(areas[name]),
                                                 scale[min(default.index(level), len(scale) - 1)],
                                                 motivation, settings=settings, actor="demo")
    meeting_service.record_decision(store, org_id, meeting_id, {
        "text": "Polisen och kommunens trygghetsvärdar rör sig vid resecentrum fredag–lördag kväll",
        "responsible_party": "Polisen", "start_date": end + timedelta(days=10),
        "due_date": end + timedelta(days=70), "status": "pågår", "public": True,
        "area_id": int(areas["Centrum"]) if "Centrum" in areas.index else None}, actor="demo")
    version = meeting_service.update(store, org_id, meeting_id, version, {
        "notes": "Demomöte. Gruppen gick igenom fyra områden; Centrum prioriteras.",
        "public_summary": "Vi ökar närvaron vid resecentrum på helgkvällar och följer upp "
                          "belysningen i Norrby."}, actor="demo")
    meeting_service.close(store, settings, org_id, meeting_id, version, actor="demo")


def _saved_plan(store: Store, org_id: int, data: bytes) -> None:
    """The demo detaljplan as a saved plan (version 1): the planning check opens on it, with
    two areas of the BoTryggt checklist assessed the way a planner would."""
    import json

    from workbench.config import Settings
    from workbench.services import planning

    properties = json.loads(data)["features"][0]["properties"]
    settings = Settings.load(db_url=store.url)
    area = planning.read_plan(data, PLAN)
    result = planning.check(store, settings, org_id, area, buffer_m=200,
                            period=planning.default_period(store, org_id), name=properties["namn"],
                            reference=properties["planbeteckning"])
    planning.create(store, settings, org_id, result, name=properties["namn"],
                    reference=properties["planbeteckning"], source=PLAN, actor="demo", checklist=[
                        {"key": "lighting", "assessment": "needs_action",
                         "comment": "Gångvägen mot tunneln behöver jämn belysning utan mörka partier."},
                        {"key": "social_control", "assessment": "partly",
                         "comment": "Entréer mot gångvägen; buskagen vid tunneln ska hållas låga."}])


def load_demo(store: Store, root: Path | None = None,
              organisation: str = DEMO_ORGANISATION) -> dict[str, int]:
    """Rebuild the demo organisation from scratch in one transaction; returns its row counts.

    Other organisations in the database are left untouched. Running it twice gives the same counts.
    """
    root = root or demo_root()
    missing = [str(p) for p in _required_files(root) if not p.is_file()]
    if missing:
        raise DemoDataMissingError(
            f"Demodata saknas i {root}: {', '.join(missing[:3])}"
            + (f" (och {len(missing) - 3} till)" if len(missing) > 3 else "")
            + ". Återskapa med 'python -m workbench.demo.generate' eller ange --data-dir."
        )
    payloads = {p: p.read_bytes() for p in _required_files(root)}
    with store.transaction() as conn:
        existing = repo.find_organisation(conn, organisation)
        if existing is not None:
            repo.delete_organisation(conn, existing)
        repo.ensure_organisation(conn, organisation, kind="kommun", municipality_code="1490",
                                 police_area=DEMO_POLICE_AREA)
        bound = BoundStore(conn)
        for what, layer, name in LAYERS:
            path = root / "layers" / name
            imports.import_layer(bound, what, payloads[path], name, organisation,
                                 layer=layer or "district", actor="demo")
        for source, name in TABLES:
            path = root / "sample_incidents" / name
            imports.import_table(bound, source, payloads[path], name, organisation, actor="demo")
        walks, observations = (root / "sample_incidents" / n for n in WALKS)
        imports.import_walks(bound, payloads[observations], observations.name, organisation,
                             walks_data=payloads[walks], walks_name=walks.name, actor="demo")
        org_id = repo.find_organisation(conn, organisation)
        assert org_id is not None  # the imports above created it
        samples = root / "sample_incidents"
        _agreement_and_actions(conn, org_id, payloads[samples / AGREEMENT].decode("utf-8"),
                               payloads[samples / CITIZEN_PROMISE].decode("utf-8"))
        add_weekly_reports(conn, org_id)
    org_id = repo.find_organisation(store.engine, organisation)
    assert org_id is not None
    _closed_meeting(store, org_id)
    _saved_plan(store, org_id, payloads[root / "layers" / PLAN])
    counts = repo.row_counts(store.engine, org_id)
    return {k: v for k, v in counts.items() if k not in {"organisation", "audit_log"}}
