"""SIGKILL at random moments loses nothing and leaves nothing half-written.

*Import*: the command-line import of a generated 30 000-row kommunpolis export is killed ~16
times: half at a uniformly random moment of a measured full run, half at a random moment after
the import's write transaction began (``victim.py import`` marks it). After every kill the
database passes ``PRAGMA integrity_check`` and holds either none or all of the file's importable
rows, and every import batch has its rows and its audit entry (and no row lacks its batch).
Finally a clean re-import completes and a second one is idempotent.

*Edits*: ``victim.py edit`` updates actions and a meeting's notes through the store functions,
one transaction per step, and is killed ~15 times. The invariant after each kill: every action's
version is 1 + the number of its ``update`` audit entries, whose versions run 2, 3, … without a
gap, and the stored text and status are the ``after`` of its last entry; the meeting likewise;
a step that wrote an action and the notes together is either wholly there or wholly absent; and
the steps of each victim run are 1…k with nothing missing in between.

PostgreSQL (``WORKBENCH_TEST_PG_URL``) runs a smaller version of both.

The victims are forked from ``victim.py server``, which has imported the workbench once: each
kill then costs the import or the edits, not 1–4 s of starting Python and importing pandas,
geopandas and SQLAlchemy (the part of a run that never touches the database). The victim runs
``workbench.cli.main`` itself, in its own process, with its own connections. The clean re-import
at the end is the real ``python -m workbench import``.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.conftest import PG_ENV, REPO

pytestmark = pytest.mark.slow

VICTIM = Path(__file__).with_name("victim.py")
ORG = "Feltestkommun"
CATEGORIES = ("Stöld", "Skadegörelse", "Butiksstöld/snatteri", "Cykelstöld",
              "Skadegörelse genom klotter", "Narkotikabrott, innehav", "Ordningsstörning",
              "Misshandel, utomhus", "Ofredande", "Olaga hot", "Inbrott i bostad")
TEXTS = ("Plånbok stulen ur väska.", "Butikspersonal ingrep.", "Glasdörr spräckt efter stenkast.",
         "Anmälaren nås på 070-123 45 67.", "Vittne 19811218-9876 såg händelsen.",
         "Bil ABC 123 stod parkerad.")
BOXES = ((374000, 6398000), (377000, 6398000), (374000, 6400500), (377000, 6400500))


# --- fixture data, generated -----------------------------------------------------------------

def write_areas(path: Path) -> Path:
    """Four 3 × 2.5 km districts in SWEREF 99 TM (the incidents fall in them)."""
    features = [{"type": "Feature", "properties": {"namn": f"Område {k}", "kod": f"FT{k:02d}"},
                 "geometry": {"type": "Polygon", "coordinates": [[
                     [x, y], [x + 3000, y], [x + 3000, y + 2500], [x, y + 2500], [x, y]]]}}
                for k, (x, y) in enumerate(BOXES)]
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": {
        "type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}, "features": features}),
        encoding="utf-8")
    return path


def write_export(path: Path, first: int, rows: int, seed: int) -> Path:
    """A kommunpolis export like sample_incidents/polisen_export.csv (UTF-8 with BOM, CRLF, ';'):
    ids ``first``…, ~1 % without a date (rejected), ~0.5 % repeated ids (duplicates within the
    file), ~5 % free text, some of it with personal data to redact."""
    rng = random.Random(seed)
    lines = ["Händelsenummer;Brottstyp;Från datum;Från tid;Till datum;Till tid;X;Y;Områdeskod;Fritext"]
    start = datetime(2025, 1, 1)
    for i in range(first, first + rows):
        number = i - 1 if rng.random() < 0.005 and i > first else i
        when = start + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        until = when + timedelta(hours=rng.randint(1, 12)) if rng.random() < 0.2 else None
        text = rng.choice(TEXTS) if rng.random() < 0.05 else ""
        day = "" if rng.random() < 0.01 else f"{when:%Y-%m-%d}"
        lines.append(
            f"5000-K{number:06d}-25;{rng.choice(CATEGORIES)};{day};{when:%H:%M};"
            f"{f'{until:%Y-%m-%d};{until:%H:%M}' if until else ';'};"
            f"{rng.randint(6398000, 6402990)};{rng.randint(374000, 379990)};;{text}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


# --- running the command line in killable processes ------------------------------------------

class Victim:
    """One child of the fork server; its stderr (the markers) comes through a FIFO."""

    def __init__(self, server: ForkServer, pid: int, stream) -> None:  # noqa: ANN001
        self.server, self.pid, self.stream, self.seen = server, pid, stream, []

    def wait_for(self, name: str) -> bool:
        """Block until the child writes the marker ``@@name`` (False if it ended first)."""
        for line in self.stream:
            self.seen.append(line)
            if line.startswith(f"@@{name} "):
                return True
        return False

    def end(self, *, kill: bool) -> tuple[list[str], int]:
        """SIGKILL (or let it finish), reap; (every marker it wrote, its return code)."""
        if kill:
            os.kill(self.pid, signal.SIGKILL)
        self.seen += self.stream.read().splitlines(keepends=True)
        self.stream.close()
        returncode = self.server.ask({"wait": self.pid})["returncode"]
        return [line.split()[0][2:] for line in self.seen if line.startswith("@@")], returncode


class ForkServer:
    """``victim.py server``: forks victims with the workbench already imported."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.count = folder, 0
        self.process = subprocess.Popen([sys.executable, str(VICTIM), "server"], cwd=REPO,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "@@READY"

    def ask(self, command: dict) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def start(self, mode: str, *args: str, stdout: Path | None = None) -> Victim:
        self.count += 1
        fifo = self.folder / f"victim{self.count}.fifo"
        os.mkfifo(fifo)
        pid = self.ask({"run": mode, "args": list(args), "stderr": str(fifo),
                        "stdout": None if stdout is None else str(stdout)})["pid"]
        return Victim(self, pid, open(fifo, encoding="utf-8"))  # noqa: SIM115 - closed in end()

    def run(self, mode: str, *args: str) -> dict:
        """Run a victim to completion; its JSON answer."""
        out = self.folder / f"out{self.count + 1}.json"
        victim = self.start(mode, *args, stdout=out)
        _, returncode = victim.end(kill=False)
        assert returncode == 0, "".join(victim.seen)
        return json.loads(out.read_text(encoding="utf-8"))

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    forks = ForkServer(tmp_path_factory.mktemp("victims"))
    yield forks
    forks.close()


def cli(*args: str) -> dict:
    """The real ``python -m workbench … --json``, to completion; its JSON answer."""
    done = subprocess.run([sys.executable, "-m", "workbench", *args, "--json"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def import_args(url: str, csv: Path) -> list[str]:
    return ["import", "incidents", str(csv), "--db", url, "--organisation", ORG, "--json"]


def phase(markers: list[str], returncode: int) -> str:
    if returncode == 0:
        return "finished"
    assert returncode == -signal.SIGKILL, f"the import failed by itself ({returncode})"
    if "COMMIT" in markers:
        return "committing"  # killed after the commit was issued: either outcome is correct
    if "WRITE" in markers:
        return "mid-transaction"
    return "before-write"


# --- the invariants --------------------------------------------------------------------------

def engine_for(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=NullPool)


def integrity(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


@dataclass(frozen=True)
class ImportState:
    incidents: int
    batches: dict[int, int]  # batch id → n_imported


def import_state(url: str) -> ImportState:
    """The incident import state, after checking it is whole: integrity, every batch with its
    audit entry and its rows, no row without its batch."""
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            integrity(conn)
            incidents = conn.execute(sa.text("SELECT count(*) FROM incident")).scalar_one()
            per_batch = dict(conn.execute(sa.text(
                "SELECT batch_id, count(*) FROM incident GROUP BY batch_id")).all())
            batches = dict(conn.execute(sa.text(
                "SELECT id, n_imported FROM import_batch WHERE source_kind = 'incidents'")).all())
            audits = conn.execute(sa.text(
                "SELECT entity_id, after FROM audit_log WHERE verb = 'import' AND entity = 'incident'"
            )).all()
    finally:
        engine.dispose()
    assert None not in per_batch, f"{per_batch[None]} incidents without an import batch"
    assert per_batch == {b: n for b, n in batches.items() if n}, "batch counts ≠ rows per batch"
    audited = {int(entity_id): after if isinstance(after, dict) else json.loads(after)
               for entity_id, after in audits}
    assert set(audited) == set(batches), "import batches and their audit entries differ"
    assert {b: a["imported"] for b, a in audited.items()} == batches
    return ImportState(incidents, batches)


def assert_edit_history(url: str) -> dict[str, int]:
    """The edit invariants over the whole history; returns counts for the report."""
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            integrity(conn)
            actions = conn.execute(sa.text("SELECT id, version, text, status FROM action")).all()
            meeting = conn.execute(sa.text("SELECT id, version, notes FROM situation")).one()
            entries = conn.execute(sa.text(
                "SELECT entity, entity_id, verb, before, after FROM audit_log "
                "WHERE entity IN ('action', 'situation') ORDER BY id")).all()
    finally:
        engine.dispose()
    history: dict[tuple[str, str], list[tuple[str, dict, dict]]] = {}
    for entity, entity_id, verb, before, after in entries:
        before = json.loads(before) if isinstance(before, str) else before
        after = json.loads(after) if isinstance(after, str) else after
        history.setdefault((entity, entity_id), []).append((verb, before, after))
    steps: dict[str, set[str]] = {"action": set(), "situation": set()}
    for action_id, version, text, status in actions:
        log = history[("action", str(action_id))]
        assert log[0][0] == "insert" and all(verb == "update" for verb, _, _ in log[1:])
        updates = log[1:]
        assert version == 1 + len(updates), f"action {action_id}: version {version}, {len(updates)} updates"
        assert [a["version"] for _, _, a in updates] == list(range(2, version + 1))
        assert all(b["version"] + 1 == a["version"] for _, b, a in updates)
        last = log[-1][2]
        assert (text, status) == (last["text"], last["status"]), f"action {action_id} ≠ its last audit entry"
        steps["action"] |= {re.search(r"r\d+n\d+", a["text"]).group() for _, _, a in updates}
    meeting_id, meeting_version, notes = meeting
    log = history[("situation", str(meeting_id))]
    updates = [after for verb, _, after in log if verb == "update"]
    assert meeting_version == 1 + len(updates)
    assert notes == (updates[-1]["notes"] if updates else None)
    steps["situation"] = {re.search(r"r\d+n\d+", a["notes"]).group() for a in updates}
    # a step that wrote an action and the notes together is wholly there or wholly absent
    paired = {s for s in steps["action"] if int(s.split("n")[1]) % 3 == 0}
    assert paired == steps["situation"], "half of a two-row transaction survived"
    # each victim run's steps are 1…k: a later step never survives without the earlier ones
    runs: dict[int, list[int]] = {}
    for s in steps["action"]:
        run, step = (int(x) for x in s[1:].split("n"))
        runs.setdefault(run, []).append(step)
    for run, done in runs.items():
        assert sorted(done) == list(range(1, len(done) + 1)), f"run {run} lost a step in the middle"
    return {"steps": len(steps["action"]), "runs": len(runs)}


# --- kill during import ----------------------------------------------------------------------

def copy_sqlite(source: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    if Path(f"{source}-wal").exists():
        shutil.copyfile(f"{source}-wal", f"{target}-wal")


def measure(server: ForkServer, url: str, csv: Path) -> tuple[float, float, dict]:
    """One full import: (seconds, seconds of its write transaction, its JSON answer)."""
    out = server.folder / "measured.json"
    begun = time.monotonic()
    victim = server.start("import", *import_args(url, csv), stdout=out)
    _, returncode = victim.end(kill=False)
    elapsed = time.monotonic() - begun
    assert returncode == 0, "".join(victim.seen)
    marks = {line.split()[0][2:]: float(line.split()[1]) for line in victim.seen
             if line.startswith("@@")}
    return elapsed, marks["COMMIT"] - marks["WRITE"], json.loads(out.read_text(encoding="utf-8"))


def kill_import(server: ForkServer, url: str, csv: Path, *, targeted: bool,
                delay: float) -> tuple[str, dict[str, float], float]:
    """Start the import; SIGKILL it ``delay`` s after it started (or after its write began).
    Returns the phase it was killed in, its markers' times and how long it lived."""
    begun = time.monotonic()
    victim = server.start("import", *import_args(url, csv))
    if targeted:
        assert victim.wait_for("WRITE"), "".join(victim.seen)
    time.sleep(delay)
    markers, returncode = victim.end(kill=True)
    times = {line.split()[0][2:]: float(line.split()[1]) for line in victim.seen
             if line.startswith("@@")}
    return phase(markers, returncode), times, time.monotonic() - begun


def run_import_kills(server: ForkServer, url_of, restore, csv: Path, *, iterations: int,
                     seed: int, measured_url: str) -> dict:
    """The kill loop shared by SQLite and PostgreSQL. ``url_of(i)`` gives the database of
    iteration i, ``restore(i)`` resets it to the state before the import."""
    total, write_s, reference = measure(server, measured_url, csv)
    measured = (total, write_s)
    importable = reference["imported"]
    assert importable > 20_000 if "sqlite" in measured_url else importable > 5_000
    rng = random.Random(seed)
    phases = []
    before = None
    for i in range(iterations):
        restore(i)
        url = url_of(i)
        if before is None:
            before = import_state(url)
        # odd iterations: a moment within the write transaction; even: within the whole run.
        # Both are fractions of the shortest run seen so far, so a measurement slowed down by
        # other work on the machine does not push every later kill past the commit.
        targeted = i % 2 == 1
        delay = rng.uniform(0, 0.8) * (write_s if targeted else total)
        kind, times, lived = kill_import(server, url, csv, targeted=targeted, delay=delay)
        if "WRITE" in times and "COMMIT" in times:
            write_s = min(write_s, times["COMMIT"] - times["WRITE"])
        if kind == "finished":
            total = min(total, lived)
        after = import_state(url)
        phases.append(kind)
        if kind in ("before-write", "mid-transaction"):
            assert after == before, f"kill {i} ({kind}, {delay:.2f} s) changed the database"
        elif kind == "finished":
            assert after.incidents == before.incidents + importable
        else:
            assert after.incidents in (before.incidents, before.incidents + importable), (
                f"kill {i} ({kind}): {after.incidents - before.incidents} of {importable} rows")
        if after.incidents != before.incidents:
            assert len(after.batches) == len(before.batches) + 1
            assert after.incidents == before.incidents + importable
        else:
            assert after.batches == before.batches
    # the test is only worth something if kills really hit the open write transaction (how
    # many do depends on the machine's load; the seeded delays aim half of them at it)
    assert "mid-transaction" in phases, phases
    return {"total_s": measured[0], "write_s": measured[1], "importable": importable,
            "reference": reference, "phases": phases, "before": before}


def assert_reimport(server: ForkServer, url: str, csv: Path, result: dict) -> None:
    """After the last kill: a clean import (the real ``python -m workbench``) completes, and a
    second one adds nothing."""
    state = import_state(url)
    before, importable, reference = result["before"], result["importable"], result["reference"]
    stored = state.incidents - before.incidents
    first = cli(*import_args(url, csv)[:-1])
    assert first["imported"] == importable - stored
    assert first["rejected"] == reference["rejected"]
    assert import_state(url).incidents == before.incidents + importable
    second = server.run("import", *import_args(url, csv))
    assert second["imported"] == 0
    assert second["duplicates"] == reference["imported"] + reference["duplicates"]
    final = import_state(url)
    assert final.incidents == before.incidents + importable
    assert final.batches[max(final.batches)] == 0


def prepare(server: ForkServer, url: str, tmp: Path, *, base_rows: int) -> None:
    """Organisation, districts and an earlier import (so 'before' is not empty), via the CLI."""
    server.run("import", "import", "areas", str(write_areas(tmp / "omraden.geojson")), "--db", url,
               "--organisation", ORG, "--json")
    base = server.run("import", *import_args(url, write_export(tmp / "tidigare.csv", 0, base_rows, seed=1)))
    assert base["imported"] > 0.95 * base_rows


def test_kill_during_import_sqlite(server: ForkServer, tmp_path: Path, capsys):
    work = tmp_path / "import.sqlite"
    pristine, scratch = tmp_path / "pristine.sqlite", tmp_path / "measure.sqlite"
    prepare(server, f"sqlite:///{work}", tmp_path, base_rows=2_000)
    copy_sqlite(work, pristine)
    copy_sqlite(work, scratch)
    # overlaps the earlier file by 100 ids (duplicates), 30 000 rows
    csv = write_export(tmp_path / "polisen_export.csv", 1_900, 30_000, seed=2)
    begun = time.monotonic()
    result = run_import_kills(server, lambda i: f"sqlite:///{work}", lambda i: copy_sqlite(pristine, work),
                              csv, iterations=16, seed=20261122, measured_url=f"sqlite:///{scratch}")
    killed = time.monotonic() - begun
    assert_reimport(server, f"sqlite:///{work}", csv, result)
    with capsys.disabled():
        print(f"\n[import kills, SQLite] full import {result['total_s']:.2f} s (write transaction "
              f"{result['write_s']:.2f} s), {result['importable']} importable rows; "
              f"{len(result['phases'])} kills in {killed:.1f} s: "
              + ", ".join(f"{p} {result['phases'].count(p)}" for p in dict.fromkeys(result["phases"])))


def pg_admin(base: str) -> sa.Engine:
    return sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def pg_url(base: str, name: str) -> str:
    return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_kill_during_import_postgres(server: ForkServer, tmp_path: Path, capsys):
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL-test: {PG_ENV} är inte satt (.ci/run sätter den)")
    prefix = f"wb_kill_{uuid.uuid4().hex[:8]}"
    admin = pg_admin(base)
    created: list[str] = []

    def create(name: str, template: str | None = None) -> str:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        created.append(name)
        return pg_url(base, name)

    try:
        prepare(server, create(f"{prefix}_base"), tmp_path, base_rows=1_000)
        create(f"{prefix}_measure", f"{prefix}_base")
        csv = write_export(tmp_path / "polisen_export.csv", 900, 10_000, seed=3)
        result = run_import_kills(
            server, lambda i: pg_url(base, f"{prefix}_work"),
            lambda i: create(f"{prefix}_work", f"{prefix}_base"), csv, iterations=6, seed=2026,
            measured_url=pg_url(base, f"{prefix}_measure"))
        assert_reimport(server, pg_url(base, f"{prefix}_work"), csv, result)
        with capsys.disabled():
            print(f"\n[import kills, PostgreSQL] full import {result['total_s']:.2f} s, "
                  f"phases {result['phases']}")
    finally:
        with admin.connect() as conn:
            for name in dict.fromkeys(created):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


# --- kill during edits -----------------------------------------------------------------------

def prepare_edits(url: str) -> int:
    """An organisation with five actions and an open meeting, written through the store."""
    from workbench.store import loop, meetings
    from workbench.store import repositories as repo
    from workbench.store.db import close_store, open_store

    store = open_store(url)
    try:
        with store.transaction() as conn:
            org = repo.ensure_organisation(conn, ORG)
            for k in range(5):
                loop.create_action(conn, org, {"text": f"Åtgärd {k} r0n0", "responsible_party": "Kommunen",
                                               "status": "planerad"}, actor="test")
            meetings.start_meeting(conn, org, meeting_date=date(2026, 11, 2),
                                   period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
                                   period_kind="month", area_ids=[], title="EST-möte", actor="test")
    finally:
        close_store(url)
    return org


def run_edit_kills(server: ForkServer, url: str, *, iterations: int, seed: int) -> dict:
    org = prepare_edits(url)
    assert_edit_history(url)
    rng = random.Random(seed)
    for run in range(1, iterations + 1):
        victim = server.start("edit", url, str(org), str(run))
        assert victim.wait_for("READY"), "".join(victim.seen)
        time.sleep(rng.uniform(0.02, 0.4))
        _, returncode = victim.end(kill=True)
        assert returncode == -signal.SIGKILL, "".join(victim.seen)
        counts = assert_edit_history(url)
    assert counts["runs"] >= iterations // 2, "most victims committed nothing before the kill"
    return counts | {"iterations": iterations}


def test_kill_during_edits_sqlite(server: ForkServer, sqlite_url: str, capsys):
    begun = time.monotonic()
    counts = run_edit_kills(server, sqlite_url, iterations=15, seed=1122)
    with capsys.disabled():
        print(f"\n[edit kills, SQLite] {counts['iterations']} kills, {counts['steps']} committed steps "
              f"checked, {time.monotonic() - begun:.1f} s")


@pytest.mark.postgres
def test_kill_during_edits_postgres(server: ForkServer, capsys):
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL-test: {PG_ENV} är inte satt (.ci/run sätter den)")
    name = f"wb_edit_{uuid.uuid4().hex[:8]}"
    admin = pg_admin(base)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        counts = run_edit_kills(server, pg_url(base, name), iterations=5, seed=2211)
        with capsys.disabled():
            print(f"\n[edit kills, PostgreSQL] {counts['iterations']} kills, {counts['steps']} steps")
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
