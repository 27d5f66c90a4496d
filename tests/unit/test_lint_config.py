"""`make lint` checks the types too, and CI runs it (issue 22, item 1)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _recipe(makefile: str, target: str) -> list[str]:
    lines = makefile.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^{target}:", line))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_lint_runs_ruff_and_mypy_on_the_package():
    recipe = _recipe((ROOT / "Makefile").read_text(encoding="utf-8"), "lint")
    assert any(re.search(r"\bruff check\b.*\bworkbench\b", line) for line in recipe)
    assert any(re.search(r"\bmypy\b.*\bworkbench\b", line) for line in recipe)


def test_ci_runs_lint_before_the_tests():
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.strip().startswith("#")]
    assert "make lint" in commands and "make test" in commands
    assert commands.index("make lint") < commands.index("make test")
