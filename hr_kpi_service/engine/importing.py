r"""Spreadsheet reading and row validation for imports (pure Python, no Odoo).

Recorded facts (incidents, survey cards, activity records, SLA records...) can
be imported from a spreadsheet.  This module turns the uploaded bytes into
validated Python values; the ORM layer then resolves business keys (employee,
indicator, period) and writes the records.  It follows ``BaseModel.load``:
every row is checked, *every* problem is collected with its row number and
column, and nothing is returned unless the whole file is valid.

Two steps
---------
:func:`read_table`
    Reads ``.xlsx`` (openpyxl), ``.xls`` (xlrd) or ``.csv`` bytes into a
    :class:`Table`: the header labels and the non-blank data rows, each with
    its row number as the user sees it in the file (the header is row 1 in a
    normal file).  Problems with the file itself (too large, unknown type,
    unreadable, empty) raise :class:`ImportFailed` at once.
:func:`parse_rows`
    Matches the headers against :class:`Column` specs and converts every cell
    to its kind, collecting an :class:`ImportIssue` for each problem, then
    raises :class:`ImportFailed` with all of them, or returns one dict per row.

Cell values in a :class:`Table`
-------------------------------
``None`` (empty), ``str``, ``int``/``float``, ``bool``, ``datetime.datetime``
/ ``date`` / ``time``, :class:`CellError` for spreadsheet error values such as
``#DIV/0!``, or :class:`FormulaCell` for a formula.  Cells are kept as the
file holds them; :func:`parse_rows` does every conversion, so a number typed as
text and a real number cell are judged by the same rules.  An error value or a
formula in a column that is read is refused, naming the cell (``B7``): a
formula's saved result may be stale or missing, so the value must be typed.
A ``.xlsx`` keeps the formula's text, which the message quotes; a ``.xls``
keeps it compiled, and xlrd only reads its saved result, so the formula cells
are found in the sheet's BIFF records (:func:`_xls_formula_cells`) and the
message names the cell alone.

Limits
------
A file is refused at once, with a message that names the limit, when it is
larger than ``max_bytes`` (the company setting), when a ``.xlsx`` holds more
than :data:`MAX_UNCOMPRESSED_MB` once uncompressed (the zip's member sizes,
read before anything is decompressed), or when its sheet declares (the
``<dimension>`` of a ``.xlsx``, the size of a ``.xls`` sheet) more than
:data:`MAX_ROWS` rows, :data:`MAX_COLUMNS` columns or :data:`MAX_CELLS`
cells.  Rows are then streamed (``.xlsx`` row by row from the zip, ``.csv``
record by record) and reading stops at the first row, column or cell beyond
the limits, so a sheet whose declared size lies costs no more than a sheet at
the limits.

Messages are English with named ``%(name)s`` placeholders, marked with
``_lt`` so that the ORM layer can translate them (see :meth:`ImportIssue.text`).

>>> columns = [
...     Column("badge", ("工号", "Badge ID"), "text"),
...     Column("score", ("分数", "Score"), "number", minimum=0, maximum=100),
... ]
>>> content = "工号 / Badge ID;分数 / Score\nE001;95\n\nE002;12,5\n".encode()
>>> table = read_table("scores.csv", content)
>>> table.headers, table.rows
(['工号 / Badge ID', '分数 / Score'], [(2, ['E001', '95']), (4, ['E002', '12,5'])])
>>> try:
...     parse_rows(table, columns)
... except ImportFailed as error:
...     print(error.issues[0].row, error.issues[0].column, error.issues[0].params)
4 分数 / Score {'value': '12,5'}
>>> parse_rows(read_table("ok.csv", b"Badge ID,Score\nE001,95\n"), columns)
[{'_row': 2, 'badge': 'E001', 'score': 95.0}]
"""

import contextlib
import csv
import datetime
import io
import logging
import math
import os
import re
import struct
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from .errors import KpiEngineError, _lt

_logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------

TEXT = "text"
NUMBER = "number"
INTEGER = "integer"
DATE = "date"
DATETIME = "datetime"
BOOL = "bool"
CHOICE = "choice"
COLUMN_KINDS = (TEXT, NUMBER, INTEGER, DATE, DATETIME, BOOL, CHOICE)
RANGE_KINDS = (NUMBER, INTEGER, DATE, DATETIME)

XLS = ".xls"
XLSX = ".xlsx"
CSV = ".csv"
FILE_TYPES = (XLSX, XLS, CSV)

# First bytes of the two Excel containers: a workbook saved under the other
# Excel extension (common with exports) is read by what it really is.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (BIFF in a compound file)
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx (Office Open XML)

CSV_DELIMITERS = ",;\t"
CSV_SNIFF_CHARS = 64 * 1024
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030: Chinese Excel "CSV" exports

KILOBYTE = 1024
MEGABYTE = 1024 * KILOBYTE

# Import limits (README "Import limits", the import wizard's help).  Rows count
# from row 1 of the sheet: header and blank rows included.
MAX_ROWS = 20_000
MAX_COLUMNS = 100  # A to CV
MAX_CELLS = 400_000  # declared rows x columns of a sheet, and cells read
MAX_UNCOMPRESSED_MB = 20  # a .xlsx's zip members, uncompressed
# Work bounds on a .xlsx's XML beyond the rows and cells (refused as unreadable):
MAX_XML_ELEMENTS = 4 * MAX_CELLS + MAX_ROWS  # a cell is <c>, <v> and a few more
MAX_PART_KB = 1024  # the manifest, the workbook part and its relations
MAX_CELL_STYLES = 65_536  # Excel allows 64,000 cell formats
MAX_SHOWN_FORMULA = 40  # characters of a refused formula quoted in its message
LABEL_SEPARATOR = " / "  # bilingual headers: "工号 / Badge ID"
FLOAT_TEXT_DIGITS = 15  # what Excel shows of a number cell read as text

# Spreadsheet error values (a cached formula error, or typed as such).
ERROR_CODES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
    }
)

TRUE_TEXTS = frozenset({"1", "true", "yes", "y", "是"})
FALSE_TEXTS = frozenset({"0", "false", "no", "n", "否"})

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NON_FINITE_RE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
# Thousands separators and decimal commas: refused with a hint.
_SEPARATOR_RE = re.compile(r"[,\s']")
_DATE_RE = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})")
_DATETIME_RE = re.compile(
    r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})"
    r"(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?"
)
_LABEL_SPLIT_RE = re.compile(r" / |\s*／\s*")

