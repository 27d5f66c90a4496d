"""The ``workbench`` command. JSON results go to stdout, messages to stderr; errors are one sentence."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from workbench import __version__, cli_admin, cli_analysis, cli_reports, schema
from workbench.config import Settings, setting
from workbench.errors import WorkbenchError
from workbench.roles import ROLE_NAMES

OS_USER = os.environ.get("USER") or os.environ.get("USERNAME") or "okänd"
ACTOR = f"cli:{OS_USER}"
REPORT_KINDS = (*schema.REPORT_KINDS, "planning")
IMPORT_WHAT = schema.IMPORT_KINDS


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
    as_user = argparse.ArgumentParser(add_help=False)
    as_user.add_argument("--user", metavar="NAMN",
                         help="kör som ett lokalt konto med dess roll (lösenord från WORKBENCH_PASSWORD "
                              "eller frågas); utan --user kör du som serverns operatör")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    demo = sub.add_parser("demo", parents=[common], help="bygg om demodatabasen (idempotent)")
    demo.add_argument("--data-dir", metavar="DIR", help="mapp med layers/ och sample_incidents/")

    app = sub.add_parser("app", parents=[common], help="starta webbappen (Streamlit) på 127.0.0.1")
    app.add_argument("--port", type=int, default=8501, help="port (standard 8501)")

    imp = sub.add_parser("import", parents=[common, as_user], help="importera en fil")
    imp.add_argument("what", choices=IMPORT_WHAT, help="vad filen innehåller")
    imp.add_argument("file", help="filen (CSV, XLSX, GeoJSON, GeoPackage, zippad Shapefile)")
    imp.add_argument("--organisation", help="organisation (kommun) som äger raderna")
    imp.add_argument("--crs", help="koordinatsystem, t.ex. EPSG:3006 (annars upptäcks det)")
    imp.add_argument("--profile", help="sparad importprofil (kolumnmappning) att använda")
    imp.add_argument("--layer", default="district",
                     help="för areas: district, neighbourhood_watch, vulnerable_area, planned eller other")
    imp.add_argument("--walks", metavar="FIL",
                     help="för walks: tabellen med vandringarna (datum, område, deltagare)")
    imp.add_argument("--on-change", choices=("keep", "update"), default="keep",
                     help="en rad med samma id men annat innehåll: behåll den lagrade (keep, "
                          "standard) eller uppdatera den (update, loggas med före och efter)")
    imp.add_argument("--create-organisation", action="store_true",
                     help="skapa organisationen om den inte finns (annars är ett okänt namn ett fel)")
    imp.add_argument("--police-area", action="append", metavar="LPO",
                     help="fördela raderna på kommunerna i lokalpolisområdet (kan anges flera gånger); "
                          "rader för andra kommuner redovisas")
    lpo = sub.add_parser("police-area", parents=[common],
                         help="lägg upp ett lokalpolisområdes kommuner (en gång)")
    lpo.add_argument("name", help="lokalpolisområdets namn, t.ex. 'LPO Hallsberg'")
    lpo.add_argument("kommuner", nargs="+", metavar="KOMMUN", help="kommunernas namn eller kommunkoder")
    agreement = sub.add_parser("agreement", help="samverkansöverenskommelser och medborgarlöften")
    agreement_sub = agreement.add_subparsers(dest="agreement_command", required=True, metavar="KOMMANDO")
    parse = agreement_sub.add_parser("parse", parents=[common], help="tolka en text och skriv strukturen")
    parse.add_argument("file", help="text, Markdown, DOCX eller PDF")
    store_it = agreement_sub.add_parser("import", parents=[common, as_user],
                                        help="tolka och spara i databasen")
    store_it.add_argument("file", help="text, Markdown, DOCX eller PDF")
    store_it.add_argument("--organisation", help="organisation (kommun)")
    store_it.add_argument("--create-organisation", action="store_true",
                          help="skapa organisationen om den inte finns (annars är ett okänt namn ett fel)")

    hot = sub.add_parser("hotspots", parents=[common, as_user],
                         help="Getis-Ord Gi* per rutnätscell (GeoJSON i EPSG:4326 eller CSV) på stdout")
    hot.add_argument("--organisation", help="organisation (kommun)")
    hot.add_argument("--from", dest="start", metavar="ÅÅÅÅ-MM-DD", help="första dagen")
    hot.add_argument("--to", dest="end", metavar="ÅÅÅÅ-MM-DD", help="sista dagen (inklusive)")
    hot.add_argument("--category", action="append", default=[], help="kategori (kan upprepas)")
    hot.add_argument("--source", action="append", default=[],
                     choices=list(schema.SOURCES),
                     help="källa (kan upprepas; standard police)")
    hot.add_argument("--cell", type=int, help="cellstorlek i meter (standard WORKBENCH_GRID_SIZE)")
    hot.add_argument("--format", choices=["geojson", "csv"], default="geojson")
    cli_analysis.add_hotspot_options(hot)

    rep = sub.add_parser("report", parents=[common, as_user],
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

    cli_analysis.add_near_repeat_parser(sub, common, as_user)
    cli_analysis.add_export_parser(sub, common, as_user)
    user = sub.add_parser("user", help="lokala konton och roller (körs på servern)")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="KOMMANDO")
    add = user_sub.add_parser("add", parents=[common],
                              help="lägg till ett konto, eller en roll i en organisation till")
    add.add_argument("username", help="användarnamn (e-postadressen för OIDC-konton)")
    add.add_argument("--organisation", help="organisationen rollen gäller")
    add.add_argument("--role", required=True, choices=ROLE_NAMES, help="roll i organisationen")
    add.add_argument("--areas", metavar="A,B", help="housing: bolagets områden (kommaseparerade)")
    add.add_argument("--verksamhet", metavar="NAMN",
                     help="reporter (krävs): verksamheten kontot rapporterar för, "
                          "t.ex. \"Bostadsbolaget – Hässleholmen\"")
    add.add_argument("--name", help="visningsnamn")
    add.add_argument("--oidc", action="store_true",
                     help="kontot loggar in med OpenID Connect (inget lösenord)")
    add.add_argument("--password-stdin", action="store_true",
                     help="läs lösenordet från stdin (annars WORKBENCH_NEW_PASSWORD eller en fråga)")
    remove = user_sub.add_parser("remove", parents=[common], help="ta bort ett konto eller en roll")
    remove.add_argument("username")
    remove.add_argument("--organisation", help="ta bara bort rollen i den här organisationen")
    user_sub.add_parser("list", parents=[common], help="lista konton och roller")

    backup = sub.add_parser("backup", parents=[common],
                            help="ta en konsekvent säkerhetskopia av SQLite-databasen (även under drift)")
    backup.add_argument("--out", required=True, metavar="FIL", help="kopians fil")
    restore = sub.add_parser("restore", parents=[common],
                             help="återställ databasen från en säkerhetskopia (den gamla sparas bredvid)")
    restore.add_argument("file", metavar="FIL", help="säkerhetskopian")
    restore.add_argument("--wait", type=float, default=15.0, metavar="SEKUNDER",
                         help="så länge återställningen väntar på appens och importers öppna "
                              "transaktioner innan den avstår (standard 15)")
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
    from workbench.agreements.parse import parse_agreement
    from workbench.io.documents import extract_text
    from workbench.services.imports import read_file

    data, name = read_file(args.file, allowed="agreement")
    text = extract_text(data, name)
    document = parse_agreement(text).to_json()
    commitments = sum(len(f["commitments"]) for f in document["focus_areas"])
    summary = (f"{name}: {document['title']} – {len(document['focus_areas'])} fokusområden, "
               f"{commitments} åtaganden, {len(document['actions'])} rader i åtgärdstabellen.")
    if args.agreement_command == "parse":
        if args.json:
            sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
        else:
            sys.stderr.write(summary + "\n")
        return 0
    from workbench.access import gate
    from workbench.services import import_organisations
    from workbench.store.db import open_store

    settings = _settings(args)
    store = open_store(settings.db_url)
    create = import_organisations.organisation_to_create(
        store, args.organisation or settings.organisation, create=args.create_organisation)
    scope = _scope(args, store, settings, create=create)
    agreement_id = gate.save_agreement(store, scope, document, source_text=text)
    _emit(args, {"agreement_id": agreement_id, **document}, f"Sparad som överenskommelse {agreement_id}. {summary}")
    return 0


def _grid_command(args: argparse.Namespace):
    """Settings, store, the signed-in scope and the checked --cell of a grid command."""
    from workbench.store.db import open_store

    settings = _settings(args)
    store = open_store(settings.db_url)
    scope = _scope(args, store, settings)
    cell = args.cell or settings.grid_size_m
    if not 10 <= cell <= 10_000:
        raise WorkbenchError(f"--cell ska vara 10–10000 meter, fick {cell}.")
    return settings, store, scope, cell


def write_cells(cells, fmt: str) -> None:
    """Grid cells on stdout: CSV without geometry (formulas neutralised) or GeoJSON in WGS 84."""
    if fmt == "csv":
        from workbench.reports.cells import neutralise_frame  # openpyxl: only when needed

        sys.stdout.write(neutralise_frame(cells.drop(columns="geometry")).to_csv(index=False))
    else:
        from workbench.geo.crs import WGS84  # pyproj: only when needed

        sys.stdout.write(cells.to_crs(WGS84).to_json(drop_id=True) + "\n")


def cmd_hotspots(args: argparse.Namespace) -> int:
    if args.emerging:
        return cli_analysis.cmd_emerging(args)
    from workbench.access import gate
    from workbench.filters import EventFilter
    from workbench.services import hotspots as hs

    settings, store, scope, cell = _grid_command(args)
    event_filter = EventFilter(_date(args.start, "--from"), _date(args.end, "--to"),
                               tuple(args.category), tuple(args.source or ["police"]))
    try:  # the filter and the counting per cell go to the database
        result, n_points = gate.hotspot_cells(store, scope, event_filter, cell)
    except ValueError as exc:
        raise WorkbenchError(f"Ingen hot-spot-analys: {exc}.") from None
    cells = hs.result_frame(result)
    write_cells(cells, args.format)
    hot = int(cells["hotspot_class"].str.startswith("hot").sum())
    sys.stderr.write(f"{n_points} händelser med punkt, {len(cells)} celler à {cell} m, "
                     f"{hot} hot-spot-celler.\n")
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.load(db_url=getattr(args, "db", None))


def _scope(args: argparse.Namespace, store, settings: Settings, *, create: bool = False):
    """The scope the command runs in: a local account's role (--user, checked like a sign-in),
    or the operator's (whoever runs the CLI on the server can open the database anyway)."""
    from getpass import getpass

    from workbench.access.scope import open_scope, operator, sign_in_local
    from workbench.store import repositories as repo

    organisation = getattr(args, "organisation", None) or settings.organisation
    user = getattr(args, "user", None) or settings.cli_user
    if user:
        password = settings.cli_password
        if password is None:
            password = getpass(f"Lösenord för {user}: ")
        return open_scope(store, sign_in_local(store, user, password), organisation)
    if create:
        with store.transaction() as conn:
            repo.ensure_organisation(conn, organisation)
    return open_scope(store, operator(OS_USER), organisation)


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
        sys.executable, "-m", "workbench.ui.serve", "run", str(app_path),
        "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={args.port}",
        "--browser.gatherUsageStats=false", "--global.developmentMode=false",
        "--server.fileWatcherType=none", "--theme.base=light", "--client.toolbarMode=viewer",
        f"--server.maxUploadSize={settings.max_upload_mb}", "--server.enableXsrfProtection=true",
        # no full garbage collection after every run: it blocked every session (load test)
        "--runner.postScriptGC=false",
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
    # imported when run (the importers' pandas/openpyxl machinery costs other commands 0.3 s)
    from workbench.cli_import import cmd_import as run

    return run(args)


