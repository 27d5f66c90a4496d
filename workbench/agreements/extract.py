"""Plain text from an uploaded agreement file (.txt, .md, .docx; .pdf when pypdf exists)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath
from xml.etree import ElementTree

from workbench.errors import WorkbenchError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "rubrik"}
_LIST_STYLE = re.compile(r"list|liststycke|punkt", re.IGNORECASE)
MAX_DOCUMENT_XML = 50_000_000
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


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


def docx_text(data: bytes, file_name: str) -> str:
    """The paragraphs and tables of a .docx (one line each; table cells separated by tabs)."""
    problem = f"Filen '{file_name}' kunde inte läsas som Word-dokument (.docx)"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCUMENT_XML:
                raise WorkbenchError(f"{problem}: dokumentet är för stort.")
            root = ElementTree.fromstring(archive.read(info))
    except WorkbenchError:
        raise
    except KeyError as error:
        raise WorkbenchError(f"{problem}: word/document.xml saknas i filen.") from error
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError, EOFError) as error:
        raise WorkbenchError(f"{problem}: filen är skadad eller inte en .docx ({error}).") from error
    body = root.find(f"{_W}body")
    if body is None:
        raise WorkbenchError(f"{problem}: dokumentet saknar innehåll (w:body).")
    return "\n".join(_block_lines(body)).strip("\n") + "\n"


def pdf_text(data: bytes, file_name: str) -> str:
    """The text of a PDF via pypdf; a clear Swedish error when pypdf is not installed."""
    try:
        import pypdf
    except ImportError as error:
        raise WorkbenchError(
            f"Filen '{file_name}' är en PDF, och PDF-filer kan inte läsas i den här installationen "
            "(PDF-stöd saknas). Spara dokumentet som Word (.docx) eller text (.txt) och försök igen."
        ) from error
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        raise WorkbenchError(f"Filen '{file_name}' kunde inte läsas som PDF: {error}") from error
    if not text.strip():
        raise WorkbenchError(
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
        return decode_text(data)
    if suffix == ".docx":
        return docx_text(data, file_name)
    if suffix == ".pdf":
        return pdf_text(data, file_name)
    if suffix == ".doc":
        raise WorkbenchError(
            f"Filen '{file_name}' är i det gamla Word-formatet (.doc). "
            "Spara den som .docx i Word och försök igen.")
    raise WorkbenchError(
        f"Filen '{file_name}' har en filtyp som inte stöds ({suffix or 'ingen filändelse'}). "
        "Använd .docx, .txt eller .md.")
