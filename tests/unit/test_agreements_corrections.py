"""Corrections of a parsed agreement (agreements.corrections), on a real-shaped document."""

from __future__ import annotations

import pytest

from workbench.agreements import corrections as fix
from workbench.agreements.parse import parse_agreement

TEXT = """Medborgarlöfte Aby 2025

Polisen och kommunen ska tillsammans verka för en tryggare hamn.

Polisen lovar att:
 • Patrullera hamnen fredagskvällar. Rapportera till styrgruppen varje kvartal.
 • Synas vid skolorna under första skolveckan

Kommunen lovar att:
 • Laga belysningen längs ka-
   jen inom en vecka.
"""


def _doc() -> dict:
    return parse_agreement(TEXT).to_json()


def test_the_same_document_has_the_same_key_whatever_its_spacing():
    assert fix.document_key(TEXT) == fix.document_key(TEXT.replace("\n", "\r\n") + "\n\n")
    assert fix.document_key(TEXT) == fix.document_key(TEXT.replace("  ", " "))
    assert fix.document_key(TEXT) != fix.document_key(TEXT.replace("fredagskvällar", "lördagar"))


def test_make_a_commitment_from_selected_lines():
    doc = fix.add_from_lines(_doc(), TEXT, 2, 2, area="Trygg hamn", party="Polisen och kommunen")
    added = fix.rows(doc)[-1]
    assert added["text"] == "Polisen och kommunen ska tillsammans verka för en tryggare hamn."
    assert (added["party_kind"], added["lines"], added["focus_area"]) == ("gemensam", [2, 2], "Trygg hamn")
    joined = fix.add_from_lines(_doc(), TEXT, 9, 10, area="Trygg hamn", party="Kommunen")
    assert fix.rows(joined)[-1]["text"] == "Laga belysningen längs kajen inom en vecka."
    with pytest.raises(ValueError):
        fix.add_from_lines(_doc(), TEXT, 1, 1, area="X", party="Kommunen")


def test_party_move_merge_split_remove():
    doc = _doc()
    assert [r["party_kind"] for r in fix.rows(doc)] == ["polis", "polis", "kommun"]
    doc = fix.set_party(doc, 1, "Polisen och kommunen")
    assert fix.rows(doc)[1]["party_kind"] == "gemensam"
    moved = fix.move(doc, 2, "Belysning")
    assert [a["title"] for a in moved["focus_areas"]][-1] == "Belysning"
    first = fix.rows(doc)[0]["text"]
    at = fix.split_points(first)[0]
    split = fix.split(doc, 0, at)
    assert [r["text"] for r in fix.rows(split)][:2] == [
        "Patrullera hamnen fredagskvällar.", "Rapportera till styrgruppen varje kvartal."]
    merged = fix.merge(split, [0, 1])
    assert fix.rows(merged)[0]["text"] == first and len(fix.rows(merged)) == 3
    assert fix.rows(fix.merge(doc, [0, 2]))[0]["lines"] == [5, 10]
    assert len(fix.rows(fix.remove(doc, 0))) == 2
    assert len(fix.rows(doc)) == 3  # every operation returns a new document


def test_saved_commitments_find_their_source_lines_again():
    assert fix.locate("Laga belysningen längs kajen inom en vecka.", TEXT) == [9, 10]
    assert fix.locate("Något som inte står i texten", TEXT) is None
    stored = {"focus_areas": [{"title": "A", "commitments": [
        {"party": "Polisen", "party_kind": "polis", "text": "Synas vid skolorna under första skolveckan"}]}]}
    assert fix.with_located_lines(stored, TEXT)["focus_areas"][0]["commitments"][0]["lines"] == [6, 6]


def test_one_sentence_of_a_paragraph_becomes_the_commitment():
    text = ("Samverkan i Zby\n\nSyftet är samverkan. Parterna ska ha en gemensam lägesbild varje "
            "kvartal. Det följs upp årligen.\n")
    doc = fix.add_from_lines({"focus_areas": []}, text, 2, 2, area="Samverkan", party="Parterna",
                             chosen=[1])
    assert fix.rows(doc)[0]["text"] == "Parterna ska ha en gemensam lägesbild varje kvartal."
    assert fix.rows(doc)[0]["party_kind"] == "gemensam" and fix.rows(doc)[0]["lines"] == [2, 2]


def test_stored_ids_follow_edit_merge_and_the_first_part_of_a_split():
    doc = _doc()
    for number in range(len(fix.rows(doc))):
        area, position = fix._find(doc, number)
        area["commitments"][position] |= {"ids": [10 + number], "promise_ids": [20 + number]}
    edited = fix.set_text(doc, 1, "  Synas vid skolorna\nhela första veckan ")
    assert (fix.rows(edited)[1]["text"], fix.rows(edited)[1]["ids"]) == (
        "Synas vid skolorna hela första veckan", [11])
    with pytest.raises(ValueError, match="tom text"):
        fix.set_text(doc, 1, "   ")
    merged = fix.rows(fix.merge(doc, [2, 0]))
    assert (merged[0]["ids"], merged[0]["promise_ids"]) == ([10, 12], [20, 22])
    split = fix.rows(fix.split(doc, 0, fix.split_points(fix.rows(doc)[0]["text"])[0]))
    assert (split[0]["ids"], split[0]["promise_ids"]) == ([10], [20])
    assert "ids" not in split[1] and "promise_ids" not in split[1]
