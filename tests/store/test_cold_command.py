"""A cold `workbench hotspots` loads only what it uses (issue 21: at most 2 s from a cold process
at a million incidents; timings are in benchmarks/cold_hotspots_benchmark.py, not here)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.builders import make_org
from workbench.cli_analysis import STEPS
from workbench.hotspots import emerging
from workbench.store.db import declared_head, head_revision, open_store

# What the command must not import: the web app, the reports' PDF/Excel/chart machinery, esda and
# scipy.stats (Gi* is computed from array sums), Alembic (the schema is current).
NOT_NEEDED = ("streamlit", "esda", "libpysal", "scipy.stats", "matplotlib", "fpdf", "openpyxl",
              "alembic", "folium", "docx", "pypdf")

RUN = """
import sys
from workbench.cli import main
code = main(sys.argv[1:])
sys.stderr.write("MODULES " + " ".join(sorted(sys.modules)) + "\\n")
raise SystemExit(code)
"""


def _loaded(stderr: str) -> set[str]:
    line = next(line for line in stderr.splitlines() if line.startswith("MODULES "))
    return set(line.split()[1:])


def test_hotspots_from_a_cold_process_imports_only_what_it_uses(sqlite_url):
    store = open_store(sqlite_url)
    make_org(store)
    out = subprocess.run([sys.executable, "-c", RUN, "hotspots", "--db", sqlite_url,
                          "--organisation", "Testkommun", "--from", "2026-10-01", "--to", "2026-10-31"],
                         capture_output=True, text=True, timeout=120, check=True)
    cells = json.loads(out.stdout)["features"]
    assert sum(f["properties"]["count"] for f in cells) == 22  # Norr's 20 and Söder's 2 in October
    loaded = _loaded(out.stderr)
    assert sorted(m for m in loaded if m.startswith(NOT_NEEDED)) == []


def test_the_parser_alone_imports_no_data_library():
    probe = subprocess.run([sys.executable, "-c", "import sys, workbench.cli as c; c._parser(); "
                            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"],
                           capture_output=True, text=True, timeout=60, check=True)
    assert {"pandas", "geopandas", "sqlalchemy", "numpy", "scipy"}.isdisjoint(probe.stdout.split())


def test_cli_step_choices_are_the_analysis_steps():
    assert STEPS == emerging.STEPS


def test_declared_head_is_alembics_head():
    assert declared_head() == head_revision()


def test_an_older_schema_is_still_upgraded(tmp_path):
    """The quick check (one query, no Alembic) must not skip a needed upgrade."""
    import sqlalchemy as sa
    from alembic import command

    from workbench.store.db import _alembic_config, close_store

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = open_store(url)
    make_org(store)
    with store.engine.begin() as conn:  # as the previous version left it
        command.downgrade(_alembic_config(conn), "0007")
    close_store(url)
    store = open_store(url)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
        assert conn.execute(sa.text("SELECT COUNT(*) FROM weekly_report")).scalar_one() == 0
        assert conn.execute(sa.text("SELECT COUNT(*) FROM incident")).scalar_one() == 29
    close_store(url)
