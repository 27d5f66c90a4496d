"""Load the demo town (sample_incidents/ + layers/) with the same importers users run."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import DemoDataMissingError
from workbench.services import imports
from workbench.store import repositories as repo
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


def demo_root() -> Path:
    """Folder holding layers/ and sample_incidents/: WORKBENCH_DEMO_DIR, else the repository."""
    configured = os.environ.get("WORKBENCH_DEMO_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[2]


def _required_files(root: Path) -> list[Path]:
    files = [root / "layers" / name for _, _, name in LAYERS]
    files += [root / "sample_incidents" / name for _, name in TABLES]
    files += [root / "sample_incidents" / name for name in WALKS]
    return files


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
    org_id = repo.find_organisation(store.engine, organisation)
    assert org_id is not None
    counts = repo.row_counts(store.engine, org_id)
    return {k: v for k, v in counts.items() if k not in {"organisation", "audit_log"}}
