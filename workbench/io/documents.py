"""Plain text from an uploaded agreement or medborgarlöfte file (.txt, .md, .docx; .pdf when pypdf
exists), for the agreement parser (workbench/agreements). File reading lives here, beside the other
readers: the content is checked against its suffix with the upload checks' magic-byte table
(`uploads.sniff`), text is decoded like every imported text file (`importers.read.decode`: UTF-16,
UTF-8, Windows-1252 line by line), the .docx container with the zip limits of `uploads`, and its
XML parsed with defusedxml (no DTD, so no entity is ever expanded or fetched)."""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from pathlib import PurePath
from xml.etree import ElementTree
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from workbench.errors import ImportValidationError, WorkbenchError
from workbench.io.importers.read import decode
from workbench.io.uploads import check_zip_container, sniff

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "rubrik"}
_LIST_STYLE = re.compile(r"list|liststycke|punkt", re.IGNORECASE)
MAX_DOCUMENT_XML = 50_000_000
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
DOCX_MEMBERS = 2_000  # a Word document has a few dozen parts; more is not a document


def decode_text(data: bytes, file_name: str = "filen") -> str:
    """Bytes of a text file as str, decoded as every imported text file is.

    >>> decode_text("Överenskommelse".encode("cp1252"))
    'Överenskommelse'
    >>> decode_text(b"\\xef\\xbb\\xbfSkara kommun")
    'Skara kommun'
    """
    return decode(data, file_name)[0]


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


def docx_text(data: bytes, file_name: str) -> str:
    """The paragraphs and tables of a .docx (one line each; table cells separated by tabs).

    The XML is parsed with defusedxml refusing any DOCTYPE: no entity is ever declared, so none is
    expanded (billion laughs) or fetched (external entities). Word never writes one."""
    problem = f"Filen '{file_name}' kunde inte läsas som Word-dokument (.docx)"
    if not data:
        raise ImportValidationError(f"{problem}: filen är tom.")
    if sniff(data)[0] == "ole":
        raise ImportValidationError(
            f"{problem}: filen är lösenordsskyddad eller i det gamla Word-formatet – spara den som "
            ".docx utan lösenord och försök igen.")
    check_zip_container(data, file_name, max_members=DOCX_MEMBERS)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCUMENT_XML:
                raise ImportValidationError(f"{problem}: dokumentet är för stort.")
            if info.flag_bits & 0x1:
                raise ImportValidationError(f"{problem}: dokumentet är lösenordsskyddat.")
            xml = archive.read(info)  # never more than the declared size (else a CRC error)
        root = SafeElementTree.fromstring(xml, forbid_dtd=True)
    except WorkbenchError:
        raise
    except DefusedXmlException as error:
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
        kind, found = sniff(data)
        if kind != "text":
            raise ImportValidationError(
                f"Filen '{file_name}' är inte en textfil (innehållet är {found}) – kontrollera att "
                "det är rätt fil.")
        return decode_text(data, f"Filen '{file_name}'")
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
