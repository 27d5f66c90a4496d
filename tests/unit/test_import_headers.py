"""Header recognition for the forms real exports use, and a best guess for the rest."""

from __future__ import annotations

import pytest

from workbench.io.importers.columns import best_guess, is_not_stored
from workbench.io.importers.tabular import FIELDS, detect_columns
from workbench.services import imports

EXPORT_HEADERS = [
    # (headers as exported, expected field → header)
    (["Händelsenr.", "Brottskod/Kategori", "Fr.o.m. datum", "Fr.o.m. kl", "T.o.m. datum", "T.o.m. kl",
      "X", "Y"],
     {"source_id": "Händelsenr.", "category": "Brottskod/Kategori", "from_date": "Fr.o.m. datum",
      "from_time": "Fr.o.m. kl", "to_date": "T.o.m. datum", "to_time": "T.o.m. kl"}),
    (["Ärende nr", "Brottsrubrik", "Gärningsdatum", "Gärningstid", "Plats/Adress", "Kommun"],
     {"source_id": "Ärende nr", "category": "Brottsrubrik", "from_date": "Gärningsdatum",
      "from_time": "Gärningstid", "municipality": "Kommun"}),
    (["Dnr", "Ärendetyp", "Inskrivningsdatum", "Kommunkod", "Beskrivning"],
     {"source_id": "Dnr", "category": "Ärendetyp", "from_datetime": "Inskrivningsdatum",
      "municipality": "Kommunkod", "description": "Beskrivning"}),
    (["K-nr", "Händelsetyp", "Datum", "Kl", "Områdeskod"],
     {"source_id": "K-nr", "category": "Händelsetyp", "from_datetime": "Datum", "from_time": "Kl",
      "area_code": "Områdeskod"}),
    (["Brottskod", "Brottsrubricering", "Gärningsdatum från", "Gärningsdatum till", "Inskrivningsdatum",
      "X-koordinat", "Y-koordinat"],
     {"category": "Brottsrubricering", "from_date": "Gärningsdatum från",
      "to_date": "Gärningsdatum till", "from_datetime": "Inskrivningsdatum"}),
    (["Anmälningsnr", "Typ av händelse", "Brottsdatum", "Klockslag", "Latitud", "Longitud"],
     {"source_id": "Anmälningsnr", "category": "Typ av händelse", "from_date": "Brottsdatum",
      "from_time": "Klockslag"}),
]


@pytest.mark.parametrize("headers,expected", EXPORT_HEADERS)
def test_real_export_headers(headers, expected):
    columns = detect_columns(headers)
    for field, header in expected.items():
        assert columns.get(field) == header, (field, columns)


def test_addresses_are_known_and_not_stored():
    assert is_not_stored("Plats/Adress") and is_not_stored("Brottsplats") and is_not_stored("Adress")
    assert not is_not_stored("Brottstyp")


def test_an_unplaced_header_gets_a_best_guess():
    assert best_guess("Brottskategorier", FIELDS) == "category"
    assert best_guess("Händelsedatum 2", FIELDS) == "from_date"
    assert best_guess("Vad hände", FIELDS) is None
    assert best_guess("Gatuadress", FIELDS) is None  # not stored, never guessed


def test_detect_lists_unplaced_headers_with_their_guess_and_the_ignored_addresses():
    text = ("Händelsenummer;Brottskategorier;Datum;Tid;Plats/Adress;X;Y;Vad hände\r\n"
            "1;Skadegörelse;2026-03-05;14:30;Storgatan 1;6555000;505000;x\r\n").encode("cp1252")
    found = imports.detect("incidents", text, "export.csv")
    assert found.unplaced == {"Brottskategorier": "category", "Vad hände": None}
    assert found.not_stored == ("Plats/Adress",)
