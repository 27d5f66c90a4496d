"""parse_agreement on small hand-written variants of each structure real agreements use."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.agreements.model import Commitment, ParsedAgreement
from workbench.agreements.parse import parse_agreement, party_kind


def _triples(parsed: ParsedAgreement) -> list[tuple[str, str, str]]:
    return [(c.party, c.party_kind, c.text) for c in parsed.commitments]


def _areas(parsed: ParsedAgreement) -> dict[str, list[str]]:
    return {area.title: [c.text for c in area.commitments] for area in parsed.focus_areas}


# --- focus areas -------------------------------------------------------------------------

def test_focus_areas_listed_in_the_introduction_and_repeated_as_markdown_headings():
    parsed = parse_agreement("""# Samverkansöverenskommelse mellan Alby kommun och polisen 2023–2025

Överenskommelsen omfattar följande samverkansområden:

- Trygga offentliga miljöer
- Ungdomar i riskzon.

## Trygga offentliga miljöer

Text om miljöerna.

**Alby kommun förbinder sig att:**

- Åtgärda trasig belysning inom en vecka

## Ungdomar i riskzon

**Polisen förbinder sig att:**

- Delta i SSPF
""")
    assert _areas(parsed) == {
        "Trygga offentliga miljöer": ["Åtgärda trasig belysning inom en vecka"],
        "Ungdomar i riskzon": ["Delta i SSPF"],
    }


def test_focus_areas_repeated_as_plain_lines():
    parsed = parse_agreement("""Samverkansöverenskommelse

Vi samverkar inom följande områden:
• Narkotika i skolmiljö
• Trygghet i centrum

Narkotika i skolmiljö
Skolorna rapporterar en ökning.

Kommunen åtar sig att:
• Genomföra drogvaneundersökning årligen

Trygghet i centrum
Centrum upplevs otryggt kvällstid.

Kommunen åtar sig att:
• Se över belysningen på torget
""")
    assert _areas(parsed) == {
        "Narkotika i skolmiljö": ["Genomföra drogvaneundersökning årligen"],
        "Trygghet i centrum": ["Se över belysningen på torget"],
    }


def test_headings_own_commitments_when_the_introduction_lists_no_areas():
    parsed = parse_agreement("""# Överenskommelse Bdalen 2024

## Trygg skolväg

### Kommunen lovar att:
- Röja buskage längs skolvägen

## Bakgrund

- Kommunen har 12 000 invånare
""")
    assert [area.title for area in parsed.focus_areas] == ["Trygg skolväg"]
    assert _triples(parsed) == [("Kommunen", "kommun", "Röja buskage längs skolvägen")]


def test_a_heading_about_an_omrade_is_not_mistaken_for_a_council():
    parsed = parse_agreement("""Överenskommelse

## Trygghet i området

Polisen lovar att:
- Patrullera området kvällstid
""")
    assert [(a.title, len(a.commitments)) for a in parsed.focus_areas] == [
        ("Trygghet i området", 1)]


def test_numbered_priority_list_gives_focus_areas_in_order():
    parsed = parse_agreement("""Samverkansöverenskommelse 2021-2022

Följande områden är prioriterade:

1. Narkotika.
2) Trafiksäkerhet