# Messages used in several places.
NOT_A_NUMBER = _lt('The value "%(value)s" is not a number.')
NUMBER_SEPARATORS = _lt(
    'The value "%(value)s" is not a number: write it with digits only, a dot '
    "for decimals and no thousands separator (for example 1000 or 12.5)."
)
NOT_FINITE = _lt('The value "%(value)s" is not a finite number.')
ERROR_CELL = _lt("Cell %(cell)s holds the error %(value)s: type the value instead.")
FORMULA_CELL = _lt("Cell %(cell)s holds a formula (%(formula)s): type the value instead.")
# A .xls formula: its text is compiled in the file, only the cell is named.
FORMULA_CELL_XLS = _lt("Cell %(cell)s holds a formula: type the value instead.")
ROWS_LIMIT = _lt(
    "The sheet reaches row %(row)s, beyond the limit of %(limit)s rows (header and "
    "blank rows included): split the file into smaller ones."
)
COLUMNS_LIMIT = _lt(
    "The sheet reaches column %(column)s, beyond the limit of %(limit)s columns "
    "(%(last)s): delete the columns after %(last)s."
)
CELLS_LIMIT = _lt(
    "The sheet holds %(cells)s cells, beyond the limit of %(limit)s cells: split the "
    "file into smaller ones."
)
UNCOMPRESSED_LIMIT = _lt(
    "The workbook holds %(size)s MB once uncompressed, beyond the limit of "
    "%(limit)s MB: keep only the sheet to import, without pictures, or save it as .csv."
)
NOT_A_ZIP = _lt(
    "The file is not a .xlsx workbook (a .xlsx file is a zip archive, this one is "
    "not, or it is damaged): open it in Excel and save it again as .xlsx, .xls or .csv."
)
UNREADABLE = _lt(
    "The file could not be read as a %(extension)s file: open it in Excel and save it "
    "again as .xlsx, .xls or .csv."
)


# ---------------------------------------------------------------------------
# Issues and the error that carries them
# ---------------------------------------------------------------------------


def _format(source, /, **params):
    """Fill the placeholders of an untranslated message."""
    return source % params if params else source


@dataclass(frozen=True)
class ImportIssue:
    """One problem found in an imported file.

    ``row`` is 1-based as the user sees it in the file (the header is row 1 of
    a normal file; 0 for a problem with the whole file), ``column`` the header
    label (or ``""``).  ``message`` is English with ``%(name)s`` placeholders
    filled from ``params``.

    >>> issue = ImportIssue("Sheet1", 3, "Score", NOT_A_NUMBER, {"value": "abc"})
    >>> issue.text()
    'Row 3, column Score: The value "abc" is not a number.'
    >>> ImportIssue("", 0, "", _lt("The file is empty.")).text()
    'The file is empty.'
    """

    sheet: str
    row: int
    column: str
    message: str
    params: dict = field(default_factory=dict)

    def text(self, translate=None):
        """Return the issue as one line: ``Row r, column c: message``.

        ``translate(message, **params)`` translates and fills a message; the
        default fills the English text.  In Odoo pass ``self.env._``.
        """
        translate = translate or _format
        message = translate(self.message, **self.params)
        if self.row and self.column:
            return translate(
                _lt("Row %(row)s, column %(column)s: %(problem)s"),
                row=self.row,
                column=self.column,
                problem=message,
            )
        if self.row:
            return translate(
                _lt("Row %(row)s: %(problem)s"), row=self.row, problem=message
            )
        return message


class ImportFailed(KpiEngineError):
    """The file was refused; ``issues`` lists every problem found.

    ``message``/``params`` give a one-line summary; :meth:`text` (also
    ``str()``) the summary followed by one line per issue.

    >>> issue = ImportIssue("", 2, "Score", NOT_A_NUMBER, {"value": "x"})
    >>> error = ImportFailed([issue])
    >>> print(error)
    The file was not imported: 1 problem(s) found.
    Row 2, column Score: The value "x" is not a number.
    """

    def __init__(self, issues):
        self.issues = list(issues)
        super().__init__(
            _lt("The file was not imported: %(count)s problem(s) found."),
            count=len(self.issues),
        )

    def text(self, translate=None):
        """Return the summary and one line per issue, translated if asked."""
        translate = translate or _format
        lines = [translate(self.message, **self.params)]
        lines.extend(issue.text(translate) for issue in self.issues)
        return "\n".join(lines)

    def __str__(self):
        return self.text()


def _file_issue(message, **params):
    return ImportIssue("", 0, "", message, params)


def _refuse(message, **params):
    return ImportFailed([_file_issue(message, **params)])


# ---------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """A spreadsheet error value such as ``#DIV/0!`` found in a cell."""

    code: str

    def __str__(self):
        return self.code


@dataclass(frozen=True)
class FormulaCell:
    """A formula found in a cell: its text (``=1/0``) in a ``.xlsx`` file,
    ``""`` in a ``.xls`` file (which keeps formulas compiled)."""

    formula: str

    def __str__(self):
        return self.formula


@dataclass(frozen=True)
class Table:
    """The header and non-blank data rows of the sheet that was read.

    ``rows`` holds ``(row_number, cells)`` pairs; row numbers are those of the
    file (blank rows are skipped, not renumbered), ``cells`` has at least one
    entry per header, ``cells[0]`` being column A.  ``header_row`` is the row
    number of the header (the first non-blank row).  ``sheet`` is the sheet
    name (``""`` for a CSV file).
    """

    sheet: str
    headers: list
    rows: list
    header_row: int = 1


