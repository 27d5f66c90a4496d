"""Hand-written variants of each pattern real kommuner use (issue 18), with negatives.

Every text here is written for the test (no corpus string), so the parser is held to the
pattern, not to one document's wording.
"""

from __future__ import annotations

from workbench.agreements.model import ParsedAgreement
from workbench.agreements.parse import parse_agreement


def _triples(parsed: ParsedAgreement) -> list[tuple[str, str]]:
    return [(c.party_kind, c.text) for c in parsed.commitments]


def _titles(parsed: ParsedAgreement) -> list[str]:
    return [area.title for area in parsed.focus_areas]


# --- party before the list ---------------------------------------------------------------

def test_party_named_after_the_verb_in_a_period_lead():
    parsed = parse_agreement("""Medborgarlöfte Aby

Under tiden 1 mars 2024 – 28 februari 2025 lovar lokalpolisen att:
- genomföra tio trafikkontroller vid skolorna
- besöka varje fritidsgård en gång per månad
""")
    assert _triples(parsed) == [("polis", "genomföra tio trafikkontroller vid skolorna"),
                                ("polis", "besöka varje fritidsgård en gång per månad")]
    assert parsed.period.to_json() == {"start": "2024-03-01", "end": "2025-02-28"}


def test_avger_harmed_lofte_om_with_lower_case_att_items():
    parsed = parse_agreement("""Bby – medborgarlöften

Bby kommun och lokalpolisområde Cstad avger härmed löfte om:

 • att anordna två trygghetsvandringar i Norrby under hösten.

 • att tillsammans med skolan informera föräldrar om droger.
""")
    assert [kind for kind, _ in _triples(parsed)] == ["gemensam", "gemensam"]
    assert parsed.commitments[0].text.startswith("att anordna två trygghetsvandringar")


def test_har_foljande_gemensamma_uppdrag_is_a_joint_lead():
    parsed = parse_agreement("""Samverkan i Dby

Samordnarna

Kommunens och polisens samordnare har följande gemensamma uppdrag:
  • Sammanställa lägesbilden varje kvartal.
  • Kalla till styrgruppens möten.
""")
    assert _triples(parsed) == [("gemensam", "Sammanställa lägesbilden varje kvartal."),
                                ("gemensam", "Kalla till styrgruppens möten.")]


def test_lovar_headings_with_att_items():
    parsed = parse_agreement("""Medborgarlöfte Eby 2025

Polisen lovar:
- Att patrullera centrum fredagskvällar.

Kommunen lovar:
- Att laga trasig belysning inom en vecka.
""")
    assert _triples(parsed) == [("polis", "Att patrullera centrum fredagskvällar."),
                                ("kommun", "Att laga trasig belysning inom en vecka.")]


# --- party after the item ----------------------------------------------------------------

def test_party_in_parentheses_or_after_ansvar():
    parsed = parse_agreement("""Fby – medborgarlöften

Det här lovar vi

Insatser för en tryggare hamn

 • Tolv kvällspatruller i hamnen under sommaren. (Polis)
 • Bättre belysning längs kajen. (Kommun)
 • En gemensam trygghetsvandring i maj (Kommun och Polis)
 • Rensa buskage vid gångtunneln – ansvar: kommunen
""")
    assert [kind for kind, _ in _triples(parsed)] == ["polis", "kommun", "gemensam", "kommun"]
    assert parsed.commitments[0].text == "Tolv kvällspatruller i hamnen under sommaren."
    assert parsed.commitments[3].text == "Rensa buskage vid gångtunneln"
    assert _titles(parsed) == ["Insatser för en tryggare hamn"]


def test_a_parenthesis_that_is_no_party_stays_in_the_text():
    parsed = parse_agreement("""Polisen lovar att:
- Delta i SSPF (skola, socialtjänst, polis, fritid)
- Följa upp insatserna (se bilaga 2)
""")
    assert _triples(parsed) == [
        ("polis", "Delta i SSPF (skola, socialtjänst, polis, fritid)"),
        ("polis", "Följa upp insatserna (se bilaga 2)")]


