"""An import error names file, row and column and echoes what it found; personal data in it is
masked before it is shown, printed or stored (issue 15: ImportValidationError messages were not
scanned, unlike the row problems of a successful import)."""

from __future__ import annotations

import pytest

from workbench.cli import main as cli
from workbench.errors import ImportProblem, ImportValidationError
from workbench.services import imports
from workbench.store import repositories as repo
from workbench.store.db import open_store

ORG = "Kumla kommun"
PNR, PHONE, MAIL = "811218-9876", "070-123 45 67", "anna.svensson@example.se"


def test_the_message_and_every_problem_are_scanned():
    error = ImportValidationError(
        f"Personnr {PNR}.csv: kolumnen 'Ring {PHONE}' saknas",
        [ImportProblem(f"Personnr {PNR}.csv", 3, f"Kontakt {MAIL}", f"ogiltigt datum '{PNR}'"),
         ImportProblem("händelser.csv", 4, "Datum", "ogiltigt datum '2025-13-01'")])
    shown = str(error) + " ".join(str(p) for p in error.problems)
    for leaked in ("811218", "9876", "070-123", "anna.svensson"):
        assert leaked not in shown, shown
    assert str(error) == "Personnr [personnummer].csv: kolumnen 'Ring [telefonnummer]' saknas"
    assert str(error.problems[0]) == ("Personnr [personnummer].csv, rad 3, kolumn 'Kontakt [e-post]': "
                                      "ogiltigt datum '[personnummer]'")
    assert str(error.problems[1]) == "händelser.csv, rad 4, kolumn 'Datum': ogiltigt datum '2025-13-01'"


def _indicators_for_people() -> bytes:
    """An indicator file where someone typed personnummer into the area column: no row matches."""
    return (f"Område;År;Befolkning\r\n{PNR};2025;1200\r\n19{PNR.replace('-', '')};2025;800\r\n"
            ).encode("cp1252")


def test_an_import_that_fails_on_a_personnummer_cell_does_not_echo_it(sqlite_url, capsys, tmp_path):
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        repo.ensure_organisation(conn, ORG)
    with pytest.raises(ImportValidationError) as refused:
        imports.import_indicators(store, _indicators_for_people(), "indikatorer.csv", ORG)
    message = str(refused.value)
    assert message.startswith("indikatorer.csv: ingen rad kunde importeras, t.ex. rad 2, kolumn 'Område': "
                              "okänt område '[personnummer]'"), message
    assert "811218" not in message and "9876" not in message

    path = tmp_path / "indikatorer.csv"
    path.write_bytes(_indicators_for_people())
    code = cli(["import", "area-indicators", str(path), "--db", sqlite_url, "--organisation", ORG])
    captured = capsys.readouterr()
    assert code == 2
    assert "okänt område '[personnummer]'" in captured.err
    assert "811218" not in captured.out + captured.err
