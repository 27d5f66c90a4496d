"""Split agreement text into classified lines: blank, rule, heading, bullet, plain, table, noise.

Page noise from web pages and PDF transcripts (navigation words, photo captions, publication
notes, page numbers, repeated page headers, tables of contents, bare links and file names) is
classified as ``noise`` so that it never becomes a title, a focus area or a commitment; a word
hyphenated over a line break is joined (the joined line covers both source lines).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

BLANK, RULE, HEADING, BULLET, PLAIN, TABLE, NOISE = (
    "blank", "rule", "heading", "bullet", "plain", "table", "noise")

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-•*–·▪●◦‣➢►]|\(?\d{1,2}[.)]|[a-z]\))\s+(\S.*)$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*(:?)\s*$")
_BOLD_START = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*(?:[–—:-]\s*|$)")
_TAG = re.compile(r"<[^<>]{0,200}>")
_MARKUP = re.compile(r"\*\*|__")
_NAVIGATION = re.compile(
    r"^(?:sök|sök på webbplatsen|stäng(?:\s+meny)?|meny|öppna meny|till toppen|tillbaka|"
    r"hoppa till (?:huvud)?innehåll(?:et)?|gå till (?:huvud)?innehåll(?:et)?|skriv ut|"
    r"dela(?: sidan| på \w+)?|lyssna|läs upp|tipsa(?: om sidan)?|logga in|startsida|english|"
    r"in english|innehåll på denna sida|på denna sida|relaterade länkar|relaterat|"
    r"hjälpmedel:?.*|senast (?:uppdaterad|granskad|ändrad).*|(?:sidan )?(?:uppdaterad|"
    r"publicerad)\s*:?\s*\d.*|artikeln (?:publicerades|uppdaterades).*|"
    r"(?:på bilden|i bild|bilden|bildtext|foto|fotograf|bild)\s*(?:från vänster)?\s*:.*|"
    r".{0,60}\blogotyp(?:e)?|hitta på sidan|annat innehåll.{0,60}|sidans innehåll.{0,40}|"
    r"kontaktuppgifter för (?:denna|den här) (?:under)?sida|hade du nytta av.{0,60}|"
    r"hjälpte informationen.{0,40}|tack för (?:att du hjälper oss|din återkoppling)!?|sidfot|"
    r"created with sketch.*|(?:till|gå till) startsidan|lyssna på sidan|skriv ut sidan)$",
    re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?(?:sid(?:a|an)?\.?\s*)?\d{1,3}(?:\s*(?:av|/)\s*\d{1,3})?"
                          r"(?:\s*[-–])?\s*$", re.IGNORECASE)
_TOC_ENTRY = re.compile(r"(?:\t|\.{3,}|…|\s\.\s\.\s\.)\s*\d{1,3}\s*$")
_RUN_ON_SECTIONS = re.compile(r"(?:^|\s)\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖ][\wåäö-]+")
_LINK = re.compile(r"^(?:<?https?://|www\.)\S+>?$|^\S+\.(?:pdf|docx?|xlsx?|pptx?)"
                   r"(?:\s*\([^()]*\))?$|^[^.!?:]{0,80}\.(?:pdf|docx?|xlsx?)\s*(?:\([^()]*\))?$",
                   re.IGNORECASE)
_HYPHEN_END = re.compile(r"[a-zåäöé]-$")
_NOT_JOINED = re.compile(r"^(?:och|eller|samt|till|som)\b")


def clean(text: str) -> str:
    """Text without Markdown emphasis or HTML tags, on one line with single spaces.

    >>> clean("### **Marks kommun förbinder sig att:**  ")
    '### Marks kommun förbinder sig att:'
    """
    return " ".join(_MARKUP.sub("", _TAG.sub("", text)).split())


@dataclass(frozen=True)
class Line:
    """One line of the document: its kind, cleaned text, heading level, whether it was bold, the
    bold words a list item opens with ("- **Våld i nära relation** – …"), and the last source line
    it covers (``last`` > ``index`` when a hyphenated word was joined over a line break)."""

    index: int
    raw: str
    kind: str
    text: str
    level: int = 0
    bold: bool = False
    bold_lead: str = ""
    last: int = -1

    @property
    def end(self) -> int:
        return max(self.index, self.last)


def normalise_newlines(text: str) -> str:
    """Unix newlines, no BOM, no-break spaces as spaces, no other control characters."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch >= " ")


