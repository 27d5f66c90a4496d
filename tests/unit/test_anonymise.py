import pandas as pd
import pytest

from workbench.anonymise.scan import luhn_ok, redact_series, redact_text
from workbench.anonymise.suppress import suppress_frame, suppressed_label


@pytest.mark.parametrize("text,kind", [
    ("Anmälare 19811218-9876 hördes.", "personnummer"),
    ("pnr 811218-9876", "personnummer"),
    ("pnr 8112189876.", "personnummer"),
    ("äldre än hundra: 811218+9876", "personnummer"),
    ("samordningsnummer 811278-9873", "personnummer"),
    ("Ring 070-123 45 67", "telefonnummer"),
    ("Ring +46 70 123 45 67", "telefonnummer"),
    ("tel 031-12 34 56", "telefonnummer"),
    ("mejl anmalare@example.se", "e-post"),
    ("bil ABC 123 stod där", "registreringsnummer"),
    ("bil ABC12D stod där", "registreringsnummer"),
])
def test_personal_data_is_found_and_replaced(text, kind):
    result = redact_text(text)
    assert result.found[kind] == 1
    assert f"[{kind}]" in result.text


@pytest.mark.parametrize("text", [
    "Händelsen 2025-03-05 14.30 vid torget",
    "Ärende 5000-K123456-25",
    "811218-9875 är inte ett giltigt nummer",  # Luhn fails
    "Belopp 1 234 kr, 12 personer",
    "Klockan 22:10 på Allégatan 12",
    "Stora torget i BORÅS",
])
def test_ordinary_text_is_left_alone(text):
    assert redact_text(text).text == text


def test_luhn():
    assert luhn_ok("8112189876")
    assert not luhn_ok("8112189875")


def test_series_counts_and_keeps_empties():
    values = pd.Series(["", None, "070-123 45 67 och a@b.se", "inget"])
    out, counts, hits = redact_series(values)
    assert out.iloc[2] == "[telefonnummer] och [e-post]"
    assert counts == {"telefonnummer": 1, "e-post": 1}
    assert hits.tolist() == [0, 0, 2, 0]
    assert out.iloc[3] == "inget"


def test_suppression_labels():
    assert suppressed_label(1, 3) == "<3"
    assert suppressed_label(2, 3) == "<3"
    assert suppressed_label(3, 3) == "3"
    assert suppressed_label(0, 3) == "0"
    frame = suppress_frame(pd.DataFrame({"n": [0, 1, 5]}), ["n"], 3)
    assert frame["n"].tolist() == ["0", "<3", "5"]
