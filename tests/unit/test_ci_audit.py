"""`make audit` never passes silently: .ci/audit.py reads pip-audit's JSON and says what it audited."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SPEC = importlib.util.spec_from_file_location("ci_audit", Path(__file__).resolve().parents[2] / ".ci" / "audit.py")
audit = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(audit)

SKIP = "Dependency not found on PyPI and could not be audited: alembic (1.20.1)"


def test_nothing_audited_is_said_plainly_and_fails_when_required():
    report = {"dependencies": [{"name": "alembic", "skip_reason": SKIP},
                               {"name": "altair", "skip_reason": SKIP}]}
    lines, code = audit.verdict(report)
    assert code == 0 and lines[-1].startswith("Ingen sårbarhetskontroll kunde göras: 0 av 2 paket")
    assert not any("No known vulnerabilities" in line for line in lines)
    assert audit.verdict(report, required=True)[1] == 1


def test_a_known_vulnerability_fails_and_is_named():
    report = {"dependencies": [
        {"name": "setuptools", "version": "65.5.0", "vulns": [{"id": "PYSEC-2022-43012"}]},
        {"name": "pandas", "version": "2.2.0", "vulns": []},
        {"name": "altair", "skip_reason": SKIP}]}
    lines, code = audit.verdict(report)
    assert code == 1
    assert "SÅRBAR: setuptools 65.5.0: PYSEC-2022-43012" in lines
    assert lines[-1] == "1 av 2 kontrollerade paket har kända sårbarheter."


def test_audited_packages_are_counted_with_the_ones_that_could_not_be():
    report = {"dependencies": [{"name": "pandas", "version": "2.2.0", "vulns": []},
                               {"name": "altair", "skip_reason": SKIP}]}
    assert audit.verdict(report) == (
        ["Inga kända sårbarheter i 1 kontrollerade paket; 1 paket kunde inte kontrolleras."], 0)
