"""Small focused modules (issue 22, item 6): none over 450 lines outside the migrations and the
demo data, with no exceptions."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "workbench"
LIMIT = 450


def _lengths() -> dict[str, int]:
    return {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines())
            for p in PACKAGE.rglob("*.py") if not {"migrations", "demo"} & set(p.parts)}


def test_no_module_is_over_450_lines():
    over = {name: n for name, n in _lengths().items() if n > LIMIT}
    assert over == {}


def test_the_count_reads_the_whole_package():
    lengths = _lengths()
    assert {"cli.py", "store/tables.py", "ui/app.py"} <= set(lengths) and len(lengths) > 150
    assert not any(name.startswith(("demo/", "store/migrations/")) for name in lengths)