3. Klotter och skadegörelse
""")
    assert [area.title for area in parsed.focus_areas] == [
        "Narkotika", "Trafiksäkerhet", "Klotter och skadegörelse"]
    assert parsed.commitments == ()


# --- party leads -------------------------------------------------------------------------

@pytest.mark.parametrize("lead, party, kind", [
    ("Marks kommun förbinder sig att:", "Marks kommun", "kommun"),
    ("Marks kommun förbinder sig att", "Marks kommun", "kommun"),
    ("**Polisen åtar sig att:**", "Polisen", "polis"),
    ("### **Lokalpolisområde Borås åtar sig att**", "Lokalpolisområde Borås", "polis"),
    ("## Kommunen lovar att", "Kommunen", "kommun"),
    ("Polisen lovar", "Polisen", "polis"),
    ("Tillsammans lovar vi:", "Tillsammans", "gemensam"),
    ("**Tillsammans lovar vi**", "Tillsammans", "gemensam"),
    ("Kommunen och polisen lovar att:", "Kommunen och polisen", "gemensam"),
    ("AB Alby Bostäder åtar sig att:", "AB Alby Bostäder", "bostadsbolag"),
    ("Polisen lovar i medborgarlöftet för 2024 att:", "Polisen", "polis"),
])
def test_party_lead_forms(lead: str, party: str, kind: str):
    parsed = parse_agreement(f"Medborgarlöfte\n\n{lead}\n\n- Genomföra två trygghetsvandringar\n")
    assert _triples(parsed) == [(party, kind, "Genomföra två trygghetsvandringar")]


@pytest.mark.parametrize("lead, party, kind", [
    ("## Polisens åtaganden", "Polisen", "polis"),
    ("**Vby kommuns åtaganden:**", "Vby kommun", "kommun"),
    ("Gemensamma åtaganden", "Tillsammans", "gemensam"),
    ("Kommunen ansvarar för att:", "Kommunen", "kommun"),
])
def test_possessive_and_responsibility_leads(lead: str, party: str, kind: str):
    parsed = parse_agreement(f"Överenskommelse\n\n{lead}\n\n- Delta i trygghetsvandringar\n")
    assert _triples(parsed) == [(party, kind, "Delta i trygghetsvandringar")]


def test_a_parenthesis_that_is_no_party_list_keeps_the_lead_party():
    parsed = parse_agreement("Kommunen förbinder sig att:\n"
                             "- Genomföra trygghetsvandringar (i samverkan med polisen)\n"
                             "- Samordna arbetet inom ANDT (Alkohol, narkotika, doping och tobak)\n"
                             "- Samordna SSPF (SSPF)\n")
    assert {c.party for c in parsed.commitments} == {"Kommunen"}
    assert parsed.commitments[0].text == ("Genomföra trygghetsvandringar "
                                          "(i samverkan med polisen)")


@pytest.mark.parametrize("marker", ["-", "•", "*", "1.", "1)"])
def test_bullet_markers_and_blank_lines_inside_a_list(marker: str):
    parsed = parse_agreement(f"""Medborgarlöfte Cby 2024

Polisen lovar att:

{marker} Öka närvaron i centrum

{marker} Genomföra krogtillsyn

{marker} Hålla två medborgardialoger
""")
    assert [c.text for c in parsed.commitments] == [
        "Öka närvaron i centrum", "Genomföra krogtillsyn", "Hålla två medborgardialoger"]
    assert {c.party for c in parsed.commitments} == {"Polisen"}


def test_a_wrapped_bullet_continues_on_the_next_line():
    parsed = parse_agreement("Polisen förbinder sig att:\n- Genomföra riktade insatser mot\n"
                             "  narkotikaförsäljning vid stationen\n- Delta i EST\n")
    assert [c.text for c in parsed.commitments] == [
        "Genomföra riktade insatser mot narkotikaförsäljning vid stationen", "Delta i EST"]


def test_plain_lines_directly_under_a_lead_with_a_colon_are_items():
    parsed = parse_agreement("Kommunen förbinder sig att:\nSanera klotter inom 24 timmar\n"
                             "Laga belysning inom en vecka\n\nDetta följs upp varje år.\n")
    assert _triples(parsed) == [
        ("Kommunen", "kommun", "Sanera klotter inom 24 timmar"),
        ("Kommunen", "kommun", "Laga belysning inom en vecka"),
    ]


def test_a_paragraph_ends_the_list_of_a_lead():
    parsed = parse_agreement("""Polisen förbinder sig att:
- Delta i EST

Parterna följer upp arbetet två gånger per år. Följande har hänt:
- Brotten minskade 2023
""")
    assert [c.text for c in parsed.commitments] == ["Delta i EST"]


# --- joint commitments -------------------------------------------------------------------

def test_items_naming_their_own_parties_inline():
    parsed = parse_agreement("""Dby – medborgarlöften