def read_table(filename, content, max_bytes=None):
    """Read an uploaded ``.xlsx``, ``.xls`` or ``.csv`` file into a :class:`Table`.

    The type follows the extension of ``filename``; an Excel file saved under
    the other Excel extension is read by its real format.  ``max_bytes`` (if
    given) is checked before anything is parsed, then the limits of the module
    docstring.

    Only the first *visible* sheet of a workbook is read: hidden and very
    hidden sheets are ignored, and so are the sheets after it.  The first
    non-blank row is the header; blank rows are skipped without changing the
    row numbers of the others.  CSV files may be UTF-8 (with or without BOM),
    UTF-16 with BOM, or GB18030 (Chinese Excel exports), separated by commas,
    semicolons or tabs.

    Raises :class:`ImportFailed` when the file is too large, beyond the
    limits, of an unknown type, unreadable, empty or has no header row.

    >>> try:
    ...     read_table("notes.txt", b"x" * 3000, max_bytes=2048)
    ... except ImportFailed as error:
    ...     print(error)
    The file was not imported: 2 problem(s) found.
    Unsupported file type ".txt": upload a .xlsx, .xls or .csv file.
    The file is 2.9 KB, more than the limit of 2 KB.
    """
    content = bytes(content or b"")
    extension = os.path.splitext(filename or "")[1].lower()
    issues = []
    if extension not in FILE_TYPES:
        issues.append(
            _file_issue(
                _lt(
                    'Unsupported file type "%(extension)s": '
                    "upload a .xlsx, .xls or .csv file."
                ),
                extension=extension or filename or "",
            )
        )
    if max_bytes is not None and len(content) > max_bytes:
        issues.append(
            _file_issue(
                _lt("The file is %(size)s KB, more than the limit of %(limit)s KB."),
                size=_kilobytes(len(content)),
                limit=_kilobytes(max_bytes),
            )
        )
    if not content:
        issues.append(_file_issue(_lt("The file is empty.")))
    if issues:
        raise ImportFailed(issues)
    if extension in (XLS, XLSX):
        if content.startswith(ZIP_MAGIC):
            extension = XLSX
        elif content.startswith(OLE2_MAGIC):
            extension = XLS
    reader = {XLSX: _read_xlsx, XLS: _read_xls, CSV: _read_csv}[extension]
    sheet, numbered_rows = reader(content)
    return _build_table(sheet, numbered_rows)


def _kilobytes(size):
    """``2048`` -> ``'2'``, ``3000`` -> ``'2.9'``."""
    return f"{size / KILOBYTE:.1f}".removesuffix(".0")


def _count(number):
    """``20000`` -> ``'20,000'``."""
    return f"{number:,}"


def _unreadable(extension, error):
    _logger.info("Import: unreadable %s file: %r", extension, error)
    return _refuse(UNREADABLE, extension=extension)


def _missing_package(package, extension):
    return _refuse(
        _lt("Reading %(extension)s files needs the Python package %(package)s."),
        extension=extension,
        package=package,
    )


def _is_blank(cell):
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _build_table(sheet, numbered_rows):
    """Split the rows into header and data, dropping blank rows."""
    header_row, headers, rows = 0, None, []
    for number, cells in numbered_rows:
        if all(_is_blank(cell) for cell in cells):
            continue
        if headers is None:
            header_row, headers = number, [_header_text(cell) for cell in cells]
            while headers and not headers[-1]:
                headers.pop()
            continue
        cells = list(cells)
        cells.extend([None] * (len(headers) - len(cells)))
        rows.append((number, cells))
    if headers is None:
        raise ImportFailed(
            [
                ImportIssue(
                    sheet, 0, "", _lt("No header row found: the sheet is blank."), {}
                )
            ]
        )
    return Table(sheet, headers, rows, header_row)


def _header_text(cell):
    if _is_blank(cell):
        return ""
    return " ".join(_text(cell).split())


# --- limits ------------------------------------------------------------------


class _Limits:
    """Counts what a reader has seen and refuses the first row, column or cell
    beyond :data:`MAX_ROWS`, :data:`MAX_COLUMNS` and :data:`MAX_CELLS`."""

    def __init__(self):
        self.cells = 0

    @staticmethod
    def check_size(rows, columns):
        """A sheet's declared size (``None`` when unknown), before any row is read."""
        _Limits.check_row(rows or 0)
        _Limits.check_column(columns or 0)
        if (rows or 0) * (columns or 0) > MAX_CELLS:
            raise _refuse(
                CELLS_LIMIT, cells=_count(rows * columns), limit=_count(MAX_CELLS)
            )

    @staticmethod
    def check_row(number):
        if number > MAX_ROWS:
            raise _refuse(ROWS_LIMIT, row=_count(number), limit=_count(MAX_ROWS))

    @staticmethod
    def check_column(width):
        if width > MAX_COLUMNS:
            raise _refuse(
                COLUMNS_LIMIT,
                column=_column_letter(width - 1),
                limit=MAX_COLUMNS,
                last=LAST_COLUMN,
            )

    def add_row(self, number, cells):
        """Check one row read (``cells``: its values, column A first)."""
        self.check_row(number)
        filled = [index for index, cell in enumerate(cells) if not _is_blank(cell)]
        if filled:
            self.check_column(filled[-1] + 1)
        self.add_cell(len(filled))

    def add_cell(self, count=1):
        """Count cells read (a .xlsx counts every cell element, filled or not)."""
        self.cells += count
        if self.cells > MAX_CELLS:
            raise _refuse(
                CELLS_LIMIT, cells=_count(self.cells), limit=_count(MAX_CELLS)
            )


# --- .xlsx -------------------------------------------------------------------


def _read_xlsx(content):
    """Return ``(sheet name, numbered rows)`` of the first visible worksheet.

    The zip's uncompressed sizes are checked first.  openpyxl reads the
    workbook's small parts (sheet list, styles); the shared strings and the
    sheet itself are streamed with expat (:class:`_SheetStream`): no tree, no
    padding to a declared size, every limit checked as the XML arrives.
    """
    try:
        from openpyxl.reader.excel import ExcelReader, _find_workbook_part
        from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS
    except ImportError:
        raise _missing_package("openpyxl", XLSX) from None
    _check_zip(content)
    reader = None
    try:
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=False)
        archive = reader.archive
        _check_part(archive, ARC_CONTENT_TYPES)
        reader.read_manifest()
        workbook_part = _find_workbook_part(reader.package).PartName[1:]
        _check_part(archive, workbook_part)
        _check_part(archive, _rels_path(workbook_part))
        reader.read_workbook()
        name, path = _first_visible_xlsx_sheet(reader)
        dates, durations = _read_part(archive, ARC_STYLE, _Styles(), (set(), set()))
        strings_part = reader.package.find(SHARED_STRINGS)
        strings = []
        if strings_part is not None:
            strings = _read_part(archive, strings_part.PartName[1:], _SharedStrings(), [])
        stream = _SheetStream(strings, dates, durations, reader.wb.epoch)
        return name, _read_part(archive, path, stream, [])
    except ImportFailed:
        raise
    except Exception as error:  # any parser failure means "not a readable .xlsx"
        raise _unreadable(XLSX, error) from error
    finally:
        if reader is not None:
            reader.archive.close()


def _check_part(archive, name):
    """A part openpyxl parses whole (manifest, workbook, its relations) must
    be small: a real one holds a few kilobytes."""
    if name in archive.namelist() and archive.getinfo(name).file_size > MAX_PART_KB * KILOBYTE:
        raise ValueError(f"{name} holds {archive.getinfo(name).file_size} bytes")


