"""The parser on every text of ../shared/seeds/corpus/ against its hand-checked truth file.

The truth format is described in ../shared/seeds/corpus/README.md: kind, period, the kommuner and
the police area that must appear among the parties, focus areas (compared when ``strict_areas``),
commitments (per party kind and text prefix when ``strict_commitments``) and the commitment
totals that are defensible readings (``acceptable_totals``: any of them passes).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from workbench.agreements.model import ParsedAgreement
from workbench.agreements.parse import parse_agreement
from workbench.agreements.parties import party_kind

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "corpus"
TRUTHS = sorted(CORPUS.glob("*/*.json")) if CORPUS.exists() else []
NOISE_TITLES = {"sök", "stäng meny", "meny", "hjälpmedel:", "till toppen", ""}


def _key(text: str) -> str:
    return " ".join(text.split()).rstrip(" .:;")


def _same_text(parsed: str, truth: str) -> bool:
    """The truth holds the first ≤ 60 characters of the commitment as written."""
    parsed, truth = _key(parsed), _key(truth)
    return bool(truth) and (parsed.startswith(truth) or (len(parsed) >= 20
                                                          and truth.startswith(parsed)))


def _load(truth_path: Path) -> tuple[dict, ParsedAgreement]:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    text = (truth_path.parent / truth["source_file"]).read_text(encoding="utf-8")
    return truth, parse_agreement(text)


def test_the_corpus_is_there():
    if not CORPUS.exists():
        pytest.skip(f"../shared/seeds/corpus saknas: {CORPUS}")
    assert len(TRUTHS) >= 9


@pytest.mark.parametrize("truth_path", TRUTHS, ids=[p.stem for p in TRUTHS])
def test_kind_period_and_parties(truth_path: Path):
    truth, parsed = _load(truth_path)
    assert parsed.kind == truth["kind"]
    period = parsed.period.to_json() if parsed.period is not None else None
    assert period == truth["period"]
    assert _key(parsed.title).lower() not in NOISE_TITLES
    parties = " | ".join(parsed.parties).lower()
    for name in truth["parties_contain"]:
        assert name.lower() in parties, parsed.parties
    police = [p for p in parsed.parties if party_kind(p) == "polis"]
    assert len(police) == 1, parsed.parties
    if truth["lpo"] is not None:
        assert truth["lpo"].lower() in police[0].lower(), parsed.parties
    truth_kommuner = [p for p in truth["parties"] if party_kind(p) == "kommun"]
    parsed_kommuner = [p for p in parsed.parties if party_kind(p) == "kommun"]
    assert len(parsed_kommuner) == len(truth_kommuner), parsed.parties


@pytest.mark.parametrize("truth_path", TRUTHS, ids=[p.stem for p in TRUTHS])
def test_focus_areas_and_commitments(truth_path: Path):
    truth, parsed = _load(truth_path)
    got = [(c.party_kind, c.text) for c in parsed.commitments]
    assert len(got) in truth["acceptable_totals"], got
    for area in parsed.focus_areas:
        assert _key(area.title).lower() not in NOISE_TITLES
    if truth["strict_areas"]:
        assert [_key(a.title).lower() for a in parsed.focus_areas] == [
            _key(a["title"]).lower() for a in truth["focus_areas"]]
    if not truth["strict_commitments"]:
        return
    wanted = [(c["party_kind"], c["text"]) for area in truth["focus_areas"]
              for c in area["commitments"]]
    # the smaller reading (e.g. only the current promise of three) lies wholly in the larger
    small, large = (got, wanted) if len(got) <= len(wanted) else (wanted, got)
    unmatched = list(large)
    for kind, text in small:
        match = next((item for item in unmatched if item[0] == kind and (
            _same_text(item[1], text) or _same_text(text, item[1]))), None)
        assert match is not None, (kind, text, large)
        unmatched.remove(match)
    if len(got) == len(wanted):
        assert Counter(k for k, _ in got) == Counter(k for k, _ in wanted)
    if truth["strict_areas"]:
        for parsed_area, truth_area in zip(parsed.focus_areas, truth["focus_areas"], strict=False):
            assert len(parsed_area.commitments) == len(truth_area["commitments"]), parsed_area