def is_noise(text: str) -> bool:
    """True for page furniture that is no part of the agreement's content.

    >>> [is_noise(t) for t in ("Sök", "Stäng Meny", "På bilden från vänster: Anna, Bo", "12",
    ...  "Sida 3 av 10", "Innehåll ........ 4", "Uppföljning T1_2020.pdf", "Trygg i Ale")]
    [True, True, True, True, True, True, True, False]
    """
    text = text.strip()
    if not text:
        return False
    if _NAVIGATION.match(text) or _PAGE_NUMBER.match(text) or _LINK.match(text):
        return True
    if _TOC_ENTRY.search(text) and len(text) <= 150:
        return True
    return len(_RUN_ON_SECTIONS.findall(text)) >= 3 and len(text) <= 200 and not text.endswith(".")


def _repeated(raws: list[str]) -> set[str]:
    """Page headers and footers of a transcript: short lines that recur three times or more and
    either repeat the document's first lines or stand next to a page number (a heading such as
    "Polisen lovar att:" may well recur in every section and stays)."""
    keys = [" ".join(raw.split()) for raw in raws]
    counts = Counter(key for key, raw in zip(keys, raws, strict=True) if 0 < len(key) <= 80
                     and not key.endswith(":") and not _BULLET.match(raw)
                     and not _HEADING.match(raw))
    frequent = {key for key, count in counts.items() if count >= 3}
    if not frequent:
        return set()
    opening = [key for key in keys if key][:2]
    near_number: set[str] = set()
    for index, key in enumerate(keys):
        if key and _PAGE_NUMBER.match(key):
            near_number.update(keys[max(0, index - 3):index + 4])
    return {key for key in frequent if key in opening or key in near_number}


def classify(text: str, table_rows: frozenset[int] = frozenset()) -> list[Line]:
    """One Line per line of ``text``; indices in ``table_rows`` are marked as table lines.

    >>> [(line.kind, line.text) for line in classify("## Skapa trygga miljöer\\n\\n• Klotter")]
    [('heading', 'Skapa trygga miljöer'), ('blank', ''), ('bullet', 'Klotter')]
    >>> [(line.kind, line.text) for line in classify("Sök\\nförebygg-\\nande arbete")]
    [('noise', 'Sök'), ('plain', 'förebyggande arbete'), ('noise', '')]
    """
    raws = text.split("\n")
    repeated = _repeated(raws)
    lines: list[Line] = []
    joined: set[int] = set()
    for index, raw in enumerate(raws):
        if index in joined:
            lines.append(Line(index, raw, NOISE, ""))
            continue
        if index in table_rows:
            lines.append(Line(index, raw, TABLE, clean(raw)))
            continue
        if not raw.strip():
            lines.append(Line(index, raw, BLANK, ""))
            continue
        if _RULE.match(raw):
            lines.append(Line(index, raw, RULE, ""))
            continue
        if is_noise(clean(raw)) or " ".join(raw.split()) in repeated:
            lines.append(Line(index, raw, NOISE, clean(raw)))
            continue
        parts, last = [raw.rstrip()], index
        while (_HYPHEN_END.search(parts[-1]) and last + 1 < len(raws)
               and last + 1 not in table_rows and raws[last + 1].strip()[:1].islower()
               and not _NOT_JOINED.match(raws[last + 1].strip())):
            last += 1
            parts[-1] = parts[-1][:-1]
            parts.append(raws[last].strip())
        joined.update(range(index + 1, last + 1))
        raw_text = "".join(parts)
        heading = _HEADING.match(raw_text)
        if heading:
            lines.append(Line(index, raw, HEADING, clean(heading.group(2)),
                              level=len(heading.group(1)), last=last))
            continue
        bold = _BOLD_LINE.match(raw_text.strip())
        if bold:
            lines.append(Line(index, raw, PLAIN, clean(bold.group(1)) + bold.group(2), bold=True,
                              last=last))
            continue
        bullet = _BULLET.match(raw_text)
        if bullet:
            lead = _BOLD_START.match(bullet.group(2).strip())
            lines.append(Line(index, raw, BULLET, clean(bullet.group(2)), last=last,
                              bold_lead=clean(lead.group(1)).rstrip(" .:") if lead else ""))
            continue
        lines.append(Line(index, raw, PLAIN, clean(raw_text), last=last))
    return lines