# --- joint vs single ---------------------------------------------------------------------

def test_kommun_tillsammans_med_polisen_is_joint_and_vi_ska_tillsammans_is_joint():
    parsed = parse_agreement("""Gby medborgarlöfte

Trygg skolväg

- Gby kommun ska tillsammans med polisen kartlägga otrygga skolvägar.
- Vi ska tillsammans arbeta för färre mopedolyckor.
- Gby kommun ska byta ut trasiga gatlampor.
""")
    assert [kind for kind, _ in _triples(parsed)] == ["gemensam", "gemensam", "kommun"]
    assert parsed.commitments[0].text.startswith("Gby kommun ska tillsammans med polisen")


def test_items_under_a_joint_lead_keep_the_party_they_name():
    parsed = parse_agreement("""Medborgarlöften i Hby 2019
Polismyndigheten och Hby kommun lovar att:

 • Kommunen ska öppna fritidsgården även på söndagar
 • Polisen kommer att synas mer vid busstationen kvällstid
 • Kommunen ser över belysningen i parken och åtgärdar brister
 • Trygghetsvandringar genomförs i området två gånger per år
""")
    assert [kind for kind, _ in _triples(parsed)] == ["kommun", "polis", "kommun", "gemensam"]
    assert parsed.commitments[1].text.startswith("Polisen kommer att synas")


def test_an_item_that_only_mentions_a_party_does_not_take_it():
    parsed = parse_agreement("""Polisen och kommunen lovar att:
- Genomföra trygghetsvandringar där kommunen deltar med fastighetsägare
""")
    assert [kind for kind, _ in _triples(parsed)] == ["gemensam"]


# --- several kommuner, police area, job titles ---------------------------------------------

def test_one_party_per_kommun_and_the_police_keeps_its_area():
    parsed = parse_agreement("""Samverkansöverenskommelse

Överenskommelsen gäller mellan Polisområde Norra Fjällen och de tre kommunerna Arvsjö, Bergvik och Tjärne.
""")
    assert "Arvsjö kommun" in parsed.parties and "Bergviks kommun" in parsed.parties
    assert "Tjärne kommun" in parsed.parties
    assert [p for p in parsed.parties if "olis" in p] == ["Polisområde Norra Fjällen"]


def test_a_job_title_in_a_signature_is_not_a_party():
    parsed = parse_agreement("""Samverkansöverenskommelse mellan Jby kommun och polisen 2024–2025

Polisen lovar att:
- Patrullera centrum.

Jby 2024-01-15

Kommundirektör Jby kommun          Lokalpolisområdeschef Kvarnby
""")
    assert "Jby kommun" in parsed.parties
    assert not any(p.lower().startswith("kommundirektör") for p in parsed.parties)
    assert "Lokalpolisområde Kvarnby" in parsed.parties


# --- periods -------------------------------------------------------------------------------

def test_periods_come_from_validity_statements_only():
    cases = {
        "Överenskommelsen gäller mellan år 2025 till och med år 2027.": ("2025-01-01", "2027-12-31"),
        "Samverkansavtalet löper från och med 2024-04-01 till och med 2026-03-31.":
            ("2024-04-01", "2026-03-31"),
        "Under 2019 ska kommunen och polisen arbeta med trafiken.": ("2019-01-01", "2019-12-31"),
        "Överenskommelsen gäller från och med 1 juli 2023 och tills vidare.": ("2023-07-01", None),
        "Gemensamma medborgarlöften i Kby kommun från 2021.": ("2021-01-01", None),
    }
    for sentence, (start, end) in cases.items():
        parsed = parse_agreement(f"Trygg i Kby\n\n{sentence}\n")
        assert parsed.period is not None, sentence
        assert parsed.period.to_json() == {"start": start, "end": end}, sentence