• Polisen lovar fortsatt synlighet i centrum.
• Polisen och Dby kommun lovar att arbeta aktivt med grannsamverkan.
• Dby kommun lovar att se över belysningen.
""")
    assert _triples(parsed) == [
        ("Polisen", "polis", "Fortsatt synlighet i centrum."),
        ("Polisen och Dby kommun", "gemensam", "Arbeta aktivt med grannsamverkan."),
        ("Dby kommun", "kommun", "Se över belysningen."),
    ]


def test_kommunen_och_polisen_ska_is_a_joint_commitment_in_a_focus_area():
    parsed = parse_agreement("""# Samverkansöverenskommelse

Arbetet sker inom följande fokusområden:
- Trygg stadskärna

## Trygg stadskärna

- Kommunen och polisen ska genomföra en gemensam lägesbild varje månad.
- Kommunen ska sanera klotter inom 48 timmar.
""")
    assert _triples(parsed) == [
        # "X ska …" is kept as written, subject included (only "X lovar att …" is shortened)
        ("Kommunen och polisen", "gemensam",
         "Kommunen och polisen ska genomföra en gemensam lägesbild varje månad."),
        ("Kommunen", "kommun", "Kommunen ska sanera klotter inom 48 timmar."),
    ]
    assert parsed.focus_areas[0].title == "Trygg stadskärna"


def test_a_joint_prose_sentence_in_a_focus_area_is_a_commitment():
    parsed = parse_agreement("""# Samverkansöverenskommelse mellan Xby stad och polisen 2025–2026

## Prioriterade områden

1. Barn och unga i riskzon

## Barn och unga i riskzon

Kommunen och polisen ska gemensamt följa upp ungdomar som återkommande syns i
ordningsstörningar kvällstid (Polis och kommun). Det sker varje månad.

Polisen ska bedriva sin verksamhet nära medborgarna. Parterna ska ha ett flexibelt
förhållningssätt.

**Kommunen förbinder sig att:**

- hålla fritidsgården öppen fredagskvällar
""")
    assert _triples(parsed) == [
        ("Polis och kommun", "gemensam", "Kommunen och polisen ska gemensamt följa upp ungdomar "
         "som återkommande syns i ordningsstörningar kvällstid."),
        ("Kommunen", "kommun", "hålla fritidsgården öppen fredagskvällar"),
    ]


def test_attributions_in_parentheses_name_the_parties():
    parsed = parse_agreement("""Det här lovar vi

Vi lovar följande aktiviteter under 2024:

- Information till föräldrar. (Polis och kommun)
- Ökad närvaro vid stationen (Polis)
- Fler lokaler hyrs ut (Centrumfastigheter i Eby)
- Samordna SSPF (skola, socialtjänst, polis, fritid)
""")
    assert _triples(parsed) == [
        ("Polis och kommun", "gemensam", "Information till föräldrar."),
        ("Polis", "polis", "Ökad närvaro vid stationen"),
        ("Centrumfastigheter i Eby", "annan", "Fler lokaler hyrs ut"),
        ("Tillsammans", "gemensam", "Samordna SSPF (skola, socialtjänst, polis, fritid)"),
    ]


def test_attributed_items_after_a_promises_line_without_a_verb():
    parsed = parse_agreement("""Medborgarlöfte Fby 2024

Medborgarlöftet innehåller flera gemensamma löften:

  • Ökad polisnärvaro i centrum (Polis)
  • Arbete för ökade flöden (Fby City, Fby TME)
""")
    assert _triples(parsed) == [
        ("Polis", "polis", "Ökad polisnärvaro i centrum"),
        ("Fby City, Fby TME", "annan", "Arbete för ökade flöden"),
    ]


# --- what must NOT become commitments -----------------------------------------------------

def test_a_council_duties_list_is_not_commitments():
    parsed = parse_agreement("""# Samverkansöverenskommelse mellan Gby kommun och polisen 2024–2026

## Trygghetsrådet

Trygghetsrådet ska:
- samordna det brottsförebyggande arbetet
- följa upp lägesbilden varje kvartal

Rådet har till uppgift att:
- fördela medel till insatser

Kommunstyrelsen ska:
- utse ordförande i rådet
""")
    assert parsed.commitments == ()
    assert parsed.focus_areas == ()


def test_a_background_list_is_not_commitments():
    parsed = parse_agreement("""# Överenskommelse mellan Hby kommun och polisen 2024

