"""Checks on an uploaded file before any reader sees it, and safe unpacking of zip uploads.

``check_upload`` refuses a file that is too large, empty, of a type not allowed for the upload,
or whose content is not what its name says (an executable renamed to .csv, a PDF called .docx,
binary garbage called .geojson). ``read_upload`` does the size check on a path with ``stat``
before reading it. ``SafeZip`` opens a zip upload (a zipped Shapefile) and refuses zip bombs,
paths that leave the folder, symbolic links, nested archives, encrypted members and too many
members; it counts the bytes actually unpacked, not only the sizes the archive declares.
Every refusal is an ``ImportValidationError`` with one Swedish sentence that names the file.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from workbench.config import Settings
from workbench.errors import ImportValidationError

MB = 1024 * 1024
MAX_ZIP_BYTES = 500 * MB  # unpacked, all members together (read at call time: tests lower it)
MAX_ZIP_MEMBERS = 256  # a zipped Shapefile has 3–8 files; a folder of a dozen layers fits
_MAX_CENTRAL_ENTRY = 4096  # bytes per member in the zip's table of contents, generous

# What each kind of upload may be (the CLI's `import WHAT`, the app's uploaders).
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")  # .xlsm: read as data, macros never run
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")  # what is unpacked of a zipped Shapefile
LAYER_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
ALLOWED_SUFFIXES: dict[str, tuple[str, ...]] = {
    "incidents": (*TABLE_SUFFIXES, ".json"),
    "fault-reports": (*TABLE_SUFFIXES, ".json"),
    "housing-reports": TABLE_SUFFIXES,
    "area-indicators": TABLE_SUFFIXES,
    "walks": (*LAYER_SUFFIXES, *TABLE_SUFFIXES),
    "walk-table": TABLE_SUFFIXES,  # `import walks … --walks FILE`
    "areas": LAYER_SUFFIXES,
    "places": LAYER_SUFFIXES,
    "agreement": (".txt", ".md", ".markdown", ".text", ".docx", ".pdf"),
    "plan": (*LAYER_SUFFIXES, ".dxf"),  # `report planning --area FILE`
}

# Content kinds (first bytes) → what a person calls them.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "zip", "en zip-fil (t.ex. XLSX, DOCX eller zippad Shapefile)"),
    (b"PK\x05\x06", "zip", "en tom zip-fil"),
    (b"PK\x07\x08", "zip", "en zip-fil"),
    (b"%PDF-", "pdf", "en PDF"),
    (b"SQLite format 3\x00", "sqlite", "en SQLite-databas (t.ex. GeoPackage)"),
    (b"\x7fELF", "program", "ett program (ELF)"),
    (b"\xca\xfe\xba\xbe", "program", "ett program (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "program", "ett program (Mach-O)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole",
     "ett Office-dokument i det gamla formatet (.xls/.doc) eller ett lösenordsskyddat Office-dokument"),
    (b"\x1f\x8b", "archive", "en gzip-komprimerad fil"),
    (b"7z\xbc\xaf\x27\x1c", "archive", "ett 7-Zip-arkiv"),
    (b"Rar!\x1a\x07", "archive", "ett RAR-arkiv"),
    (b"\x89PNG\r\n\x1a\n", "image", "en PNG-bild"),
    (b"\xff\xd8\xff", "image", "en JPEG-bild"),
    (b"GIF8", "image", "en GIF-bild"),
    (b"AutoCAD Binary DXF\r\n\x1a\x00", "dxf-binary", "en binär DXF-ritning"),
)
_EXPECTED: dict[str, tuple[tuple[str, ...], str]] = {
    ".csv": (("text",), "en CSV-fil (text)"), ".tsv": (("text",), "en tabbseparerad textfil"),
    ".txt": (("text",), "en textfil"), ".text": (("text",), "en textfil"),
    ".md": (("text",), "en Markdown-fil (text)"), ".markdown": (("text",), "en Markdown-fil (text)"),
    ".json": (("text",), "JSON (text)"), ".geojson": (("text",), "GeoJSON (text)"),
    ".dxf": (("text", "dxf-binary"), "en DXF-ritning"),
    ".xlsx": (("zip",), "en Excel-fil (.xlsx)"), ".xlsm": (("zip",), "en Excel-fil (.xlsm)"),
    ".docx": (("zip",), "ett Word-dokument (.docx)"), ".zip": (("zip",), "en zip-fil"),
    ".pdf": (("pdf",), "en PDF"), ".gpkg": (("sqlite",), "en GeoPackage"),
}
_SAMPLE = 64 * 1024
# Bytes that occur in text: printable ASCII, tab, LF, FF, CR, ESC, DOS end-of-file, and 0x80–0xFF.
_TEXT_BYTES = bytes({7, 8, 9, 10, 12, 13, 27, 26} | set(range(0x20, 0x7F)) | set(range(0x80, 0x100)))
_NESTED_ARCHIVES = (".zip", ".7z", ".rar", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".kmz", ".jar")


def max_upload_bytes(settings: Settings | None = None) -> int:
    """WORKBENCH_MAX_UPLOAD_MB in bytes."""
    return (settings or Settings.load()).max_upload_mb * MB


def _mb(size: float) -> str:
    """1572864 → '1,5 MB', 209715200 → '200 MB', 2048 → '2 kB'."""
    if size < MB // 10:
        return f"{size / 1024:.0f} kB"
    return f"{size / MB:.0f} MB" if size % MB == 0 else f"{size / MB:.1f}".replace(".", ",") + " MB"


def _too_large(size: int, file_name: str, max_bytes: int) -> ImportValidationError:
    return ImportValidationError(
        f"{file_name}: filen är {_mb(size)} – största tillåtna storlek är {_mb(max_bytes)} "
        "(WORKBENCH_MAX_UPLOAD_MB).")


def sniff(data: bytes) -> tuple[str, str]:
    """(kind, Swedish description) of ``data`` from its first bytes.

    Kinds: zip, pdf, sqlite, program, ole, archive, image, dxf-binary, text, binary.

    >>> sniff(b"Brottstyp;Datum\\r\\nSkadeg\\xf6relse;2026-01-02\\r\\n")[0], sniff(b"MZ\\x90\\x00\\x03")[0]
    ('text', 'program')
    """
    for magic, kind, label in _MAGIC:
        if data.startswith(magic):
            return kind, label
    sample = data[:_SAMPLE]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with byte order mark
        text = sample[2:len(sample) - len(sample) % 2].decode(
            "utf-16-le" if sample.startswith(b"\xff\xfe") else "utf-16-be", errors="replace")
        controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
        return ("text", "text") if controls * 100 <= len(text) else ("binary", "binär data (inte text)")
    if sample.startswith(b"MZ") and b"\x00" in sample[:512]:
        return "program", "ett Windows-program (.exe/.dll)"
    if b"\x00" in sample or len(sample.translate(None, _TEXT_BYTES)) * 100 > len(sample):
        return "binary", "binär data (inte text)"
    return "text", "text"


def check_content(data: bytes, file_name: str) -> None:
    """Refuse ``data`` when it is not what the suffix of ``file_name`` says (unknown suffixes pass)."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in _EXPECTED or not data:
        return
    kinds, expected = _EXPECTED[suffix]
    kind, found = sniff(data)
    if kind in kinds or (suffix == ".pdf" and b"%PDF-" in data[:1024]):  # readers allow a preamble
        return
    if kind == "ole" and suffix in (".xlsx", ".xlsm", ".docx"):
        raise ImportValidationError(
            f"{file_name}: filen är lösenordsskyddad eller sparad i det gamla Office-formatet – "
            f"spara den som {suffix} utan lösenord och försök igen.")
    raise ImportValidationError(
        f"{file_name}: filen ska vara {expected} men innehållet är {found} – kontrollera att det "
        "är rätt fil.")