def test_other_dates_are_never_the_period():
    parsed = parse_agreement("""Samverkansöverenskommelse

Arbetet följer den nationella ANDT-strategin 2016–2020 och Brå:s rapport 2019.
Under 2017 har brotten minskat i Lby kommun.
Artikeln publicerades 2021-05-03.

Lby 2022-03-14
""")
    assert parsed.period is None


# --- focus areas ---------------------------------------------------------------------------

def test_plain_line_areas_after_the_intro_and_bold_bullets():
    plain = parse_agreement("""Medborgarlöfte Mby

De prioriterade områdena är:

Trygghet i centrum

Narkotika bland unga

Vi arbetar tillsammans med skolan.
""")
    assert _titles(plain) == ["Trygghet i centrum", "Narkotika bland unga"]
    bold = parse_agreement("""Samverkan Nby

Våra fokusområden:
- **Våld i nära relation** – Med målet att fler utsatta får stöd.
- **Unga i riskzon** – Med målet att färre unga rekryteras.
""")
    assert _titles(bold) == ["Våld i nära relation", "Unga i riskzon"]
    assert bold.commitments == ()


def test_inline_area_list_and_numbered_area_headings():
    inline = parse_agreement("Samverkan Oby\n\nVi samverkar inom områdena trafik, "
                             "narkotika och trygghet i bostadsområden.\n")
    assert _titles(inline) == ["Trafik", "Narkotika", "Trygghet i bostadsområden"]
    numbered = parse_agreement("""Samverkansöverenskommelse Pby

Fokusområde 1 – Trygg skolmiljö

Polisen lovar att:
- Besöka skolorna varje termin.

Fokusområde 2 – Ordning i centrum

Kommunen lovar att:
- Städa torget varje morgon.
""")
    assert _titles(numbered) == ["Fokusområde 1 – Trygg skolmiljö", "Fokusområde 2 – Ordning i centrum"]


def test_areas_in_a_summary_and_repeated_as_headings_are_one_area_each():
    parsed = parse_agreement("""Qby – medborgarlöften

Våra löften i Qby

Tryggare busstation.

Färre inbrott i villaområden.

Det här ska vi åstadkomma tillsammans

Tryggare busstation.

  • Fler vuxna på plats kvällstid.

Färre inbrott i villaområden

  • Polisen ska informera om grannsamverkan.
""")
    assert _titles(parsed) == ["Tryggare busstation", "Färre inbrott i villaområden"]
    assert [kind for kind, _ in _triples(parsed)] == ["gemensam", "polis"]


# --- page noise ------------------------------------------------------------------------------

def test_page_noise_never_becomes_title_area_or_commitment():
    parsed = parse_agreement("""Sök
Stäng meny
Hjälpmedel: Lyssna Talande webb

Rby – medborgarlöften

På bilden från vänster: kommunchefen och polischefen.

Innehåll ........ 2
1. Bakgrund 2. Syfte 3. Löften 4. Uppföljning

Polisen lovar att:
- Genomföra fem narkotikainsatser med fokus på unga vux-
  na under året.
- Synas vid skolorna.

Medborgarlöfte Rby
3

Artikeln publicerades 12 mars 2020.
""")
    assert parsed.title == "Rby – medborgarlöften"
    texts = [c.text for c in parsed.commitments]
    assert texts == ["Genomföra fem narkotikainsatser med fokus på unga vuxna under året.",
                     "Synas vid skolorna."]
    assert all(t not in ("Sök", "Stäng meny") for t in _titles(parsed))
    assert parsed.commitments[0].lines == (12, 13)  # the hyphenated item covers both lines


def test_a_repeated_pdf_page_header_is_noise():
    page = "Samverkansöverenskommelse Sby 2024–2026\n"
    parsed = parse_agreement(page + "Kommunen lovar att:\n- Sanera klotter inom ett dygn.\n"
                             + page + "- Laga lekplatser.\n" + page)
    assert [c.text for c in parsed.commitments] == ["Sanera klotter inom ett dygn.",
                                                    "Laga lekplatser."]