## Bakgrund

- Polisen registrerade 1 200 brott under 2023
- Kommunen ska enligt lag ha ett brottsförebyggande råd
- Tryggheten har minskat i centrum

Bakgrund:
- 40 procent känner sig otrygga

**Polisen förbinder sig att:**
- Genomföra fotpatrullering i centrum
""")
    assert _triples(parsed) == [("Polisen", "polis", "Genomföra fotpatrullering i centrum")]


def test_a_table_of_contents_is_neither_focus_areas_nor_commitments():
    parsed = parse_agreement("""Samverkansöverenskommelse Iby 2024–2025

Innehåll
1. Inledning\t3
2. Samverkansområden\t4
3. Polisen förbinder sig\t5

Inledning
Detta är en överenskommelse.
""")
    assert parsed.commitments == ()
    assert parsed.focus_areas == ()
    assert parsed.actions == ()


def test_a_prose_sentence_with_forbinder_sig_is_no_lead():
    parsed = parse_agreement("""Överenskommelse 2024

Respektive part förbinder sig att följa i dokumentet beskrivna åtgärder och ansvara för sin del i planen.
- Bilaga 1: handlingsplan
- Bilaga 2: medborgarlöfte
""")
    assert parsed.commitments == ()


# --- title, kind, parties ------------------------------------------------------------------

def test_kind_citizen_promise_versus_agreement():
    assert parse_agreement("Medborgarlöfte i Jby\n\nPolisen lovar\n- Mer närvaro\n").kind == (
        "citizen_promise")
    assert parse_agreement("Samverkansöverenskommelse\n\nmedborgarlöftet biläggs\n").kind == (
        "agreement")
    untitled = "Trygghet i Jby\n\nMedborgarlöftet gäller 2024. Medborgarlöftet följs upp.\n"
    assert parse_agreement(untitled).kind == "citizen_promise"
    assert parse_agreement("Trygghet i Jby\n\nÖverenskommelsen gäller 2024.\n").kind == "agreement"


def test_a_generic_title_takes_its_subtitle():
    parsed = parse_agreement("# Samverkansöverenskommelse\n\nKby kommun och Lokalpolisområde "
                             "Kbygden 2020-2023\n\n# Samverkan\n")
    assert parsed.title == ("Samverkansöverenskommelse – Kby kommun och Lokalpolisområde Kbygden "
                            "2020-2023")
    assert parsed.parties == ("Kby kommun", "Lokalpolisområde Kbygden")


def test_parties_from_the_title_mellan_x_och_y():
    parsed = parse_agreement("Samverkansöverenskommelse mellan Lby kommun, Lby Bostäder AB och "
                             "Polismyndigheten, lokalpolisområde Lby 2022-2024\n")
    assert parsed.parties == ("Lby kommun", "Polismyndigheten, lokalpolisområde Lby",
                              "Lby Bostäder AB")


def test_several_kommuner_and_one_police_area():
    parsed = parse_agreement("""# Samverkansöverenskommelse mellan Mby kommun, Nby kommun, Oby kommun och Lokalpolisområde Mbygden 2023-05-01 – 2026-12-31

Text.
""")
    assert parsed.parties == ("Mby kommun", "Nby kommun", "Oby kommun",
                              "Lokalpolisområde Mbygden")
    assert (parsed.period.start, parsed.period.end) == (date(2023, 5, 1), date(2026, 12, 31))


def test_parties_from_signature_blocks():
    parsed = parse_agreement("""Samverkansöverenskommelse 2024–2026

Parterna samverkar i EST.

Pby den 1 mars 2024

För Pby kommun
Anna Andersson
Kommunstyrelsens ordförande

För Polismyndigheten
Bo Berg
Lokalpolisområdeschef Pbygden
""")
    assert parsed.parties == ("Pby kommun", "Polismyndigheten", "Lokalpolisområde Pbygden")
    assert not any("Andersson" in p or "Berg" in p for p in parsed.parties)


def test_parties_from_a_signature_block_with_line_breaks_only():
    parsed = parse_agreement("""Överenskommelse om samverkan 2020-2023