def _rels_path(part):
    """``'xl/workbook.xml'`` -> ``'xl/_rels/workbook.xml.rels'``."""
    folder, _slash, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _read_part(archive, name, stream, default):
    """Stream the zip member ``name`` through ``stream``; ``default`` if absent."""
    if name not in archive.namelist():
        return default
    with archive.open(name) as source:
        return stream.parse(source)


def _check_zip(content):
    """Refuse a file that is not a zip, or too large once uncompressed.

    The sizes come from the zip's central directory; Python's zip reader never
    inflates a member beyond its declared size, so they bound the work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except Exception as error:  # BadZipFile, NotImplementedError (zip version)...
        _logger.info("Import: not a zip file: %r", error)
        raise _refuse(NOT_A_ZIP) from None
    if size > MAX_UNCOMPRESSED_MB * MEGABYTE:
        raise _refuse(
            UNCOMPRESSED_LIMIT,
            size=f"{size / MEGABYTE:.1f}",
            limit=MAX_UNCOMPRESSED_MB,
        )


def _first_visible_xlsx_sheet(reader):
    for sheet, rel in reader.parser.find_sheets():
        if (
            "worksheet" in rel.Type
            and rel.target in reader.valid_files
            and sheet.state == "visible"
        ):
            return sheet.name, rel.target
    raise _refuse(_lt("The workbook has no visible sheet."))


class _ExpatStream:
    """Feed a zip member to expat in chunks.  No DTD is accepted (a workbook
    has none): entity tricks are refused before they expand."""

    CHUNK = 64 * KILOBYTE
    elements = 0

    def count_element(self):
        """Bound the work on XML that is neither rows nor cells."""
        self.elements += 1
        if self.elements > MAX_XML_ELEMENTS:
            raise ValueError(f"more than {MAX_XML_ELEMENTS} XML elements")

    def data(self, _text):
        """Character data: ignored unless a stream collects it."""

    def parse(self, source):
        parser = expat.ParserCreate(namespace_separator="}")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        parser.buffer_text = True
        while chunk := source.read(self.CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        return self.result()

    @staticmethod
    def _doctype(*_args):
        raise ValueError("a workbook part declares a DTD")


class _Styles(_ExpatStream):
    """The cell styles (``<cellXfs>`` of ``xl/styles.xml``) that show a date or a
    duration: ``(date style indexes, duration style indexes)``."""

    def __init__(self):
        self.custom = {}  # numFmtId -> format code
        self.style_formats = []  # the numFmtId of each cell style, in order
        self.in_cell_styles = False

    def start(self, name, attrs):
        self.count_element()
        tag = _local(name)
        if tag == "numFmt":
            self.custom[int(attrs.get("numFmtId", 0))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            self.in_cell_styles = True
        elif tag == "xf" and self.in_cell_styles:
            self.style_formats.append(int(attrs.get("numFmtId", 0)))
            if len(self.style_formats) > MAX_CELL_STYLES:
                raise ValueError(f"more than {MAX_CELL_STYLES} cell styles")

    def end(self, name):
        if _local(name) == "cellXfs":
            self.in_cell_styles = False

    def result(self):
        from openpyxl.styles.numbers import (
            BUILTIN_FORMATS,
            is_date_format,
            is_timedelta_format,
        )

        kinds = {}  # numFmtId -> (is a date, is a duration)
        for format_id in set(self.style_formats):
            code = self.custom.get(format_id) or BUILTIN_FORMATS.get(format_id)
            kinds[format_id] = (
                bool(code) and is_date_format(code),
                bool(code) and is_timedelta_format(code),
            )
        formats = list(enumerate(self.style_formats))
        return (
            {index for index, format_id in formats if kinds[format_id][0]},
            {index for index, format_id in formats if kinds[format_id][1]},
        )


def _local(name):
    """``'{namespace}row'`` as expat reports it -> ``'row'``."""
    return name.rpartition("}")[2]


class _SharedStrings(_ExpatStream):
    """The shared strings table: one text per ``<si>`` (phonetic runs left out)."""

    def __init__(self):
        self.strings = []
        self.parts = None  # the text runs of the open <si>
        self.text = None  # the characters of the open <t>
        self.phonetic = False

    def start(self, name, _attrs):
        self.count_element()
        tag = _local(name)
        if tag == "si":
            self.parts = []
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "t" and self.parts is not None and not self.phonetic:
            self.text = []

    def data(self, text):
        if self.text is not None:
            self.text.append(text)

    def end(self, name):
        tag = _local(name)
        if tag == "t" and self.text is not None:
            self.parts.extend(self.text)
            self.text = None
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "si":
            self.strings.append("".join(self.parts))
            self.parts = None
            if len(self.strings) > MAX_CELLS:  # more texts than cells to hold them
                raise _refuse(
                    CELLS_LIMIT, cells=_count(len(self.strings)), limit=_count(MAX_CELLS)
                )

    def result(self):
        return self.strings


class _SheetStream(_ExpatStream):
    """The rows of a worksheet, streamed: ``[(row number, values)]``.

    The ``<dimension>`` (before the rows) is checked first, then each row,
    column and cell as it arrives; cells are placed by their reference
    (``B7``), so a row holds values up to its last filled column only.
    """

    def __init__(self, strings, date_styles, timedelta_styles, epoch):
        self.strings = strings
        self.date_styles = date_styles
        self.timedelta_styles = timedelta_styles
        self.epoch = epoch
        self.limits = _Limits()
        self.rows = []
        self.number = 0  # the open (or last) row
        self.values = None  # the values of the open row
        self.column = 0  # the open (or last) cell of the row, 1-based
        self.cell = None  # the open cell: type, style, value, formula, inline text
        self.text = None  # the characters of the open <v>, <f> or inline <t>
        self.phonetic = False

    def start(self, name, attrs):
        self.count_element()
        tag = _local(name)
        if tag == "dimension":
            _Limits.check_size(*_dimension_size(attrs.get("ref")))
        elif tag == "row":
            number = int(attrs["r"]) if "r" in attrs else self.number + 1
            if number <= self.number:
                raise ValueError(f"row {number} after row {self.number}")
            self.limits.check_row(number)
            self.number, self.values, self.column = number, [], 0
        elif tag == "c" and self.values is not None:
            self.column = _column_number(attrs.get("r")) or self.column + 1
            self.limits.add_cell()
            self.cell = {"type": attrs.get("t", "n"), "style": int(attrs.get("s", 0))}
        elif tag == "rPh":
            self.phonetic = True
        elif self.cell is not None and tag in ("v", "f", "t") and not self.phonetic:
            self.text = []

    def data(self, text):
        if self.text is not None:
            self.text.append(text)

    def end(self, name):
        tag = _local(name)
        if tag in ("v", "f", "t") and self.text is not None:
            text = "".join(self.text)
            if tag == "t":  # inline text: the runs of <is> add up
                text = self.cell.get("t", "") + text
            self.cell[tag] = text
            self.text = None
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "c" and self.cell is not None:
            value = self._value(self.cell)
            self.cell = None
            if not _is_blank(value):
                self.limits.check_column(self.column)
                self.values.extend([None] * (self.column - len(self.values)))
                self.values[self.column - 1] = value
        elif tag == "row" and self.values is not None:
            self.rows.append((self.number, self.values))
            self.values = None

    def _value(self, cell):
        """The cell's value, as :func:`read_table` documents it."""
        kind, value = cell["type"], cell.get("v")
        if "f" in cell:
            return FormulaCell("=" + (cell["f"] or "…"))
        if kind == "inlineStr":
            return _text_cell(cell.get("t", ""))
        if value is None:
            return None
        if kind == "e":
            return CellError(value.strip())
        if kind == "s":
            return _text_cell(self.strings[int(value)])
        if kind == "str":
            return _text_cell(value)
        if kind == "b":
            return value.strip() in ("1", "true")
        if kind == "d":
            return _iso_datetime(value)
        return self._number(value, cell["style"])

    def _number(self, text, style):
        from openpyxl.utils.datetime import from_excel

        number = float(text) if any(c in text for c in ".eE") else int(text)
        if style not in self.date_styles:
            return number
        try:
            return from_excel(
                number, self.epoch, timedelta=style in self.timedelta_styles
            )
        except (OverflowError, ValueError):
            return CellError("#VALUE!")  # a date serial beyond the calendar

    def result(self):
        return self.rows