# --- nothing invented --------------------------------------------------------------------------

def test_an_introduction_and_a_councils_duties_are_not_commitments():
    parsed = parse_agreement("""Samverkansöverenskommelse Tby

Inledning
Kommunen ska enligt lag arbeta brottsförebyggande. Polisen ska finnas nära medborgarna.

Brottsförebyggande rådet

Rådet ska:
- sammanträda fyra gånger per år
- följa upp lägesbilden
""")
    assert parsed.commitments == ()


def test_a_cut_off_text_keeps_what_is_there_but_not_a_half_word():
    parsed = parse_agreement("""Medborgarlöfte Uby 2024
Polisen och kommunen lovar att:
 • Kommunen ska genomföra trygghetsvandringar i Västra området varje höst
 • Polisen s""")
    assert [kind for kind, _ in _triples(parsed)] == ["kommun"]
    longer = parse_agreement("Polisen lovar att:\n- Genomföra riktade insatser mot langning av alk")
    assert len(longer.commitments) == 1 and longer.commitments[0].low_confidence


def test_a_lead_repeated_in_every_section_is_no_page_header():
    sections = "".join(f"\nOmråde {n}\n\nPolisen lovar att:\n- Patrullera stadsdel {n} varje vecka.\n"
                       for n in range(1, 6))
    parsed = parse_agreement("Medborgarlöfte Vby\n" + sections)
    assert len(parsed.commitments) == 5
    assert {c.party_kind for c in parsed.commitments} == {"polis"}


def test_the_generated_twenty_page_agreement_parses_completely():
    """The benchmark's 20-page text (benchmarks/agreement_benchmark.py): every page's eight
    commitments are found, the page headers and numbers are not."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "agreement_benchmark.py"
    spec = importlib.util.spec_from_file_location("agreement_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    parsed = parse_agreement(module.long_agreement(20))
    assert len(parsed.commitments) == 160
    assert parsed.period.to_json() == {"start": "2024-01-01", "end": "2027-12-31"}
    assert not any("Sida" in c.text or "Exempelby 2024" in c.text for c in parsed.commitments)
    assert len([a for a in parsed.focus_areas if a.title.startswith("Fokusområde")]) == 20


def test_a_page_about_medborgarlöften_in_general_has_no_commitments_and_no_period():
    parsed = parse_agreement("""Wby kommun logotyp

Medborgarlöfte

Varje år lovar polisen i kommundelen att satsa på något särskilt. Det kallas medborgarlöfte.

Medborgarlöften ska:

  • öka tryggheten
  • stärka förtroendet för polisen.

Syftet med medborgarlöften är att:
 • Skapa engagemang i lokalsamhället.
 • Kommunicera brottsförebyggande aktiviteter.

Läs gärna mer om medborgarlöftet 2025 på polisens webbplats.

Hade du nytta av innehållet på den här sidan?
Hitta på sidan
""")
    assert parsed.title == "Medborgarlöfte"
    assert parsed.commitments == () and parsed.focus_areas == ()
    assert parsed.period is None


def test_kommer_tillsammans_med_att_is_a_commitment_and_joint():
    parsed = parse_agreement("""Xby – medborgarlöften

Medborgarlöfte 2024/2025

  • Xby kommun och polisen kommer tillsammans med fastighetsägarna att rusta upp gångtunneln.

  • Kommunen kommer i samverkan med polisen att ordna en trygghetsdag i centrum.

  • Polisen kommer att genomföra fler trafikkontroller.
""")
    assert [kind for kind, _ in _triples(parsed)] == ["gemensam", "gemensam", "polis"]
    assert parsed.period.to_json() == {"start": "2024-01-01", "end": "2025-12-31"}