För att öka tryggheten i kommunen samverkar vi.

Trygg stad

Wby den

Wby kommun
Kommunstyrelsen

---

Ylva Y
Kommunstyrelsens ordförande

Wby den

Lokalpolisområde
Västra Wbygden

---

Jon J
Lokalpolisområdeschef
""")
    assert parsed.parties == ("Wby kommun", "Lokalpolisområde Västra Wbygden")


def test_signature_role_lines_in_two_columns():
    parsed = parse_agreement("""Rby – medborgarlöften

• Rby kommun lovar att se över belysningen.

Eva Ek                                 Per Pil

Kommunstyrelsens ordförande i Rby kommun        Lokalpolisområdeschef Rbygden
""")
    assert parsed.parties == ("Rby kommun", "Lokalpolisområde Rbygden")


@pytest.mark.parametrize("name, kind", [
    ("Marks kommun", "kommun"),
    ("Mölndals stad", "kommun"),
    ("Borås Stad", "kommun"),
    ("Socialförvaltningen", "kommun"),
    ("Kultur- och fritidsnämnden", "kommun"),
    ("Kommunstyrelsen", "kommun"),
    ("Polisen", "polis"),
    ("polis", "polis"),
    ("Lokalpolisområde Borås", "polis"),
    ("LPO Hallsberg", "polis"),
    ("Polismyndigheten, lokalpolisområde Borås", "polis"),
    ("Marks bostads AB", "bostadsbolag"),
    ("AB Bostäder i Borås", "bostadsbolag"),
    ("Bostäder", "bostadsbolag"),
    ("Uppsalahem", "bostadsbolag"),
    ("Tillsammans", "gemensam"),
    ("vi", "gemensam"),
    ("Polis och kommun", "gemensam"),
    ("Laxå kommun och polisen", "gemensam"),
    ("Borås Stad, Polis, Borås TME", "gemensam"),
    ("Borås City", "annan"),
    ("Västtrafik, Nobina", "annan"),
    ("", "annan"),
])
def test_party_kind(name: str, kind: str):
    assert party_kind(name) == kind


# --- robustness -----------------------------------------------------------------------------

def test_empty_and_whitespace_text():
    for text in ("", "   \n\n\t", "\ufeff"):
        parsed = parse_agreement(text)
        assert (parsed.title, parsed.period, parsed.focus_areas, parsed.actions) == (
            "", None, (), ())


def test_windows_newlines_and_bom_are_handled():
    parsed = parse_agreement("\ufeffMedborgarlöfte 2023\r\n\r\nPolisen lovar:\r\n- Mer närvaro\r\n")
    assert parsed.title == "Medborgarlöfte 2023"
    assert parsed.commitments == (Commitment("Polisen", "polis", "Mer närvaro"),)


_LINES = st.sampled_from([
    "", "# Samverkansöverenskommelse mellan Sby kommun och polisen", "## Trygghet",
    "Polisen förbinder sig att:", "**Kommunen lovar att:**", "Tillsammans lovar vi", "- ",
    "- Genomföra insatser (Polis och kommun)", "1. Narkotika", "Orsak\tÅtgärd\tAnsvarig",
    "\tPatrullera\tPolisen", "| Orsak | Åtgärd | Ansvarig |", "|---|---|", "| | x |",
    "gäller 2020-01-01 till och med 2019-12-31", "2024–2026", "För Sby kommun",
    "Lokalpolisområde", "Följande områden är prioriterade:", "(", ")", "**", "---",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.lists(
    st.one_of(_LINES, st.text(max_size=40)), max_size=30).map("\n".join)))
def test_any_text_gives_a_parsed_agreement(text: str):
    parsed = parse_agreement(text)
    assert isinstance(parsed, ParsedAgreement)
    document = parsed.to_json()
    assert document["kind"] in ("agreement", "citizen_promise")
    for area in parsed.focus_areas:
        for commitment in area.commitments:
            assert commitment.party_kind == party_kind(commitment.party)
            assert commitment.text.strip()
    if parsed.period is not None:
        assert parsed.period.start <= parsed.period.end
