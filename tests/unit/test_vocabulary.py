"""One vocabulary, one place (issue 22, item 3): EPSG codes and Sweden's extent live in
workbench/geo/crs.py; action statuses, sources, import kinds and report kinds in
workbench/schema.py. Everything else imports them; these tests find a stray copy."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from workbench import schema
from workbench.geo import crs

PACKAGE = Path(__file__).resolve().parents[2] / "workbench"
CRS_HOME = PACKAGE / "geo" / "crs.py"
SCHEMA_HOME = PACKAGE / "schema.py"
EPSG_TEXT = re.compile(r"^(urn:ogc:def:crs:)?EPSG::?\d+$", re.IGNORECASE)
EPSG_CODES = {3006, 3021, 3857, 4326, *range(3007, 3019)}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _constants(path: Path):
    """(node, value) of every literal in ``path`` that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in skip:
            yield node, node.value


def _collections(path: Path):
    """The literal elements of every tuple, list and set in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            yield node, [i.value for i in node.elts if isinstance(i, ast.Constant)]


def _modules(*homes: Path):
    return [p for p in PACKAGE.rglob("*.py") if p not in homes and "migrations" not in p.parts]


def test_epsg_codes_are_spelled_only_in_geo_crs():
    stray = [f"{p.relative_to(PACKAGE)}:{node.lineno} {value!r}" for p in _modules(CRS_HOME)
             for node, value in _constants(p)
             if (isinstance(value, str) and EPSG_TEXT.match(value))
             or (type(value) is int and value in EPSG_CODES)]
    assert stray == []


def _looks_like_sweden(values: list) -> bool:
    if len(values) != 4 or not all(type(v) in (int, float) for v in values):
        return False
    minx, miny, maxx, maxy = values
    lonlat = 5 <= minx < maxx <= 30 and 50 <= miny < maxy <= 72
    sweref = 100_000 <= minx < maxx <= 1_100_000 and 6_000_000 <= miny < maxy <= 7_800_000
    return lonlat or sweref


def test_swedens_extent_has_one_set_of_numbers():
    stray = [f"{p.relative_to(PACKAGE)}:{node.lineno} {values}" for p in _modules(CRS_HOME)
             for node, values in _collections(p) if _looks_like_sweden(values)]
    assert stray == []
    assert _looks_like_sweden(list(crs.SWEDEN_EXTENT_3006))
    assert _looks_like_sweden(list(crs.SWEDEN_EXTENT_WGS84))


VOCABULARIES = {"action statuses": schema.ACTION_STATUSES, "open action statuses": schema.OPEN_ACTION_STATUSES,
                "sources": schema.SOURCES, "import kinds": schema.IMPORT_KINDS,
                "report kinds": schema.REPORT_KINDS}


def _copies(values: list) -> list[str]:
    """The vocabularies of schema.py a literal tuple/list/set spells out: all of one, or all but
    one of a longer one (a subset with a meaning of its own, e.g. the closed statuses, is not)."""
    words = {v for v in values if isinstance(v, str)}
    return [name for name, vocabulary in VOCABULARIES.items()
            if words == set(vocabulary)
            or (len(vocabulary) >= 4 and len(words & set(vocabulary)) >= len(vocabulary) - 1)]


def test_vocabularies_are_listed_only_in_schema():
    stray = [f"{p.relative_to(PACKAGE)}:{node.lineno} {name}"
             for p in _modules(SCHEMA_HOME) for node, values in _collections(p) for name in _copies(values)]
    assert stray == []


def test_the_checkers_see_a_stray_copy(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""EPSG:3006 in a docstring is prose."""\nCRS = "EPSG:3006"\nOPEN = ("planerad", "pågår")\n'
                   "SWEDEN = (11.0, 55.3, 24.2, 69.1)\nif crs.to_epsg() != 3006: pass\n")
    assert [v for _, v in _constants(bad) if isinstance(v, str) and EPSG_TEXT.match(v)] == ["EPSG:3006"]
    assert [v for _, v in _constants(bad) if type(v) is int and v in EPSG_CODES] == [3006]
    assert any(_looks_like_sweden(values) for _, values in _collections(bad))
    assert [name for _, values in _collections(bad) for name in _copies(values)] == ["open action statuses"]