def _iso_datetime(text):
    from openpyxl.utils.datetime import from_ISO8601

    return from_ISO8601(text.strip())


_CELL_REFERENCE_RE = re.compile(r"\$?([A-Za-z]{1,7})\$?([0-9]*)")


def _column_number(reference):
    """``'B7'`` -> ``2``; ``None`` when there is no reference."""
    match = _CELL_REFERENCE_RE.match(reference or "")
    if not match:
        return None
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _dimension_size(ref):
    """``'A1:XFD9'`` -> ``(9, 16384)``: the rows and columns a sheet declares."""
    last = (ref or "").rpartition(":")[2]
    match = _CELL_REFERENCE_RE.fullmatch(last)
    if not match:
        return None, None
    return int(match.group(2) or 0), _column_number(last)


def _text_cell(text):
    """A string cell: ``None`` when blank, :class:`CellError` for ``#DIV/0!``."""
    if not text.strip():
        return None
    if text.strip() in ERROR_CODES:
        return CellError(text.strip())
    return text


# --- .xls --------------------------------------------------------------------


def _read_xls(content):
    """Return ``(sheet name, numbered rows)`` of the first visible sheet.

    xlrd reads a whole sheet at once (``on_demand``: only that sheet, rows not
    padded); its size is checked before any cell is converted.  A BIFF sheet
    has at most 65,536 rows and 256 columns, and the file size bounds it.
    xlrd gives a formula's saved result as the cell's value: the cells that
    hold a formula are read from the sheet's records and given as
    ``FormulaCell("")`` instead.  An Excel 4.0 workbook (BIFF4W), whose sheets
    are not located, is refused as unreadable.
    """
    try:
        import xlrd  # optional: only needed for .xls files
    except ImportError:
        raise _missing_package("xlrd", XLS) from None
    try:
        book = xlrd.open_workbook(
            file_contents=content,
            on_demand=True,
            ragged_rows=True,
            logfile=io.StringIO(),
        )
    except Exception as error:  # any parser failure means "not a readable .xls"
        raise _unreadable(XLS, error) from error
    try:
        sheet = _first_visible_xls_sheet(book)
        row_lengths = [sheet.row_len(number) for number in range(sheet.nrows)]
        _Limits.check_size(sheet.nrows, max(row_lengths, default=0))
        formulas = _xls_formula_cells(book, sheet, content)
        limits = _Limits()
        rows = []
        for number in range(sheet.nrows):
            values = [_xls_value(xlrd, book, cell) for cell in sheet.row(number)]
            for column in formulas.get(number, ()):
                values.extend([None] * (column + 1 - len(values)))
                values[column] = FormulaCell("")
            limits.add_row(number + 1, values)
            rows.append((number + 1, values))
        return sheet.name, rows
    except ImportFailed:
        raise
    except Exception as error:  # any parser failure means "not a readable .xls"
        raise _unreadable(XLS, error) from error
    finally:
        book.release_resources()


def _first_visible_xls_sheet(book):
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        if sheet.visibility == 0:
            return sheet
        book.unload_sheet(index)
    raise _refuse(_lt("The workbook has no visible sheet."))


# BIFF record types ([MS-XLS]; BIFF2 to BIFF4 lay out these fields alike).
BIFF_BOF = frozenset({0x0009, 0x0209, 0x0409, 0x0809})  # BIFF2, 3, 4, 5 to 8
BIFF_EOF = 0x000A
BIFF_BOUNDSHEET = 0x0085  # stream offset of a sheet's BOF, visibility, type, name
BIFF_WORKSHEET = 0  # the type of a worksheet in its BOUNDSHEET record
BIFF_FORMULA = frozenset({0x0006, 0x0206, 0x0406})  # BIFF2 and 5 to 8, 3, 4
BIFF4W = 45  # xlrd's version number of an Excel 4.0 workbook


def _xls_formula_cells(book, sheet, content):
    """``{row: {column, ...}}`` (both 0-based) of the cells of ``sheet`` that
    hold a formula: the FORMULA records of the sheet's substream.

    Every cell of an array or shared formula has its own FORMULA record.  The
    walk reads each record once and never beyond the workbook stream: a
    stream that ends before the sheet's EOF record, a record running past the
    end or too short for its fields raise ``ValueError`` (an unreadable file):
    the cells are never guessed.
    """
    stream, base, end = _xls_stream(book, content)
    if book.biff_version >= 50:
        offsets = _xls_worksheet_offsets(stream, base, end)
        if sheet.number >= len(offsets):
            raise ValueError(f"no BOUNDSHEET record for worksheet {sheet.number}")
        start = base + offsets[sheet.number]
    elif book.biff_version == BIFF4W:
        raise ValueError("the sheets of an Excel 4.0 workbook are not located")
    else:  # BIFF2 to BIFF4: the stream is the one worksheet
        start = base
    cells = {}
    depth = 0  # BOF ... EOF substreams: a worksheet may embed charts
    for code, data in _biff_records(stream, start, end):
        if code in BIFF_BOF:
            depth += 1
        elif not depth:
            raise ValueError(f"record 0x{code:04x} where a BOF record was expected")
        elif code == BIFF_EOF:
            depth -= 1
            if not depth:
                return cells
        elif code in BIFF_FORMULA and depth == 1:
            if len(data) < 4:
                raise ValueError("a FORMULA record without its cell")
            row, column = struct.unpack_from("<HH", data)
            cells.setdefault(row, set()).add(column)
    raise ValueError("unreachable: the records end with an error")  # pragma: no cover