def _normalised(allowed: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(allowed, str):
        allowed = ALLOWED_SUFFIXES.get(allowed, (allowed,))
    return tuple(dict.fromkeys("." + s.lower().lstrip(".") for s in allowed))


def check_upload(data: bytes, file_name: str, *, max_bytes: int,
                 allowed: Iterable[str] | str | None) -> None:
    """Refuse an upload that is too large, empty, of a type not in ``allowed`` or not what it says.

    ``allowed`` is a list of suffixes (``[".csv", "xlsx"]``), an upload kind of
    ``ALLOWED_SUFFIXES`` (``"incidents"``, ``"areas"``, ``"agreement"``, ``"plan"`` …), or None
    (any suffix; the content must still match it).

    >>> check_upload(b"MZ\\x90\\x00\\x03\\x00", "export.csv", max_bytes=MB, allowed="incidents")
    Traceback (most recent call last):
    ...
    workbench.errors.ImportValidationError: export.csv: filen ska vara en CSV-fil (text) men innehållet är ett Windows-program (.exe/.dll) – kontrollera att det är rätt fil.
    """
    if len(data) > max_bytes:
        raise _too_large(len(data), file_name, max_bytes)
    if not data:
        raise ImportValidationError(f"{file_name}: filen är tom.")
    suffixes = _normalised(allowed) if allowed is not None else None
    suffix = Path(file_name).suffix.lower()
    if suffixes is not None and suffix not in suffixes:
        raise ImportValidationError(
            f"{file_name}: filtypen {suffix or '(ingen filändelse)'} stöds inte här – använd "
            f"{', '.join(suffixes)}.")
    check_content(data, file_name)


def check_path(path: str | Path, *, max_bytes: int) -> int:
    """The size of the file at ``path`` (from ``stat``, nothing read); refused when too large,
    missing, a folder or not a regular file (a device or a pipe could be endless)."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise ImportValidationError(f"Filen {path} finns inte.") from exc
    except OSError as exc:
        raise ImportValidationError(f"Filen {path} kan inte läsas: {exc.strerror}.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ImportValidationError(f"{path} är en mapp, inte en fil.")
    if not stat.S_ISREG(info.st_mode):
        raise ImportValidationError(f"{path} är ingen vanlig fil (t.ex. en enhet eller en pipe).")
    if info.st_size > max_bytes:
        raise _too_large(info.st_size, path.name, max_bytes)
    return info.st_size


def read_upload(path: str | Path, *, max_bytes: int) -> bytes:
    """The bytes of the file at ``path``, checked with ``check_path`` before reading and never
    more than ``max_bytes`` read (a file that grows meanwhile is refused too)."""
    path = Path(path)
    check_path(path, max_bytes=max_bytes)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except IsADirectoryError as exc:
        raise ImportValidationError(f"{path} är en mapp, inte en fil.") from exc
    except OSError as exc:
        raise ImportValidationError(f"Filen {path} kan inte läsas: {exc.strerror}.") from exc
    if len(data) > max_bytes:
        raise _too_large(len(data), path.name, max_bytes)
    return data


# --- zip uploads --------------------------------------------------------------------------------


def _directory_size(data: bytes) -> tuple[int, int] | None:
    """(members, bytes) of a zip's table of contents as its end record declares them."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end < 0 or len(data) < end + 22:
        return None
    entries = int.from_bytes(data[end + 10:end + 12], "little")
    size = int.from_bytes(data[end + 12:end + 16], "little")
    locator = end - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":
        record = int.from_bytes(data[locator + 8:locator + 16], "little")
        if data[record:record + 4] == b"PK\x06\x06":
            entries = int.from_bytes(data[record + 32:record + 40], "little")
            size = int.from_bytes(data[record + 40:record + 48], "little")
    return entries, size


def _bad_path(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return (path.is_absolute() or ".." in path.parts or bool(re.match(r"[A-Za-z]:", name))
            or "\x00" in name)


class SafeZip:
    """A zip upload opened with limits; use as a context manager.

    On opening, the archive is refused when it has more than ``max_members`` members, declares
    more than ``max_unpacked`` bytes unpacked, or has a member that is encrypted, a symbolic
    link, a path outside the folder (``../x.shp``, ``/x.shp``, ``C:x.shp``) or another archive.
    ``extract`` counts the bytes really unpacked against ``max_unpacked`` (sizes in a zip's
    headers can lie) and turns corrupt data into the same kind of error.
    """

    def __init__(self, data: bytes, file_name: str, *, max_unpacked: int | None = None,
                 max_members: int | None = None) -> None:
        self.file_name = file_name
        self.max_unpacked = MAX_ZIP_BYTES if max_unpacked is None else max_unpacked
        self.max_members = MAX_ZIP_MEMBERS if max_members is None else max_members
        self.left = self.max_unpacked
        declared = _directory_size(data)
        if declared is not None and (declared[0] > self.max_members
                                     or declared[1] > self.max_members * _MAX_CENTRAL_ENTRY):
            raise self._too_many()
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            raise ImportValidationError(f"{file_name}: filen är ingen giltig zip-fil.") from exc
        try:
            self.members = self._check(self.archive.infolist())
        except BaseException:
            self.archive.close()
            raise

    def _too_many(self) -> ImportValidationError:
        return ImportValidationError(
            f"{self.file_name}: zip-filen innehåller fler än {self.max_members} filer – zippa bara "
            "Shapefilens delar (.shp, .shx, .dbf, .prj).")

    def _bomb(self) -> ImportValidationError:
        return ImportValidationError(
            f"{self.file_name}: zip-filen packas upp till mer än {_mb(self.max_unpacked)} och "
            "används inte (en så stor Shapefile är ovanlig – kontrollera filen).")

    def _check(self, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
        if len(infos) > self.max_members:
            raise self._too_many()
        if sum(i.file_size for i in infos) > self.max_unpacked:
            raise self._bomb()
        for info in infos:
            if _bad_path(info.filename):
                raise ImportValidationError(
                    f"{self.file_name}: zip-filen innehåller otillåtna sökvägar ('{info.filename[:80]}').")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ImportValidationError(
                    f"{self.file_name}: zip-filen innehåller en symbolisk länk ('{info.filename[:80]}') "
                    "och används inte.")
            if info.flag_bits & 0x1:
                raise ImportValidationError(
                    f"{self.file_name}: zip-filen är lösenordsskyddad – zippa filerna utan lösenord.")
            if not info.is_dir() and info.filename.lower().endswith(_NESTED_ARCHIVES):
                raise ImportValidationError(
                    f"{self.file_name}: zip-filen innehåller en annan packad fil ('{info.filename[:80]}') "
                    "– packa upp den och zippa bara Shapefilens delar.")
        return [i for i in infos if not i.is_dir()  # macOS adds __MACOSX/._x.shp resource forks
                and "__MACOSX" not in i.filename and not PurePosixPath(i.filename).name.startswith("._")]

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.archive.close()

    def extract(self, info: zipfile.ZipInfo, target: Path) -> None:
        """One member to ``target`` (a path the caller chose, never the member's own name)."""
        try:
            with self.archive.open(info) as source, target.open("wb") as sink:
                while chunk := source.read(MB):
                    self.left -= len(chunk)
                    if self.left < 0:
                        raise self._bomb()
                    sink.write(chunk)
        except ImportValidationError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise ImportValidationError(
                f"{self.file_name}: zip-filen är skadad ('{info.filename[:80]}' kan inte packas upp).") from exc

    def extract_shapefiles(self, folder: Path, stem: str = "layer", *,
                           first_only: bool = False) -> list[tuple[str, Path]]:
        """Every Shapefile in the zip, each with its parts (.shp, .shx, .dbf, .prj, .cpg,
        matched case-insensitively) unpacked to its own subfolder of ``folder`` as
        ``<stem>.<ext>``: (its name in the zip, the path of its .shp), in the zip's order."""
        shps = [i for i in self.members if i.filename.lower().endswith(".shp")]
        if not shps:
            raise ImportValidationError(f"{self.file_name}: zip-filen innehåller ingen .shp-fil.")
        found = []
        shps = shps[:1] if first_only else shps
        for n, shp in enumerate(shps):
            base = shp.filename[:-4].lower()
            target = folder / str(n)
            target.mkdir()
            for info in self.members:
                name, _, ext = info.filename.rpartition(".")
                if name.lower() == base and f".{ext.lower()}" in SHAPEFILE_PARTS:
                    self.extract(info, target / f"{stem}.{ext.lower()}")
            found.append((PurePosixPath(shp.filename).stem, target / f"{stem}.shp"))
        return found


def check_zip_container(data: bytes, file_name: str, *, max_unpacked: int | None = None,
                        max_members: int = 10_000) -> None:
    """For XLSX read by a zipfile-based library (openpyxl): refuse too many members or too many
    bytes declared unpacked. Python's zipfile never returns more than a member's declared size (a
    lying header ends in a CRC error), so the declared total bounds what such a reader unpacks.
    A file that is no zip at all passes: the reader says what is wrong with it."""
    limit = MAX_ZIP_BYTES if max_unpacked is None else max_unpacked
    declared = _directory_size(data)
    if declared is not None and (declared[0] > max_members
                                 or declared[1] > max_members * _MAX_CENTRAL_ENTRY):
        raise ImportValidationError(f"{file_name}: filen består av för många delar ({declared[0]}).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        return
    if len(infos) > max_members:
        raise ImportValidationError(f"{file_name}: filen består av för många delar ({len(infos)}).")
    if sum(i.file_size for i in infos) > limit:
        raise ImportValidationError(
            f"{file_name}: filen packas upp till mer än {_mb(limit)} och används inte.")
