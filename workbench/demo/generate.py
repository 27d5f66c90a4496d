"""Deterministic generator of the synthetic Borås demo data in layers/ and sample_incidents/."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np

from workbench.demo._generate_agreement import write_agreement, write_citizen_promise
from workbench.demo._generate_common import SEED
from workbench.demo._generate_geo import build_geography, write_layers
from workbench.demo._generate_police import write_police
from workbench.demo._generate_reports import write_fault_reports, write_housing_reports
from workbench.demo._generate_walks import write_walks

LAYERS_DIR: Final = "layers"
SAMPLES_DIR: Final = "sample_incidents"

# Every generated file, relative to the output root (the READMEs beside them are hand-written).
GENERATED_FILES: Final = (
    f"{LAYERS_DIR}/omraden.geojson",
    f"{LAYERS_DIR}/platser.geojson",
    f"{LAYERS_DIR}/grannsamverkan.geojson",
    f"{LAYERS_DIR}/planomrade_norrby.geojson",
    f"{SAMPLES_DIR}/polisen_export.csv",
    f"{SAMPLES_DIR}/felanmalan_kommunen.csv",
    f"{SAMPLES_DIR}/bostadsbolaget.csv",
    f"{SAMPLES_DIR}/trygghetsvandringar.csv",
    f"{SAMPLES_DIR}/trygghetsvandring_observationer.geojson",
    f"{SAMPLES_DIR}/samverkansoverenskommelse_demo.md",
    f"{SAMPLES_DIR}/medborgarlofte_demo.md",
)

DEFAULT_OUT_ROOT: Final = Path(__file__).resolve().parents[2]  # the repository root


def generate(out_root: Path) -> dict[str, int]:
    """Write every demo file under ``out_root``; return the row (feature) count per file name."""
    out_root = Path(out_root)
    layers = out_root / LAYERS_DIR
    samples = out_root / SAMPLES_DIR
    layers.mkdir(parents=True, exist_ok=True)
    samples.mkdir(parents=True, exist_ok=True)

    # One seeded root; each file gets its own child stream, so changing one file's generator
    # leaves the others byte-identical.
    police_rng, fault_rng, housing_rng, walk_rng = np.random.default_rng(SEED).spawn(4)
    geo = build_geography()
    counts = write_layers(geo, layers)
    counts["polisen_export.csv"] = write_police(police_rng, geo, samples / "polisen_export.csv")
    counts["felanmalan_kommunen.csv"] = write_fault_reports(
        fault_rng, geo, samples / "felanmalan_kommunen.csv")
    counts["bostadsbolaget.csv"] = write_housing_reports(
        housing_rng, geo, samples / "bostadsbolaget.csv")
    counts.update(write_walks(walk_rng, geo, samples / "trygghetsvandringar.csv",
                              samples / "trygghetsvandring_observationer.geojson"))
    counts["samverkansoverenskommelse_demo.md"] = write_agreement(
        samples / "samverkansoverenskommelse_demo.md")
    counts["medborgarlofte_demo.md"] = write_citizen_promise(samples / "medborgarlofte_demo.md")
    if sorted(counts) != sorted(Path(f).name for f in GENERATED_FILES):
        raise RuntimeError("generated files do not match GENERATED_FILES")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m workbench.demo.generate [--out-root DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m workbench.demo.generate",
        description="Skriver syntetiska demodata (Borås, ungefärlig geografi) till "
                    "layers/ och sample_incidents/.",
    )
    parser.add_argument("--out-root", type=Path, default=DEFAULT_OUT_ROOT,
                        help="mapp där layers/ och sample_incidents/ skrivs (standard: repots rot)")
    args = parser.parse_args(argv)
    counts = generate(args.out_root)
    for rel in GENERATED_FILES:
        name = Path(rel).name
        size = (args.out_root / rel).stat().st_size
        print(f"{rel}: {counts[name]} rader, {size} byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