def _xls_stream(book, content):
    """``(bytes, start, end)`` of the workbook stream that xlrd read.

    xlrd keeps the stream of a BIFF5-8 workbook opened ``on_demand`` until its
    resources are released; a BIFF2-4 file (no compound document) is the
    stream itself.
    """
    if book.mem:
        return book.mem, book.base, min(len(book.mem), book.base + book.stream_len)
    if not content.startswith(OLE2_MAGIC):
        return content, 0, len(content)
    raise ValueError("the workbook stream is no longer available")


def _xls_worksheet_offsets(stream, base, end):
    """The stream offsets of the worksheets' BOF records, in the order of the
    workbook globals' BOUNDSHEET records (the order of xlrd's sheet numbers)."""
    offsets = []
    for code, data in _biff_records(stream, base, end):
        if code == BIFF_BOUNDSHEET:
            if len(data) < 6:
                raise ValueError("a BOUNDSHEET record without its sheet")
            offset, _visibility, sheet_type = struct.unpack_from("<IBB", data)
            if sheet_type == BIFF_WORKSHEET:
                offsets.append(offset)
        elif code == BIFF_EOF:
            return offsets
    raise ValueError("unreachable: the records end with an error")  # pragma: no cover


def _biff_records(stream, position, end):
    """Yield ``(record type, data)`` from ``position``; raise ``ValueError`` when
    the stream ends (``end``) before the caller stops, or inside a record."""
    while True:
        if position + 4 > end:
            raise ValueError(f"the BIFF stream ends at {position} without an EOF record")
        code, length = struct.unpack_from("<HH", stream, position)
        position += 4
        if position + length > end:
            raise ValueError(f"the BIFF record 0x{code:04x} at {position - 4} is cut short")
        yield code, stream[position : position + length]
        position += length


