"""extract_text: text files in three encodings, .docx built here with zipfile, .pdf, others."""

from __future__ import annotations

import doctest
import io
import sys
import zipfile

import pytest

from workbench.agreements import commitments, lines, model, parse, parties, periods, tables
from workbench.agreements.parse import parse_agreement
from workbench.errors import WorkbenchError
from workbench.io import documents as documents_module
from workbench.io.documents import extract_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _p(text: str, style: str | None = None, numbered: bool = False) -> str:
    properties = ""
    if style or numbered:
        inner = f'<w:pStyle w:val="{style}"/>' if style else ""
        inner += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if numbered else ""
        properties = f"<w:pPr>{inner}</w:pPr>"
    runs = "".join(f'<w:r><w:t xml:space="preserve">{part}</w:t></w:r>'
                   for part in text.split("|"))
    return f"<w:p>{properties}{runs}</w:p>"


def _table(rows: list[list[str]]) -> str:
    body = "".join("<w:tr>" + "".join(f"<w:tc>{''.join(_p(t) for t in cell.split('¶'))}</w:tc>"
                                      for cell in row) + "</w:tr>" for row in rows)
    return f"<w:tbl>{body}</w:tbl>"


def _docx(body: str) -> bytes:
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def test_docx_paragraphs_headings_lists_and_table_cells():
    data = _docx(
        _p("Samverkansöverenskommelse mellan Uby kommun och polisen 2024–2025", style="Title")
        + _p("Trygga miljöer", style="Heading2")
        + _p("Uby kommun förbinder sig att:")
        + _p("Laga |belysning", numbered=True)
        + _p("Sanera klotter", style="Liststycke")
        + _table([["Orsak", "Åtgärd", "Ansvarig", "Uppföljning"],
                  ["Mörk gångväg", "Ny belysning¶och röjning", "Gatuenheten", "Vandring"],
                  ["", "Patrullering", "Polisen", ""]])
        + _p("Slut"))
    text = extract_text(data, "avtal.docx")
    assert "# Samverkansöverenskommelse mellan Uby kommun och polisen 2024–2025" in text
    assert "## Trygga miljöer" in text
    assert "- Laga belysning" in text and "- Sanera klotter" in text
    assert "Mörk gångväg\tNy belysning och röjning\tGatuenheten\tVandring" in text
    assert "\tPatrullering\tPolisen\t" in text
    parsed = parse_agreement(text)
    assert parsed.parties == ("Uby kommun", "Polisen")
    assert [(a.title, [c.text for c in a.commitments]) for a in parsed.focus_areas] == [
        ("Trygga miljöer", ["Laga belysning", "Sanera klotter"])]
    assert [(r.cause, r.action) for r in parsed.actions] == [
        ("Mörk gångväg", "Ny belysning och röjning"), ("Mörk gångväg", "Patrullering")]


@pytest.mark.parametrize("data", [
    b"PK\x03\x04 inte en riktig zip",
    b"",
    _docx("<w:p><w:r><w:t>trasig").replace(b"<w:sectPr/></w:body></w:document>", b""),
])
def test_corrupt_docx_raises_a_swedish_error_naming_the_file(data: bytes):
    with pytest.raises(WorkbenchError, match="'trasig.docx'.*Word-dokument"):
        extract_text(data, "trasig.docx")


def test_docx_without_document_xml():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    with pytest.raises(WorkbenchError, match="document.xml saknas"):
        extract_text(buffer.getvalue(), "tom.docx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_text_files_in_each_encoding(encoding: str):
    text = "Medborgarlöfte Åby 2024\n\nPolisen lovar att:\n- Öka närvaron på torget\n"
    assert extract_text(text.encode(encoding), "LÖFTE.TXT") == text
    assert extract_text(text.encode(encoding), "löfte.md") == text


def test_pdf_without_a_pdf_library_is_a_clear_swedish_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "pypdf", None)  # makes `import pypdf` fail
    with pytest.raises(WorkbenchError, match="'avtal.pdf' är en PDF.*\\.docx"):
        extract_text(b"%PDF-1.4", "avtal.pdf")


@pytest.mark.parametrize("name, message", [("gammal.doc", "gamla Word-formatet"),
                                           ("bild.png", "inte stöds"), ("utan_ändelse", "stöds")])
def test_other_file_types_are_refused(name: str, message: str):
    with pytest.raises(WorkbenchError, match=message):
        extract_text(b"data", name)


@pytest.mark.parametrize("module", [model, periods, parties, tables, lines, commitments, parse,
                                    documents_module])
def test_docstring_examples_run(module: object):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.failed == 0


def _pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with text in a standard font (WinAnsi, so å, ä, ö work)."""
    content = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines
    ) + " ET"
    stream = content.encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_text_pdf_is_read_and_parsed():
    from workbench.agreements.parse import parse_agreement

    data = _pdf(["Medborgarlöfte för Testkommun 2024", "", "Polisen lovar att:",
                 "- öka närvaron vid torget kvällstid", "Kommunen lovar att:",
                 "- förbättra belysningen i parken"])
    text = extract_text(data, "lofte.pdf")
    assert "Medborgarlöfte för Testkommun 2024" in text
    parsed = parse_agreement(text)
    assert parsed.kind == "citizen_promise"
    commitments = [c for f in parsed.focus_areas for c in f.commitments]
    assert [(c.party_kind, c.text) for c in commitments] == [
        ("polis", "öka närvaron vid torget kvällstid"), ("kommun", "förbättra belysningen i parken")]


def test_pdf_without_text_is_explained():
    with pytest.raises(WorkbenchError, match="ingen text"):
        extract_text(_pdf([]), "skannad.pdf")


def test_broken_pdf_is_one_clear_message():
    with pytest.raises(WorkbenchError, match="'trasig.pdf' kunde inte läsas som PDF"):
        extract_text(b"%PDF-1.4 trasig", "trasig.pdf")
