"""The agreement parser on the eight real seed texts in ../shared/seeds (read in place)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from workbench.agreements.model import ActionRow, Commitment, ParsedAgreement
from workbench.agreements.parse import parse_agreement

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _parse_seed(*parts: str) -> ParsedAgreement:
    path = SEEDS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/seeds saknas: {path}")
    return parse_agreement(path.read_text(encoding="utf-8"))


def _area(parsed: ParsedAgreement, title: str) -> tuple[Commitment, ...]:
    matches = [area for area in parsed.focus_areas if area.title == title]
    assert len(matches) == 1, [area.title for area in parsed.focus_areas]
    return matches[0].commitments


MARK_AREAS = [
    "Främja positiv utveckling hos ungdomar som befinner sig i riskzon för kriminalitet",
    "Skapa trygga offentliga miljöer",
    "Gemensamma insatser i frågor som pekas ut i de gemensamma lägesbilderna",
]


def test_mark_title_kind_period_parties():
    parsed = _parse_seed("mark_2022-2024.txt")
    assert parsed.title == ("Samverkansöverenskommelse mellan Marks kommun och Polismyndigheten, "
                            "lokalpolisområde Borås år 2022–2024")
    assert parsed.kind == "agreement"
    assert (parsed.period.start, parsed.period.end) == (date(2022, 1, 1), date(2024, 12, 31))
    assert parsed.parties == ("Marks kommun", "Polismyndigheten, lokalpolisområde Borås")
    assert parsed.actions == ()


def test_mark_focus_areas_come_from_the_introduction_and_its_plain_and_heading_repeats():
    parsed = _parse_seed("mark_2022-2024.txt")
    assert [area.title for area in parsed.focus_areas] == MARK_AREAS
    # 4 + 4 commitments, 6 + 6, 4 + 4: one list per party under each area
    assert [len(area.commitments) for area in parsed.focus_areas] == [8, 12, 8]


def test_mark_commitments_are_attributed_to_the_right_party():
    parsed = _parse_seed("mark_2022-2024.txt")
    youth, places, joint = (_area(parsed, title) for title in MARK_AREAS)
    assert Commitment("Marks kommun", "kommun", "Samordna insatser inom ANDT") in youth
    # the parenthesis lists school/social services/police/leisure, it is no attribution
    assert youth[0] == Commitment("Marks kommun", "kommun",
                                  "Samordna arbetet med SSPF (skola, socialtjänst, polis, fritid)")
    assert youth[4] == Commitment("Polisen", "polis",
                                  "Delta i arbetet med SSPF (skola, socialtjänst, polis, fritid)")
    assert places[-1] == Commitment("Polisen", "polis",
                                    "Utifrån lokal problematik genomföra trafikinsatser")
    assert Commitment("Marks kommun", "kommun",
                      "Genomföra lokala och kontinuerliga klottersanerade insatser") in places
    assert joint[1] == Commitment("Marks kommun", "kommun",
                                  "Samordna arbetet med den lokala trygghetsundersökningen")
    assert joint[5] == Commitment("Polisen", "polis",
                                  "Vara en aktiv part i arbetet med den lokala trygghetsundersökningen")
    assert [c.party_kind for c in youth] == ["kommun"] * 4 + ["polis"] * 4


def test_mark_to_json_is_the_cli_contract():
    document = _parse_seed("mark_2022-2024.txt").to_json()
    assert set(document) == {"title", "kind", "parties", "period", "focus_areas", "actions"}
    assert document["period"] == {"start": "2022-01-01", "end": "2024-12-31"}
    assert set(document["focus_areas"][0]) == {"title", "commitments"}
    first = document["focus_areas"][1]["commitments"][0]
    assert first == {
        "party": "Marks kommun", "party_kind": "kommun",
        "text": "Inkludera trygghetsaspekten i byggprocessen och samhällsplaneringen",
        "lines": first["lines"]}
    # the source line the commitment was read from (0-based), for highlighting it
    source = (SEEDS / "mark_2022-2024.txt").read_text(encoding="utf-8").split("\n")
    assert "Inkludera trygghetsaspekten" in source[first["lines"][0]]
    assert json.loads(json.dumps(document, ensure_ascii=False)) == document


SKARA_AREAS = [
    "Förekomst av narkotika i Skara",
    "Trygghetsfrämjande insatser i centrum och speciellt området runt busstationen",
    "Grannsamverkan",
    "Komminucera det brottsförebyggande arbetet",  # sic, as in the source
    "Arbeta för ett rent och snyggt Skara",
]


def test_skara_title_kind_period_parties_and_numbered_priorities():
    parsed = _parse_seed("skara_2020-2023.txt")
    assert parsed.title == ("Samverkansöverenskommelse – Skara kommun och Lokalpolisområde "
                            "Västra Skaraborg 2020-2023")
    assert parsed.kind == "agreement"
    assert (parsed.period.start, parsed.period.end) == (date(2020, 1, 1), date(2023, 12, 31))
    assert parsed.parties[0] == "Skara kommun"
    assert parsed.parties[1].endswith("Lokalpolisområde Västra Skaraborg")
    assert len(parsed.parties) == 2
    assert [area.title for area in parsed.focus_areas] == SKARA_AREAS
    # Skara states no "X förbinder sig att" lists: what each party does is in the action tables
    assert parsed.commitments == ()


def test_skara_action_tables_with_continuation_rows():
    actions = _parse_seed("skara_2020-2023.txt").actions
    assert len(actions) == 8
    drugs = "Förekomst av narkotika bland Skaras ungdommar"
    assert actions[0].cause == drugs
    assert actions[0].action.startswith("Temaaktiviteter för elever, personal och vårdnadshavare. "
                                        "En informationskväll för vårdnadshavare.")
    assert actions[0].follow_up == "Redovisning av genomförda aktiviteter."
    assert actions[1] == ActionRow(
        drugs, "Samverkan vid planering och genomförande vid riktade insatser mot narkotika i "
        "skolmiljö.", "Polisen, Barn- och utbildningsförvaltningen, Omsorgsförvaltningen.", "")
    assert actions[2] == ActionRow(drugs, "Polisen genomför riktade insatser mot narkotika.",
                                   "Polisen", "")
    dialogue = "Trygghetsfrågor som framkommit i medborgardialogen"
    assert [a.cause for a in actions[3:6]] == [dialogue] * 3
    assert actions[4] == ActionRow(dialogue, "Fortsatt trygghetsskapande patrullering",
                                   "Polisen", "")
    assert actions[6].cause == ("Kommunen och polisens gemensamma arbete är fortfarande "
                                "relativt okänt hos medborgarna i Skara")
    assert actions[7] == ActionRow("Aktivt arbeta för att det ska vara rent och snyggt i Skara "
                                   "kommun", "Skräpplockarkampanj", "Service och Teknik ( Pontus )",
                                   "")
    assert all("<b>" not in a.responsible for a in actions)


PROMISES = {
    "boras_medborgarlofte_centrum_2022-2023.txt": dict(
        title="Medborgarlöfte Centrum 2022-2023", period=(date(2022, 6, 1), date(2023, 12, 31)),
        kommun="Borås Stad", polis="Polisen", count=7, commitments=[
            Commitment("Polis", "polis", "Ökad polisnärvaro i centrum"),
            Commitment("Polis, Borås Stad, Borås City", "gemensam",
                       "Näringsidkare erbjuds informationsträffar om hur brott kan förebyggas"),
            Commitment("Centrumfastigheter i Borås", "annan", "Aktivt arbete för att hyra ut "
                       "lediga lokaler och för ett bredare utbud av etableringar"),
            Commitment("Borås City, Borås TME", "annan", "Arbete för ökade flöden i centrum"),
            Commitment("Västtrafik, Nobina, Borås Stad, Polis, med flera", "gemensam",
                       "Arbete för ett ökat operativt samarbete mellan samverkansaktörer"),
        ]),
    "kumla_medborgarlofte_2017-2019.txt": dict(
        title="Kumla – medborgarlöften", period=(date(2017, 7, 1), date(2019, 6, 30)),
        kommun="Kumla kommun", polis="Lokalpolisområde Hallsberg", count=9, commitments=[
            Commitment("Polisen", "polis",
                       "Arbeta med ökade insatser mot narkotikabrottsligheten."),
            Commitment("Polisen och Kumla kommun", "gemensam",
                       "Arbeta aktivt med grannsamverkan."),
            Commitment("Kumla kommun", "kommun",
                       "Regelbundet ge alkohol-och narkotikainformation i kommunens skolor."),
        ]),
    "laxa_medborgarlofte_2018-2020.txt": dict(
        title="Laxå – medborgarlöften", period=(date(2018, 7, 1), date(2020, 6, 30)),
        kommun="Laxå kommun", polis="Polisen", count=4, commitments=[
            Commitment("Laxå kommun och polisen", "gemensam", "I samverkan fortsätta genomföra "
                       "trygghetsvandringar och verka för utökad grannsamverkan."),
            Commitment("Polisen", "polis", "Medverka i olika informationskampanjer, t.ex. när det "
                       "gäller brott mot äldre, stölder och inbrott."),
        ]),
    "molndal_medborgarlofte_2019.txt": dict(
        title="Mölndal – medborgarlöften", period=(date(2019, 2, 1), date(2020, 1, 31)),
        kommun="Mölndals stad", polis="Lokalpolisområde Storgöteborg syd", count=3, commitments=[
            Commitment("Polis och kommun", "gemensam", "Information till föräldrar."),
            Commitment("Polis och kommun", "gemensam", "Inventering av utvalda platser för att "
                       "identifiera möjliga förebyggande åtgärder i den fysiska miljön."),
        ]),
    "skara_medborgarlofte_2018_EXCERPT.txt": dict(
        title="Medborgarlöfte i Skara", period=(date(2018, 1, 1), date(2018, 12, 31)),
        kommun="Skara kommun", polis="Polisen", count=5, commitments=[
            Commitment("Polisen", "polis", "Fyra krogtillsyner vid utvalda tillfällen."),
            Commitment("Kommunen", "kommun", "Tre nattvandringar under utvalda tillfällen i "
                       "samverkan med föreningar i Skara kommun."),
            Commitment("Tillsammans", "gemensam",
                       "Två trygghetsvandringar i utvalda bostadsområden."),
        ]),
    "vingaker_medborgarlofte_2022.txt": dict(
        title="Medborgarlöfte 2022", period=(date(2022, 1, 1), date(2022, 12, 31)),
        kommun="Vingåkers kommun", polis="Lokalpolisområde Katrineholm", count=11, commitments=[
            # list items are kept exactly as written, lower-case first letter included
            Commitment("Polisen", "polis",
                       "låta medborgare styra polisens inriktning under en arbetsdag."),
            Commitment("Kommunen", "kommun", "genomföra riktade insatser för att öka meningsfulla "
                       "fritidsaktiviteter för barn och ungdomar"),
            Commitment("Polisen och kommunen", "gemensam",
                       "inkludera näringslivet i brottsförebyggande arbete."),
        ]),
}


@pytest.mark.parametrize("file_name", sorted(PROMISES))
def test_citizen_promise_seeds(file_name: str):
    expected = PROMISES[file_name]
    parsed = _parse_seed("medborgarloften", file_name)
    assert parsed.kind == "citizen_promise"
    assert parsed.title == expected["title"]
    assert (parsed.period.start, parsed.period.end) == expected["period"]
    assert parsed.parties[:2] == (expected["kommun"], expected["polis"])
    assert len(parsed.commitments) == expected["count"]
    for commitment in expected["commitments"]:
        assert commitment in parsed.commitments
    assert parsed.actions == ()


def test_molndal_contact_lines_and_links_are_not_commitments():
    parsed = _parse_seed("medborgarloften", "molndal_medborgarlofte_2019.txt")
    texts = " ".join(c.text for c in parsed.commitments)
    assert "polisen.se" not in texts and "Facebook" not in texts
    assert parsed.commitments[0].text == (
        "Genomföra riktade insatser mot narkotika-problematiken. Insatserna ska i första hand "
        "rikta sig mot ungdomar, men även mot äldre etablerade missbrukare.")


def test_vingaker_lists_keep_their_party_through_the_whole_list():
    parsed = _parse_seed("medborgarloften", "vingaker_medborgarlofte_2022.txt")
    assert [c.party for c in parsed.commitments] == (
        ["Polisen"] * 5 + ["Kommunen"] * 4 + ["Polisen och kommunen"] * 2)