def _xls_value(xlrd, book, cell):
    ctype, value = cell.ctype, cell.value
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if ctype == xlrd.XL_CELL_TEXT:
        return _text_cell(value)
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_ERROR:
        return CellError(xlrd.error_text_from_code.get(value, "#N/A"))
    if ctype == xlrd.XL_CELL_DATE:
        if 0 <= value < 1:  # a time of day without a date
            return (datetime.datetime.min + datetime.timedelta(days=value)).time()
        try:
            return xlrd.xldate_as_datetime(value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value  # left as a number: a date column reports it
    return value


# --- .csv --------------------------------------------------------------------


def _read_csv(content):
    """Return ``("", numbered rows)``; every cell is a string or ``None``.

    Records are read one at a time; reading stops at the first one beyond the
    limits.  Empty fields at the end of a record (Excel pads rows to the width
    of the sheet) are dropped.
    """
    text = _decode_csv(content)
    delimiter = _csv_delimiter(text[:CSV_SNIFF_CHARS])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limits = _Limits()
    rows = []
    try:
        for number, record in enumerate(reader, start=1):
            values = [_text_cell(cell) for cell in record]
            while values and values[-1] is None:
                values.pop()
            limits.add_row(number, values)
            rows.append((number, values))
    except csv.Error as error:
        raise _unreadable(CSV, error) from error
    return "", rows


def _decode_csv(content):
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel "Unicode text"
        encodings = ("utf-16",)
    else:
        encodings = CSV_ENCODINGS
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(
        _lt("The CSV file is not UTF-8 or GB18030 text: save it again as CSV UTF-8.")
    )


def _csv_delimiter(sample):
    """Guess the delimiter; it must occur in the header line."""
    first_line = sample.split("\n", 1)[0]
    if "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # no cut-off last line
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        delimiter = None
    if delimiter is None or delimiter not in first_line:
        counts = {
            candidate: first_line.count(candidate) for candidate in CSV_DELIMITERS
        }
        delimiter = max(CSV_DELIMITERS, key=counts.get)
        if not counts[delimiter]:
            delimiter = ","
    return delimiter


# ---------------------------------------------------------------------------
# Column specs and header matching
# ---------------------------------------------------------------------------


def _normalise(text):
    """Compare labels case-insensitively with collapsed whitespace."""
    return " ".join(str(text).split()).casefold()


def _label_keys(text):
    """The normalised text and, for ``"工号 / Badge ID"``, each side."""
    full = _normalise(text)
    keys = {full}
    keys.update(side.strip() for side in _LABEL_SPLIT_RE.split(full))
    keys.discard("")
    return keys


@dataclass(frozen=True)
class Column:
    """What one column of an import holds.

    ``labels`` are the accepted headers (the first two, joined by ``" / "``,
    make the template header: ``("工号", "Badge ID")`` -> ``"工号 / Badge ID"``).
    A header matches when, ignoring case and extra spaces, it or either side of
    its ``" / "`` equals a label.  ``kind`` is one of :data:`COLUMN_KINDS`.
    ``minimum``/``maximum`` bound numbers and dates (inclusive).  ``choices``
    (``choice`` kind) is a list of accepted texts, or a mapping of accepted
    texts to the values returned.

    >>> Column("badge", ("工号", "Badge ID"), "text").header
    '工号 / Badge ID'
    >>> choices = {"有效 / Valid": "ok"}
    >>> kind = Column("kind", ("类型", "Type"), "choice", choices=choices)
    >>> kind.choice_value("VALID"), kind.choice_value("有效"), kind.choice_value("x")
    ('ok', 'ok', None)
    """

    key: str
    labels: tuple
    kind: str
    required: bool = True
    minimum: object = None
    maximum: object = None
    choices: object = None

    def __post_init__(self):
        labels = (
            (self.labels,) if isinstance(self.labels, str) else tuple(self.labels or ())
        )
        object.__setattr__(self, "labels", labels)
        if (
            not self.key
            or not labels
            or not all(str(label).strip() for label in labels)
        ):
            raise KpiEngineError(
                _lt(
                    "An import column needs a key and labels (got %(key)s, %(labels)s)."
                ),
                key=repr(self.key),
                labels=repr(labels),
            )
        if self.kind not in COLUMN_KINDS:
            raise KpiEngineError(
                _lt("Unknown import column kind %(kind)s (expected one of %(kinds)s)."),
                kind=repr(self.kind),
                kinds=", ".join(COLUMN_KINDS),
            )
        if (
            self.minimum is not None or self.maximum is not None
        ) and self.kind not in RANGE_KINDS:
            raise KpiEngineError(
                _lt(
                    "A minimum or maximum only applies to numbers and dates "
                    "(column %(key)s)."
                ),
                key=self.key,
            )
        if (
            self.minimum is not None
            and self.maximum is not None
            and self.minimum > self.maximum
        ):
            raise KpiEngineError(
                _lt("The minimum of column %(key)s is above its maximum."),
                key=self.key,
            )
        self._set_choices()

    def _set_choices(self):
        if self.kind != CHOICE:
            if self.choices is not None:
                raise KpiEngineError(
                    _lt("Only a choice column takes choices (column %(key)s)."),
                    key=self.key,
                )
            return
        choices = self.choices
        if isinstance(choices, str) or not choices:
            raise KpiEngineError(
                _lt("The choice column %(key)s needs a list of choices."),
                key=self.key,
            )
        if hasattr(choices, "items"):
            pairs = tuple((str(text), value) for text, value in choices.items())
        else:
            pairs = tuple((str(text), text) for text in choices)
        object.__setattr__(self, "choices", pairs)

    @property
    def header(self):
        """The bilingual header written in templates."""
        return LABEL_SEPARATOR.join(str(label).strip() for label in self.labels[:2])

    def matches(self, header):
        """Tell whether a header of the file names this column.

        >>> column = Column("badge", ("工号", "Badge ID"), "text")
        >>> headers = ("BADGE  id", "工号 / Badge ID", "工号/员工", "Badge")
        >>> [column.matches(header) for header in headers]
        [True, True, False, False]
        """
        keys = set()
        for label in (*self.labels, self.header):
            keys.update(_label_keys(label))
        return bool(keys & _label_keys(header)) if _normalise(header) else False

    def choice_value(self, text):
        """Return the value of the choice written ``text``, or ``None``."""
        wanted = _label_keys(text)
        for label, value in self.choices or ():
            if wanted & (_label_keys(label) | {_normalise(value)}):
                return value
        return None


def _column_letter(index):
    """``0`` -> ``'A'``, ``27`` -> ``'AB'``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


LAST_COLUMN = _column_letter(MAX_COLUMNS - 1)  # "CV"


def _match_headers(table, columns, issues):
    """Return ``{key: index}`` and add header issues to ``issues``."""
    positions = {}
    for index, header in enumerate(table.headers):
        matched = [column for column in columns if column.matches(header)]
        if len(matched) > 1:
            issues.append(
                ImportIssue(
                    table.sheet,
                    table.header_row,
                    header,
                    _lt("The header matches several columns: %(columns)s."),
                    {"columns": ", ".join(column.header for column in matched)},
                )
            )
            continue
        if not matched:
            continue  # extra columns (names, notes...) are allowed and ignored
        column = matched[0]
        if column.key in positions:
            issues.append(
                ImportIssue(
                    table.sheet,
                    table.header_row,
                    header,
                    _lt("The column appears twice (columns %(first)s and %(second)s)."),
                    {
                        "first": _column_letter(positions[column.key]),
                        "second": _column_letter(index),
                    },
                )
            )
            continue
        positions[column.key] = index
    for column in columns:
        if column.required and column.key not in positions:
            issues.append(
                ImportIssue(
                    table.sheet,
                    table.header_row,
                    column.header,
                    _lt(
                        "The required column %(column)s is missing from the header row."
                    ),
                    {"column": column.header},
                )
            )
    return positions


# ---------------------------------------------------------------------------
# Converting cells
# ---------------------------------------------------------------------------


def _text(value):
    """Render a cell as the user reads it (``1001.0`` -> ``'1001'``)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.{FLOAT_TEXT_DIGITS}g}"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(" ", "seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _to_text(value, column):
    return _text(value) or None


