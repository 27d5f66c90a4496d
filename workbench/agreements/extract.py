"""Plain text from an uploaded agreement file (.txt, .md, .docx; .pdf when pypdf exists)."""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from pathlib import PurePath
from xml.etree import ElementTree
from xml.parsers import expat

from workbench.errors import ImportValidationError, WorkbenchError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "rubrik"}
_LIST_STYLE = re.compile(r"list|liststycke|punkt", re.IGNORECASE)
MAX_DOCUMENT_XML = 50_000_000
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
_BINARY_STARTS = (b"PK\x03\x04", b"%PDF-", b"MZ", b"\x7fELF", b"SQLite format 3\x00",
                  b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, and every password-protected .docx


def _is_binary(data: bytes) -> bool:
    """True for a program, archive, PDF or other binary data – not a text file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has zero bytes
        return False
    sample = data[:65536]
    return sample.startswith(_BINARY_STARTS) or b"\x00" in sample


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    >>> decode_text("Överenskommelse".encode("cp1252"))
    'Överenskommelse'
    >>> decode_text(b"\\xef\\xbb\\xbfSkara kommun")
    'Skara kommun'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _paragraph_line(paragraph: ElementTree.Element) -> str:
    text = _paragraph_text(paragraph)
    properties = paragraph.find(f"{_W}pPr")
    if properties is None or not text.strip():
        return text
    style = properties.find(f"{_W}pStyle")
    style_id = style.get(f"{_W}val", "") if style is not None else ""
    heading = _HEADING_STYLE.match(style_id)
    if heading:
        return "#" * max(1, min(6, int(heading.group(1)))) + " " + text.strip()
    if style_id.lower() in _TITLE_STYLES:
        return "# " + text.strip()
    if properties.find(f"{_W}numPr") is not None or _LIST_STYLE.search(style_id):
        return "- " + text.strip()
    return text


def _cell_text(cell: ElementTree.Element) -> str:
    texts = [_paragraph_text(p) for p in cell.iter(f"{_W}p")]
    return " ".join(" ".join(text.split()) for text in texts if text.strip())


def _block_lines(parent: ElementTree.Element) -> list[str]:
    lines: list[str] = []
    for child in parent:
        if child.tag == f"{_W}p":
            lines.append(_paragraph_line(child))
        elif child.tag == f"{_W}tbl":
            lines.append("")
            for row in child.iter(f"{_W}tr"):
                cells = [_cell_text(cell) for cell in row.findall(f"{_W}tc")]
                if any(cells):
                    lines.append("\t".join(cells))
            lines.append("")
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            lines.extend(_block_lines(child))
    return lines


class _Declaration(Exception):
    """The XML declares a document type or entities."""


class _RootReached(Exception):
    """The first element starts: no declaration can follow."""


def _refuse_declarations(xml: bytes) -> None:
    """Raise _Declaration when the XML has a DOCTYPE or entity declarations (billion laughs,
    external entities). Word never writes one; only the prolog is parsed, so this is cheap."""
    parser = expat.ParserCreate()

    def declaration(*_args: object) -> None:
        raise _Declaration

    def root(*_args: object) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = declaration
    parser.EntityDeclHandler = declaration
    parser.StartElementHandler = root
    try:
        parser.Parse(xml, True)
    except _RootReached:
        return


def docx_text(data: bytes, file_name: str) -> str:
    """The paragraphs and tables of a .docx (one line each; table cells separated by tabs).

    A document.xml with a DOCTYPE or entity declarations is refused before it is parsed, so no
    entity is ever expanded (billion laughs) or fetched (external entities)."""
    problem = f"Filen '{file_name}' kunde inte läsas som Word-dokument (.docx)"
    if not data:
        raise ImportValidationError(f"{problem}: filen är tom.")
    if data.startswith(_OLE):
        raise ImportValidationError(
            f"{problem}: filen är lösenordsskyddad eller i det gamla Word-formatet – spara den som "
            ".docx utan lösenord och försök igen.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCUMENT_XML:
                raise ImportValidationError(f"{problem}: dokumentet är för stort.")
            if info.flag_bits & 0x1:
                raise ImportValidationError(f"{problem}: dokumentet är lösenordsskyddat.")
            xml = archive.read(info)  # never more than the declared size (else a CRC error)
        _refuse_declarations(xml)
        root = ElementTree.fromstring(xml)
    except WorkbenchError:
        raise
    except _Declaration as error:
        raise ImportValidationError(
            f"{problem}: dokumentet innehåller XML-deklarationer (DOCTYPE/ENTITY) som Word aldrig "
            "skriver och läses inte.") from error
    except KeyError as error:
        raise ImportValidationError(f"{problem}: word/document.xml saknas i filen.") from error
    except (zipfile.BadZipFile, ElementTree.ParseError, expat.ExpatError, OSError, ValueError,
            EOFError, zlib.error, NotImplementedError, RuntimeError) as error:
        detail = (str(error).splitlines() or [type(error).__name__])[0][:200]
        raise ImportValidationError(
            f"{problem}: filen är skadad eller inte en .docx ({detail}).") from error
    body = root.find(f"{_W}body")
    if body is None:
        raise ImportValidationError(f"{problem}: dokumentet saknar innehåll (w:body).")
    return "\n".join(_block_lines(body)).strip("\n") + "\n"


def pdf_text(data: bytes, file_name: str) -> str:
    """The text of a PDF via pypdf; a clear Swedish error when pypdf is not installed."""
    try:
        import pypdf
    except ImportError as error:
        raise ImportValidationError(
            f"Filen '{file_name}' är en PDF, och PDF-filer kan inte läsas i den här installationen "
            "(PDF-stöd saknas). Spara dokumentet som Word (.docx) eller text (.txt) och försök igen."
        ) from error
    # pypdf logs a warning for each flaw of a broken file; the error below says it in one sentence
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data:
        raise ImportValidationError(f"Filen '{file_name}' kunde inte läsas som PDF: filen är tom.")
    if b"%PDF-" not in data[:1024]:
        raise ImportValidationError(
            f"Filen '{file_name}' kunde inte läsas som PDF: innehållet är inte en PDF – kontrollera "
            "att det är rätt fil.")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # "" opens PDFs locked only for editing
            raise ImportValidationError(
                f"Filen '{file_name}' är lösenordsskyddad (krypterad) och kan inte läsas. Spara den "
                "utan lösenord, eller som Word (.docx) eller text (.txt), och försök igen.")
        if len(reader.pages) == 0:
            raise ImportValidationError(f"Filen '{file_name}' är en PDF utan sidor.")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except WorkbenchError:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        detail = (str(error).splitlines() or [type(error).__name__])[0][:200]
        raise ImportValidationError(f"Filen '{file_name}' kunde inte läsas som PDF: {detail}") from error
    if not text.strip():
        raise ImportValidationError(
            f"Filen '{file_name}' innehåller ingen text (troligen en inskannad bild). Använd en "
            "textbaserad PDF, Word (.docx) eller text (.txt)."
        )
    return text


def extract_text(data: bytes, file_name: str) -> str:
    """The text of an agreement file, chosen by the file name's suffix.

    >>> extract_text("Samverkansöverenskommelse 2022–2024".encode(), "mark.txt")
    'Samverkansöverenskommelse 2022–2024'
    """
    suffix = PurePath(file_name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        if not data.strip():
            raise ImportValidationError(f"Filen '{file_name}' är tom.")
        if _is_binary(data):
            raise ImportValidationError(
                f"Filen '{file_name}' är inte en textfil (innehållet är binärt, t.ex. ett program, "
                "en PDF eller ett Word-dokument) – kontrollera att det är rätt fil.")
        return decode_text(data)
    if suffix == ".docx":
        return docx_text(data, file_name)
    if suffix == ".pdf":
        return pdf_text(data, file_name)
    if suffix == ".doc":
        raise ImportValidationError(
            f"Filen '{file_name}' är i det gamla Word-formatet (.doc). "
            "Spara den som .docx i Word och försök igen.")
    raise ImportValidationError(
        f"Filen '{file_name}' har en filtyp som inte stöds ({suffix or 'ingen filändelse'}). "
        "Använd .docx, .txt eller .md.")
