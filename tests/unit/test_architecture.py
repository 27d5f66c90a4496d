"""Dependency direction (docs/ARCHITECTURE.md): ui → access → services → edges → domain → base;
only ui imports streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "workbench"
DOMAIN = ("geo", "hotspots", "situation", "meeting", "follow_up", "anonymise", "agreements", "taxonomy",
          "planning",
          "filters", "follow_up_wdd")
EDGES = ("store", "io", "maps", "reports")
BASE = ("schema", "errors", "config", "palette", "numbers", "roles", "lazy")
ACCESS = ("access",)
SERVICES = ("services",)
ENTRY = ("ui", "cli", "cli_import", "cli_analysis", "cli_reports", "cli_admin", "demo", "__init__", "__main__")
ABOVE_SERVICES = {"ui", "cli", "cli_import", "cli_analysis", "cli_reports", "cli_admin", "demo", "access"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        yield path, rel.parts


def _top(parts: tuple[str, ...]) -> str:
    return parts[0]


def test_only_ui_imports_streamlit():
    offenders = [str(p) for p, parts in _modules() if _top(parts) != "ui"
                 and any(n.split(".")[0] in {"streamlit", "streamlit_folium"} for n in _imports(p))]
    assert offenders == []


def test_domain_imports_no_edge_and_no_ui():
    offenders = []
    for path, parts in _modules():
        if _top(parts) not in DOMAIN:
            continue
        for name in _imports(path):
            if name.startswith("workbench."):
                top = name.split(".")[1]
                if top in EDGES or top in {"ui", "cli", "demo", "services"} | ABOVE_SERVICES:
                    offenders.append(f"{path.name} → {name}")
    assert offenders == []


# Libraries that open or unpack files: they belong in workbench/io (issue 22, item 4).
FILE_READERS = ("zipfile", "tarfile", "xml", "defusedxml", "pypdf", "openpyxl", "pyogrio", "fiona", "ezdxf")


# Calls that open a file or read one whole: open(...), Path.open/read_bytes/read_text, pandas' and
# geopandas' readers.
FILE_CALLS = ("open", "read_bytes", "read_text", "read_csv", "read_excel", "read_file", "read_parquet")


def _file_readers(path: Path) -> set[str]:
    found = {name for name in _imports(path) if name.split(".")[0] in FILE_READERS}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            called = node.func
            name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
            if name in FILE_CALLS:
                found.add(f"{name}()")
    return found


def test_domain_reads_no_files():
    """A domain package takes text, frames and geometries; reading a file (zip, XML, PDF, Excel,
    GIS formats) is io's work, with its size, magic-byte and unpacking checks."""
    offenders = [f"{'/'.join(parts)}: {sorted(found)}" for path, parts in _modules()
                 if _top(parts) in DOMAIN and (found := _file_readers(path))]
    assert offenders == []


def test_the_file_reader_check_sees_one(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import zipfile\nfrom xml.etree import ElementTree\nfrom workbench import schema\n"
                   "def read(path):\n    with open(path) as f:\n        return f.read(), path.read_bytes()\n"
                   "def table(pd, path):\n    return pd.read_excel(path)\n")
    assert _file_readers(bad) == {"zipfile", "xml.etree", "open()", "read_bytes()", "read_excel()"}
    good = tmp_path / "good.py"
    good.write_text("import io\ndef text(data: bytes) -> str:\n    return io.BytesIO(data).read().decode()\n")
    assert _file_readers(good) == set()


def test_edges_do_not_import_each_other_or_upwards():
    offenders = []
    for path, parts in _modules():
        top = _top(parts)
        if top not in EDGES:
            continue
        for name in _imports(path):
            if name.startswith("workbench."):
                other = name.split(".")[1]
                if (other in EDGES and other != top) or other in {"ui", "cli", "demo", "services"} | ABOVE_SERVICES:
                    offenders.append(f"{path.relative_to(PACKAGE)} → {name}")
    assert offenders == []


def test_base_imports_nothing_above_it():
    for path, parts in _modules():
        if _top(parts) in BASE:
            for name in _imports(path):
                if name.startswith("workbench."):
                    assert name.split(".")[1] in BASE, f"{path.name} → {name}"


def _offenders(layer: tuple[str, ...], allowed: set[str]) -> list[str]:
    """Imports of workbench modules outside ``allowed`` (top-level names) by modules of ``layer``."""
    offenders = []
    for path, parts in _modules():
        if _top(parts) not in layer:
            continue
        for name in _imports(path):
            if name.startswith("workbench.") and name.split(".")[1] not in allowed:
                offenders.append(f"{path.relative_to(PACKAGE)} → {name}")
    return offenders