def _number_cell(value):
    """Return a cell as a finite float, refusing text that is not a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an integer cell beyond the float range
            raise KpiEngineError(NOT_FINITE, value=_text(value)) from None
    elif isinstance(value, str):
        text = value.strip()
        if _NON_FINITE_RE.fullmatch(text):
            raise KpiEngineError(NOT_FINITE, value=text)
        if not _NUMBER_RE.fullmatch(text):
            if _NUMBER_RE.fullmatch(_SEPARATOR_RE.sub("", text)):
                raise KpiEngineError(NUMBER_SEPARATORS, value=text)
            raise KpiEngineError(NOT_A_NUMBER, value=text)
        number = float(text)
    else:
        raise KpiEngineError(NOT_A_NUMBER, value=_text(value))
    if not math.isfinite(number):
        raise KpiEngineError(NOT_FINITE, value=_text(value))
    return number


def _to_number(value, column):
    return _number_cell(value)


def _to_integer(value, column):
    number = _number_cell(value)
    if not number.is_integer():
        raise KpiEngineError(
            _lt('The value "%(value)s" is not a whole number.'), value=_text(value)
        )
    return int(number)


def _to_date(value, column):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match:
        year, _sep, month, day = match.groups()
        with contextlib.suppress(ValueError):  # 2024-02-30: reported below like any non-date
            return datetime.date(int(year), int(month), int(day))
    raise KpiEngineError(
        _lt('The value "%(value)s" is not a date: use a date cell or YYYY-MM-DD.'),
        value=_text(value),
    )


def _to_datetime(value, column):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    match = _DATETIME_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match:
        year, _sep, month, day, hour, minute, second = match.groups()
        with contextlib.suppress(ValueError):  # 2024-05-03 25:00: reported below like any non-date
            return datetime.datetime(
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
            )
    raise KpiEngineError(
        _lt(
            'The value "%(value)s" is not a date and time: use a date cell or '
            "YYYY-MM-DD HH:MM."
        ),
        value=_text(value),
    )


def _to_bool(value, column):
    if isinstance(value, bool):
        return value
    text = _normalise(_text(value))
    if text in TRUE_TEXTS:
        return True
    if text in FALSE_TEXTS:
        return False
    raise KpiEngineError(
        _lt('The value "%(value)s" is not yes or no: use 1/0, yes/no or 是/否.'),
        value=_text(value),
    )


def _to_choice(value, column):
    text = _text(value)
    choice = column.choice_value(text)
    if choice is None:
        raise KpiEngineError(
            _lt('The value "%(value)s" is not one of: %(choices)s.'),
            value=text,
            choices=", ".join(label for label, _value in column.choices),
        )
    return choice


CONVERTERS = {
    TEXT: _to_text,
    NUMBER: _to_number,
    INTEGER: _to_integer,
    DATE: _to_date,
    DATETIME: _to_datetime,
    BOOL: _to_bool,
    CHOICE: _to_choice,
}


def _bound_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def _check_range(value, column):
    if column.minimum is not None and value < column.minimum:
        raise KpiEngineError(
            _lt("The value %(value)s is below the minimum of %(minimum)s."),
            value=_bound_text(value),
            minimum=_bound_text(column.minimum),
        )
    if column.maximum is not None and value > column.maximum:
        raise KpiEngineError(
            _lt("The value %(value)s is above the maximum of %(maximum)s."),
            value=_bound_text(value),
            maximum=_bound_text(column.maximum),
        )


def cell_reference(row, index):
    """``(7, 1)`` -> ``'B7'``: the cell of a 1-based row and a 0-based column."""
    return f"{_column_letter(index)}{row}"


def convert_cell(value, column, cell=""):
    """Return a cell converted to ``column``'s kind; ``None`` when empty.

    Raises :class:`KpiEngineError` with the reason the cell is refused.
    ``cell`` (``"B7"``) names the cell in the messages about error values and
    formulas.

    >>> try:
    ...     convert_cell("12", Column("n", "N", "integer", maximum=10))
    ... except KpiEngineError as error:
    ...     print(error)
    The value 12 is above the maximum of 10.
    >>> convert_cell("2024/5/3", Column("d", "Day", "date"))
    datetime.date(2024, 5, 3)
    >>> try:
    ...     convert_cell(FormulaCell("=1/0"), Column("n", "N", "number"), "B7")
    ... except KpiEngineError as error:
    ...     print(error)
    Cell B7 holds a formula (=1/0): type the value instead.
    """
    if isinstance(value, CellError):
        raise KpiEngineError(ERROR_CELL, cell=cell, value=value.code)
    if isinstance(value, FormulaCell):
        formula = value.formula
        if not formula:
            raise KpiEngineError(FORMULA_CELL_XLS, cell=cell)
        if len(formula) > MAX_SHOWN_FORMULA:
            formula = formula[: MAX_SHOWN_FORMULA - 1] + "…"
        raise KpiEngineError(FORMULA_CELL, cell=cell, formula=formula)
    if _is_blank(value):
        converted = None
    else:
        converted = CONVERTERS[column.kind](value, column)
    if converted is None:
        if column.required:
            raise KpiEngineError(_lt("Missing value: this column is required."))
        return None
    if column.kind in RANGE_KINDS:
        _check_range(converted, column)
    return converted


def parse_rows(table, columns):
    """Validate every row of ``table`` against ``columns``.

    Returns one dict per data row: ``{column.key: value, "_row": n}``, empty
    cells and absent optional columns giving ``None``.  Headers that match no
    column are ignored.  Otherwise raises :class:`ImportFailed` listing every
    problem: a missing required column (at the header row, once), and for each
    row and column a refused value, an invalid cell value (``#DIV/0!``) or a
    missing required value.
    """
    columns = tuple(columns)
    keys = [column.key for column in columns]
    if len(set(keys)) != len(keys) or "_row" in keys:
        raise KpiEngineError(
            _lt("The import column keys must be unique and not _row (got %(keys)s)."),
            keys=", ".join(keys),
        )
    issues = []
    positions = _match_headers(table, columns, issues)
    if not table.rows:
        issues.append(
            ImportIssue(
                table.sheet,
                table.header_row,
                "",
                _lt("The file has no data rows below the header."),
                {},
            )
        )
    records = []
    for number, cells in table.rows:
        record = {"_row": number}
        for column in columns:
            index = positions.get(column.key)
            if index is None:
                record[column.key] = None
                continue
            try:
                record[column.key] = convert_cell(
                    cells[index] if index < len(cells) else None,
                    column,
                    cell_reference(number, index),
                )
            except KpiEngineError as error:
                issues.append(
                    ImportIssue(
                        table.sheet,
                        number,
                        table.headers[index],
                        error.message,
                        error.params,
                    )
                )
        records.append(record)
    if issues:
        raise ImportFailed(issues)
    return records


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------


def template_header(columns):
    """Return the bilingual header labels of a template, in column order."""
    return [column.header for column in columns]


def template_rows(columns, sample_rows=()):
    """Return the rows of a template: the bilingual header, then the samples.

    A sample row is a mapping ``{key: value}`` (missing keys stay empty) or a
    sequence in column order.

    >>> columns = [
    ...     Column("badge", ("工号", "Badge ID"), "text"),
    ...     Column("n", "N", "integer"),
    ... ]
    >>> template_rows(columns, [{"badge": "E001", "n": 3}])
    [['工号 / Badge ID', 'N'], ['E001', 3]]
    """
    columns = tuple(columns)
    rows = [template_header(columns)]
    for sample in sample_rows:
        if hasattr(sample, "get"):
            rows.append([sample.get(column.key) for column in columns])
        else:
            values = list(sample)[: len(columns)]
            rows.append(values + [None] * (len(columns) - len(values)))
    return rows


def _display_width(text):
    """Approximate width of a text in Excel columns (CJK counts double)."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in str(text))


def write_xlsx_template(columns, sample_rows=(), title=None):
    """Return an ``.xlsx`` template: bold bilingual header, then the samples, on a
    sheet named ``title`` (Excel allows 31 characters, without ``[]:*?/\\``)."""
    import openpyxl  # optional: only needed for .xlsx files
    from openpyxl.styles import Font

    columns = tuple(columns)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31]
    for row in template_rows(columns, sample_rows):
        sheet.append(row)
    for index, column in enumerate(columns, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        letter = _column_letter(index - 1)
        sheet.column_dimensions[letter].width = max(
            12, _display_width(column.header) + 2
        )
        number_format = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}.get(
            column.kind
        )
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def write_csv_template(columns, sample_rows=()):
    """Return a ``.csv`` template (UTF-8 with BOM, so that Excel reads it)."""
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    for row in template_rows(columns, sample_rows):
        writer.writerow(["" if value is None else _text(value) for value in row])
    return stream.getvalue().encode("utf-8-sig")
