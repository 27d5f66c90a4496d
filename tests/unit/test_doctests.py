"""The >>> examples of every module run in `make test` (issue 22, item 8): pytest collects
workbench/ with --doctest-modules; only modules that run code on import are left out, and
those must carry no examples (they would silently never run)."""

from __future__ import annotations

import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pytest_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]


def _ignored() -> list[Path]:
    return [ROOT / arg.split("=", 1)[1] for arg in shlex.split(_pytest_config()["addopts"])
            if arg.startswith("--ignore=")]


def test_make_test_collects_the_examples_of_the_package():
    config = _pytest_config()
    assert "--doctest-modules" in shlex.split(config["addopts"])
    assert "workbench" in config["testpaths"]


def test_no_module_with_examples_is_left_out():
    ignored = _ignored()
    assert ignored, "the pages and migrations are left out explicitly"
    with_examples = [p for p in (ROOT / "workbench").rglob("*.py") if ">>>" in p.read_text(encoding="utf-8")]
    assert len(with_examples) > 27
    hidden = [str(p.relative_to(ROOT)) for p in with_examples
              if p.name == "__main__.py" or any(p == i or i in p.parents for i in ignored)]
    assert hidden == []
