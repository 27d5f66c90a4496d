"""The ``workbench`` command. JSON results go to stdout, messages to stderr; errors are one sentence."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.config import Settings
from workbench.errors import WorkbenchError
from workbench.io.importers.sources import POINT_SOURCES

ACTOR = f"cli:{os.environ.get('USER') or os.environ.get('USERNAME') or 'okänd'}"
REPORT_KINDS = ("situation", "action-plan", "minutes", "feedback", "agreement-follow-up", "planning")
IMPORT_WHAT = ("incidents", "fault-reports", "housing-reports", "walks", "areas", "places",
               "area-indicators")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="EST-verktyget: lägesbild, hot-spots, orsaksanalys och åtgärder.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="databas-URL (standard: WORKBENCH_DB eller "
                        "en SQLite-fil i användarens datakatalog)")
    common.add_argument("--json", action="store_true", help="skriv resultatet som JSON på stdout")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    demo = sub.add_parser("demo", parents=[common], help="bygg om demodatabasen (idempotent)")
    demo.add_argument("--data-dir", metavar="DIR", help="mapp med layers/ och sample_incidents/")

    app = sub.add_parser("app", parents=[common], help="starta webbappen (Streamlit) på 127.0.0.1")
    app.add_argument("--port", type=int, default=8501, help="port (standard 8501)")

    imp = sub.add_parser("import", parents=[common], help="importera en fil")
    imp.add_argument("what", choices=IMPORT_WHAT, help="vad filen innehåller")
    imp.add_argument("file", help="filen (CSV, XLSX, GeoJSON, GeoPackage, zippad Shapefile)")
    imp.add_argument("--organisation", help="organisation (kommun) som äger raderna")
    imp.add_argument("--crs", help="koordinatsystem, t.ex. EPSG:3006 (annars upptäcks det)")
    imp.add_argument("--profile", help="sparad importprofil (kolumnmappning) att använda")
    imp.add_argument("--layer", default="district",
                     help="för areas: district, neighbourhood_watch, vulnerable_area, planned eller other")
    imp.add_argument("--walks", metavar="FIL",
                     help="för walks: tabellen med vandringarna (datum, område, deltagare)")
    agreement = sub.add_parser("agreement", help="samverkansöverenskommelser och medborgarlöften")
    agreement_sub = agreement.add_subparsers(dest="agreement_command", required=True, metavar="KOMMANDO")
    parse = agreement_sub.add_parser("parse", parents=[common], help="tolka en text och skriv strukturen")
    parse.add_argument("file", help="text, Markdown, DOCX eller PDF")
    store_it = agreement_sub.add_parser("import", parents=[common], help="tolka och spara i databasen")
    store_it.add_argument("file", help="text, Markdown, DOCX eller PDF")
    store_it.add_argument("--organisation", help="organisation (kommun)")

    hot = sub.add_parser("hotspots", parents=[common],
                         help="Getis-Ord Gi* per rutnätscell (GeoJSON i EPSG:4326 eller CSV) på stdout")
    hot.add_argument("--organisation", help="organisation (kommun)")
    hot.add_argument("--from", dest="start", metavar="ÅÅÅÅ-MM-DD", help="första dagen")
    hot.add_argument("--to", dest="end", metavar="ÅÅÅÅ-MM-DD", help="sista dagen (inklusive)")
    hot.add_argument("--category", action="append", default=[], help="kategori (kan upprepas)")
    hot.add_argument("--source", action="append", default=[],
                     choices=["police", "municipality", "housing", "walk"],
                     help="källa (kan upprepas; standard police)")
    hot.add_argument("--cell", type=int, help="cellstorlek i meter (standard WORKBENCH_GRID_SIZE)")
    hot.add_argument("--format", choices=["geojson", "csv"], default="geojson")

    rep = sub.add_parser("report", parents=[common],
                         help="skriv en rapport: lägesbild, åtgärdsplan, protokoll, återkoppling, "
                              "uppföljning av överenskommelsen, trygghetsbedömning av ett planområde")
    rep.add_argument("kind", choices=REPORT_KINDS, help="vilken rapport")
    rep.add_argument("--from", dest="start", metavar="ÅÅÅÅ-MM-DD", help="periodens första dag")
    rep.add_argument("--to", dest="end", metavar="ÅÅÅÅ-MM-DD", help="periodens sista dag (inklusive)")
    rep.add_argument("--organisation", help="organisation (kommun)")
    rep.add_argument("--meeting", type=int, metavar="ID",
                     help="EST-mötets id (protokoll: standard senast avslutade möte)")
    rep.add_argument("--area", metavar="FIL", help="planning: planområdet som GeoJSON, GeoPackage, "
                     "zippad Shapefile eller DXF")
    rep.add_argument("--plan", metavar="NAMN", help="planning: en sparad plan (med dess senaste "
                     "checklista) i stället för --area")
    rep.add_argument("--buffer", type=float, metavar="METER",
                     help="planning: omgivningen runt planområdet i meter (standard 200, eller den "
                          "sparade planens)")
    rep.add_argument("--crs", metavar="EPSG:NNNN", help="planning: koordinatsystem för en fil som "
                     "saknar det (t.ex. DXF i SWEREF 99 13 30 = EPSG:3008)")
    rep.add_argument("--name", metavar="TEXT", help="planning: rubrik (standard filens namn)")
    rep.add_argument("--out", required=True, metavar="FIL",
                     help="utfil; formatet följer ändelsen .html, .pdf eller .xlsx")
    return parser


def _date(value: str | None, name: str):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise WorkbenchError(f"{name} ska vara ett datum ÅÅÅÅ-MM-DD, fick '{value}'.") from None


def cmd_agreement(args: argparse.Namespace) -> int:
    from workbench.agreements.parse import extract_text, parse_agreement
    from workbench.services.imports import read_file

    data, name = read_file(args.file)
    parsed = parse_agreement(extract_text(data, name))
    document = parsed.to_json()
    commitments = sum(len(f["commitments"]) for f in document["focus_areas"])
    summary = (f"{name}: {document['title']} – {len(document['focus_areas'])} fokusområden, "
               f"{commitments} åtaganden, {len(document['actions'])} rader i åtgärdstabellen.")
    if args.agreement_command == "parse":
        if args.json:
            sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
        else:
            sys.stderr.write(summary + "\n")
        return 0
    from workbench.store import loop
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    settings = _settings(args)
    store = open_store(settings.db_url)
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, args.organisation or settings.organisation)
        agreement_id = loop.save_agreement(conn, org_id, document, source_text=extract_text(data, name),
                                           actor=ACTOR)
    _emit(args, {"agreement_id": agreement_id, **document}, f"Sparad som överenskommelse {agreement_id}. {summary}")
    return 0


def cmd_hotspots(args: argparse.Namespace) -> int:
    from workbench.filters import EventFilter
    from workbench.services import hotspots as hs
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    settings = _settings(args)
    store = open_store(settings.db_url)
    organisation = args.organisation or settings.organisation
    org_id = repo.find_organisation(store.engine, organisation)
    if org_id is None:
        raise WorkbenchError(f"Organisationen '{organisation}' finns inte i databasen.")
    cell = args.cell or settings.grid_size_m
    if not 10 <= cell <= 10_000:
        raise WorkbenchError(f"--cell ska vara 10–10000 meter, fick {cell}.")
    event_filter = EventFilter(_date(args.start, "--from"), _date(args.end, "--to"),
                               tuple(args.category), tuple(args.source or ["police"]))
    events = hs.load_events(store, [org_id])
    try:
        run = hs.run(events, hs.study_extent(store, org_id, events), event_filter, cell)
    except ValueError as exc:
        raise WorkbenchError(f"Ingen hot-spot-analys: {exc}.") from None
    cells = hs.cell_frame(run)
    if args.format == "csv":
        sys.stdout.write(cells.drop(columns="geometry").to_csv(index=False))
    else:
        sys.stdout.write(cells.to_crs("EPSG:4326").to_json(drop_id=True) + "\n")
    hot = int(cells["hotspot_class"].str.startswith("hot").sum())
    sys.stderr.write(f"{len(run.points)} händelser med punkt, {len(cells)} celler à {cell} m, "
                     f"{hot} hot-spot-celler.\n")
    return 0


def _period_option(args: argparse.Namespace):
    """The period of --from/--to, None when neither is given."""
    from workbench.situation import Period

    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if (start is None) != (end is None):
        raise WorkbenchError("Ange både --from och --to (eller ingen av dem).")
    if start is not None and end < start:
        raise WorkbenchError(f"--to ({end}) ligger före --from ({start}).")
    return None if start is None else Period(start, end)


def _report_period(args: argparse.Namespace, store, org_id: int):
    """--from/--to, else the last whole month with data (None for reports that need no period)."""
    from workbench.schema import KIND_INCIDENT
    from workbench.situation import preset_period
    from workbench.store import repositories as repo

    given = _period_option(args)
    if given is not None:
        return given
    if args.kind not in ("situation", "feedback") or args.meeting:
        return None
    _, latest = repo.data_extent(store.engine, KIND_INCIDENT, [org_id])
    if latest is None:
        raise WorkbenchError("Det finns inga händelser; ange perioden med --from och --to.")
    return preset_period("month", latest.date())  # the last whole month with data


def cmd_report(args: argparse.Namespace) -> int:
    from workbench.services import reports
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    settings = _settings(args)
    fmt = reports.format_of(args.out)
    store = open_store(settings.db_url)
    organisation = args.organisation or settings.organisation
    org_id = repo.find_organisation(store.engine, organisation)
    if org_id is None:
        raise WorkbenchError(f"Organisationen '{organisation}' finns inte i databasen.")
    if args.kind == "planning":
        return _report_planning(args, store, settings, org_id, fmt)
    period = _report_period(args, store, org_id)
    built = reports.build(args.kind, fmt, store, settings, org_id, period=period,
                          meeting_id=args.meeting)
    out = _write_atomically(args.out, built.data)
    payload = {"kind": args.kind, "format": fmt, "out": str(out), "bytes": len(built.data),
               "organisation": organisation,
               "period": None if period is None else {"start": str(period.start), "end": str(period.end)},
               "meeting": args.meeting}
    _emit(args, payload, f"{reports.KIND_LABELS_SV[args.kind]} sparad i {out} ({len(built.data):,} byte).")
    return 0


def _write_atomically(path: str, data: bytes) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.part")
    partial.write_bytes(data)
    partial.replace(out)  # never a half-written report under the real name
    return out


def _report_planning(args: argparse.Namespace, store, settings: Settings, org_id: int, fmt: str) -> int:
    from workbench.planning.area import DEFAULT_BUFFER_M, PlanArea
    from workbench.services import imports, planning

    if (args.area is None) == (args.plan is None):
        raise WorkbenchError("Ange planområdet med --area FIL eller en sparad plan med --plan NAMN.")
    period = _period_option(args) or planning.default_period(store, org_id)
    checklist = version = reference = None
    if args.plan:
        plan_id = planning.find(store, org_id, args.plan)
        saved = planning.stored_plan(store, org_id, plan_id)
        area, name, reference = PlanArea(saved["geometry"]), args.name or saved["name"], saved["reference"]
        buffer_m = args.buffer if args.buffer is not None else saved["buffer_m"]
        checklist, version = saved["checklist"], planning.version_label(saved)
    else:
        data, file_name = imports.read_file(args.area)
        area = planning.read_plan(data, file_name, crs=args.crs)
        name = args.name or Path(file_name).stem
        buffer_m = DEFAULT_BUFFER_M if args.buffer is None else args.buffer
    result = planning.check(store, settings, org_id, area, buffer_m=buffer_m, period=period,
                            name=name, reference=reference)
    built = planning.report(result, fmt, checklist=checklist, version=version)
    out = _write_atomically(args.out, built.data)
    f = result.figures
    payload = {"kind": "planning", "format": fmt, "out": str(out), "bytes": len(built.data),
               "name": name, "buffer_m": f.buffer_m, "area_m2": round(f.plan_area_m2, 1),
               "period": {"start": str(period.start), "end": str(period.end)},
               "notes": list(area.notes), "empty": f.is_empty,
               "counts": planning.summary(result, settings.min_count)}
    lines = [f"Trygghetsbedömning av {name} sparad i {out} ({len(built.data):,} byte)."]
    lines += [f"  {note}" for note in area.notes]
    _emit(args, payload, "\n".join(lines))
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.load(db_url=getattr(args, "db", None))


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if args.json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write(text + "\n")


def cmd_demo(args: argparse.Namespace) -> int:
    from workbench.demo.load import load_demo
    from workbench.store.db import open_store

    settings = _settings(args)
    store = open_store(settings.db_url)
    counts = load_demo(store, Path(args.data_dir) if args.data_dir else None)
    text = "Demodatabasen är byggd: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    _emit(args, {"database": store.url if "@" not in store.url else "(dold)", "counts": counts}, text)
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from workbench.store.db import open_store, safe_url

    settings = _settings(args)
    open_store(settings.db_url)  # fail here, clearly, rather than inside the browser
    app_path = Path(__file__).with_name("ui") / "app.py"
    env = dict(os.environ, WORKBENCH_DB=settings.db_url)
    command = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={args.port}",
        "--browser.gatherUsageStats=false", "--global.developmentMode=false",
        "--server.fileWatcherType=none", "--theme.base=light", "--client.toolbarMode=viewer",
    ]
    sys.stderr.write(f"Startar EST-verktyget på http://127.0.0.1:{args.port} "
                     f"(databas {safe_url(settings.db_url)})\n")
    sys.stderr.flush()
    if os.name == "posix":  # become Streamlit: a stop signal to this process reaches the server
        os.execve(sys.executable, command, env)
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


def cmd_import(args: argparse.Namespace) -> int:
    from workbench.services import imports
    from workbench.store.db import open_store

    settings = _settings(args)
    organisation = args.organisation or settings.organisation
    data, name = imports.read_file(args.file)
    store = open_store(settings.db_url)
    if args.what in POINT_SOURCES:
        report = imports.import_table(store, args.what, data, name, organisation, crs=args.crs,
                                      profile=args.profile, sensitive=settings.sensitive_categories,
                                      actor=ACTOR)
    elif args.what in ("areas", "places"):
        report = imports.import_layer(store, args.what, data, name, organisation, layer=args.layer,
                                      actor=ACTOR)
    elif args.what == "area-indicators":
        report = imports.import_indicators(store, data, name, organisation, actor=ACTOR)
    else:
        walks_data, walks_name = imports.read_file(args.walks) if args.walks else (None, None)
        report = imports.import_walks(store, data, name, organisation, walks_data=walks_data,
                                      walks_name=walks_name, crs=args.crs, actor=ACTOR)
    lines = [f"{name}: {report.imported} importerade, {report.duplicates} dubbletter, "
             f"{report.rejected} avvisade, {report.redacted} personuppgifter maskerade"
             + (f", koordinatsystem {report.crs}" if report.crs else "") + "."]
    lines += [f"  {p}" for p in report.problems[:50]]
    if len(report.problems) > 50:
        lines.append(f"  … och {len(report.problems) - 50} problem till (se --json).")
    _emit(args, report.to_json(), "\n".join(lines))
    return 0


COMMANDS = {"demo": cmd_demo, "app": cmd_app, "import": cmd_import, "hotspots": cmd_hotspots,
            "agreement": cmd_agreement, "report": cmd_report}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except WorkbenchError as exc:
        sys.stderr.write(f"Fel: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a person gets one sentence, never a traceback
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        sys.stderr.write(f"Oväntat fel ({type(exc).__name__}): {exc}. "
                         "Kör med WORKBENCH_DEBUG=1 för detaljer.\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
