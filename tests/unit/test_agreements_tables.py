"""Action tables Orsak – Åtgärd – Ansvarig – Uppföljning, tab-separated and Markdown."""

from __future__ import annotations

from workbench.agreements.model import ActionRow
from workbench.agreements.parse import parse_agreement
from workbench.agreements.tables import parse_action_tables


def test_tab_separated_table_with_continuation_rows_and_a_blank_line():
    parsed = parse_agreement("""# Handlingsplan 2024

Orsak\tÅtgärd\tAnsvarig\tUppföljning
Klotter i gångtunneln\tSanera inom 24 timmar\tGatuenheten\tAntal saneringar per månad

\tKamerabevakning utreds\tPolisen\t
\tBättre belysning\tGatuenheten\tTrygghetsvandring i maj
Otrygghet vid stationen\tFotpatrullering fredagar\tPolisen\tAntal timmar
--\t--\t--\t--

Efter tabellen.
""")
    assert parsed.actions == (
        ActionRow("Klotter i gångtunneln", "Sanera inom 24 timmar", "Gatuenheten",
                  "Antal saneringar per månad"),
        ActionRow("Klotter i gångtunneln", "Kamerabevakning utreds", "Polisen", ""),
        ActionRow("Klotter i gångtunneln", "Bättre belysning", "Gatuenheten",
                  "Trygghetsvandring i maj"),
        ActionRow("Otrygghet vid stationen", "Fotpatrullering fredagar", "Polisen",
                  "Antal timmar"),
    )


def test_markdown_table_with_continuation_rows_and_bold_header():
    parsed = parse_agreement("""## Åtgärdsplan

| **Orsak** | **Åtgärd** | **Ansvarig** | **Uppföljning** |
|:---|---|---|---|
| Nedskräpning i parken | Fler papperskorgar | Parkenheten | Felanmälningar |
|  | Städdag med skolan | Skolan |  |
| Skymd sikt | Röja buskage | Parkenheten | Trygghetsvandring |

Text efter.
""")
    assert [(a.cause, a.action, a.responsible, a.follow_up) for a in parsed.actions] == [
        ("Nedskräpning i parken", "Fler papperskorgar", "Parkenheten", "Felanmälningar"),
        ("Nedskräpning i parken", "Städdag med skolan", "Skolan", ""),
        ("Skymd sikt", "Röja buskage", "Parkenheten", "Trygghetsvandring"),
    ]


def test_columns_in_another_order_and_without_follow_up():
    rows, used = parse_action_tables([
        "Åtgärd | Ansvarig | Orsak",
        "| --- | --- | --- |",
        "| Nattvandring | Föreningar | Oro på helger |",
        "| Krogtillsyn | Polisen |  |",
    ])
    assert rows == (ActionRow("Oro på helger", "Nattvandring", "Föreningar", ""),
                    ActionRow("Oro på helger", "Krogtillsyn", "Polisen", ""))
    assert used == {0, 1, 2, 3}


def test_a_row_without_action_only_sets_the_cause():
    rows, _ = parse_action_tables([
        "Orsak\tÅtgärd\tAnsvarig\tUppföljning",
        "Buskörning\t\t\t",
        "\tTrafikkontroller\tPolisen\tAntal kontroller",
    ])
    assert rows == (ActionRow("Buskörning", "Trafikkontroller", "Polisen", "Antal kontroller"),)


def test_tab_lines_without_a_header_are_no_actions_and_stay_text():
    parsed = parse_agreement("Innehåll\nInledning\t3\nBakgrund\t4\n\nPolisen lovar:\n- Närvaro\n")
    assert parsed.actions == ()
    assert [c.text for c in parsed.commitments] == ["Närvaro"]


def test_table_lines_are_never_commitments():
    parsed = parse_agreement("""Polisen förbinder sig att:
- Delta i EST
Orsak\tÅtgärd\tAnsvarig\tUppföljning
Oro\tPolisen lovar att patrullera\tPolisen\tTimmar
""")
    assert [c.text for c in parsed.commitments] == ["Delta i EST"]
    assert parsed.actions[0].action == "Polisen lovar att patrullera"
