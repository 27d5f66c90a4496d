"""Every repository path the README and docs/*.md name exists (issue 22, item 2): a renamed module
must take its documentation along."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP_DIRS = ("workbench", "tests", "docs", "layers", "sample_incidents", "benchmarks", ".ci")
# A path: one of the repository's top folders, then path characters; a dotted module name.
PATH = re.compile(r"(?<![\w./-])((?:" + "|".join(re.escape(d) for d in TOP_DIRS) + r")/[\w./*-]*)")
MODULE = re.compile(r"(?<![\w./-])(workbench(?:\.\w+)+)")
# `services.imports.store_parsed`: a name in backticks relative to the package
SHORT = re.compile(r"`([a-z_]+(?:\.\w+)+)`")
FILE_ENDINGS = (".py", ".md", ".toml", ".json", ".csv", ".xlsx", ".geojson", ".gpkg", ".txt",
                ".sqlite", ".zip", ".pdf", ".html", ".png", ".lock", ".mako")


def named_paths(text: str) -> set[str]:
    """Paths named in ``text``, without the sentence's trailing full stop or slash.

    >>> sorted(named_paths("See `workbench/store/db.py`, layers/ and ../shared/DESIGN.md."))
    ['layers', 'workbench/store/db.py']
    """
    return {m.rstrip(".").rstrip("/") for m in PATH.findall(text)}


def _exists(path: str) -> bool:
    return any(ROOT.glob(path)) if "*" in path else (ROOT / path).exists()


def _resolves(dotted: str) -> bool:
    """``workbench.a.b``: a module, or an attribute of one (``workbench.ui.cached.hotspot_run``)."""
    parts = dotted.split(".")
    for i in range(len(parts), 1, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_path_named_in_the_docs_exists(doc):
    missing = sorted(p for p in named_paths(doc.read_text(encoding="utf-8")) if not _exists(p))
    assert missing == [], f"{doc.name} names paths that do not exist"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_module_named_in_the_docs_exists(doc):
    # only names whose first part is a package or module of workbench/ ("workbench.sqlite" is a file)
    text = doc.read_text(encoding="utf-8")
    names = set(MODULE.findall(text)) | {f"workbench.{s}" for s in SHORT.findall(text)}
    dotted = {d for d in names if not d.endswith(FILE_ENDINGS)
              and ((ROOT / "workbench" / d.split(".")[1]).is_dir()
                   or (ROOT / "workbench" / f"{d.split('.')[1]}.py").exists())}
    assert sorted(d for d in dotted if not _resolves(d)) == []


def test_the_architecture_doc_is_found_and_checked():
    assert ROOT / "docs" / "ARCHITECTURE.md" in DOCS
    assert not _exists("workbench/no_such_module.py") and _exists("workbench/store/db.py")
    assert not _resolves("workbench.store.db.no_such_function") and _resolves("workbench.store.db.open_store")