def test_services_import_no_access_ui_cli_or_demo():
    """Use cases sit below the gate: a service that imported access (or a page) would let the
    layer that checks permissions be bypassed from below."""
    allowed = set(SERVICES) | set(EDGES) | set(DOMAIN) | set(BASE)
    assert _offenders(SERVICES, allowed) == []


def test_access_reaches_data_through_services_and_store_only():
    """The gate checks the scope and calls a service (or a plain store read); it parses no file,
    draws no map and renders no document itself."""
    allowed = set(ACCESS) | set(SERVICES) | {"store"} | set(DOMAIN) | set(BASE)
    assert _offenders(ACCESS, allowed) == []


def test_every_module_belongs_to_a_layer():
    """A new top-level module or package must be placed in a layer above (and in the table of
    docs/ARCHITECTURE.md), so the rules here see it."""
    known = set(DOMAIN) | set(EDGES) | set(BASE) | set(ACCESS) | set(SERVICES) | set(ENTRY)
    assert sorted({_top(parts) for _, parts in _modules()} - known) == []


def test_the_layer_checker_sees_violations(tmp_path, monkeypatch):
    fake = tmp_path / "workbench"
    (fake / "services").mkdir(parents=True)
    (fake / "access").mkdir()
    (fake / "services" / "bad.py").write_text("from workbench.access import gate\n")
    (fake / "access" / "bad.py").write_text("from workbench.io.importers import sources\n")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    assert _offenders(SERVICES, set(SERVICES) | set(EDGES)) == ["services/bad.py → workbench.access"]
    assert _offenders(ACCESS, set(ACCESS) | set(SERVICES)) == ["access/bad.py → workbench.io.importers"]


def test_the_checker_sees_violations(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nfrom workbench.store import db\n")
    assert {"streamlit", "workbench.store"} <= _imports(bad)


# --- one data-access layer: pages, caches and the CLI reach data only through access.gate ------

DATA_PARAMETERS = {"store", "engine", "conn", "connection"}
# Operator-only commands of the CLI (run on the server, never on behalf of a signed-in role).
OPERATOR_ONLY = {"workbench.store.accounts", "workbench.store.backup",
                 "workbench.store.repositories.ensure_organisation",
                 # before a scope exists: whether the import may create its organisation
                 "workbench.services.import_organisations.organisation_to_create",
                 "workbench.services.import_organisations.drop_empty_organisation",
                 "workbench.services.import_organisations.database_is_empty",
                 # a file for several kommuner, and a police area's set-up: the server operator
                 # only on the command line (the page goes through the gate)
                 "workbench.services.routing.import_routed",
                 "workbench.services.police_area.set_up"}


def _data_references(path: Path) -> list[str]:
    """Every function of workbench.services / workbench.store a module uses that takes a store,
    engine or connection (i.e. reaches data without the gate)."""
    import importlib
    import inspect

    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                ("workbench.services", "workbench.store")):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                try:
                    importlib.import_module(full)
                    aliases[alias.asname or alias.name] = full  # a module
                except ImportError:
                    used.add(full)  # a function or constant
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            used.add(f"{aliases[node.value.id]}.{node.attr}")
    offenders = []
    for full in sorted(used):
        module_name, _, name = full.rpartition(".")
        if module_name == "workbench.store.db" or any(full.startswith(o) for o in OPERATOR_ONLY):
            continue
        target = getattr(importlib.import_module(module_name), name, None)
        if callable(target) and not isinstance(target, type):
            params = set(inspect.signature(target).parameters)
            if params & DATA_PARAMETERS:
                offenders.append(f"{path.parent.name}/{path.name} → {full}")
    return offenders


def test_pages_caches_and_cli_reach_data_only_through_the_gate():
    """Hiding a widget is not access control: every read and write of a page, a cached loader or
    a CLI command must go through workbench.access.gate, which checks the caller's scope."""
    files = [*(PACKAGE / "ui").rglob("*.py"), *PACKAGE.glob("cli*.py")]
    offenders = [o for f in files for o in _data_references(f)]
    assert offenders == []


def test_the_gate_checker_sees_a_direct_store_call(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from workbench.store import loop\nfrom workbench.services.hotspots import load_events\n"
                   "loop.list_actions(None, 1)\n")
    assert len(_data_references(bad)) == 2