def cmd_police_area(args: argparse.Namespace) -> int:
    from workbench.cli_import import cmd_police_area as run

    return run(args)


COMMANDS = {"demo": cmd_demo, "app": cmd_app, "import": cmd_import, "police-area": cmd_police_area,
            "hotspots": cmd_hotspots,
            "agreement": cmd_agreement, "report": cli_reports.cmd_report, "user": cli_admin.cmd_user,
            "backup": cli_admin.cmd_backup, "restore": cli_admin.cmd_restore, "near-repeat": cli_analysis.cmd_near_repeat,
            "export": cli_analysis.cmd_export}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    debug = False
    try:
        debug = bool(setting("debug"))
        with warnings.catch_warnings():
            if not debug:  # library warnings name site-packages paths;
                warnings.simplefilter("ignore")  # what a person must know is in the problems
            return COMMANDS[args.command](args)
    except WorkbenchError as exc:
        sys.stderr.write(f"Fel: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a person gets one sentence, never a traceback
        if debug:
            raise
        # The message itself stays out: a database error echoes its SQL and parameters (cells
        # of the file), others name paths inside the installation.
        sys.stderr.write(f"Oväntat fel ({type(exc).__name__}). "
                         "Kör med WORKBENCH_DEBUG=1 för detaljer.\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
