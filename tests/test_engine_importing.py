"""Pure tests of spreadsheet reading and row validation (no Odoo, no database).

Real files are built in the tests: ``.xlsx`` with openpyxl, ``.xls`` with xlwt,
``.csv`` in UTF-8 and GB18030.  RELIABILITY.md section G, tests 35 and 36: every
bad cell is reported with the row number of the file and its column, all at
once, and nothing is returned unless the whole file is valid.
"""

import ast
import datetime
import doctest
import io
import sys

import openpyxl
import pytest

try:
    from .engine_loader import ENGINE_DIR, load_engine
except ImportError:
    from engine_loader import ENGINE_DIR, load_engine

engine = load_engine()
Column = engine.Column
ImportFailed = engine.ImportFailed
ImportIssue = engine.ImportIssue
KpiEngineError = engine.KpiEngineError
Table = engine.Table
parse_rows = engine.parse_rows
read_table = engine.read_table

SCORE = "分数 / Score"
HEADER = ["工号 / Badge ID", SCORE, "次数 / Count", "日期 / Date", "类型 / Type"]
COLUMNS = (
    Column("badge", ("工号", "Badge ID"), "text"),
    Column("score", ("分数", "Score"), "number", minimum=0, maximum=100),
    Column("count", ("次数", "Count"), "integer", required=False, minimum=0),
    Column("day", ("日期", "Date"), "date"),
    Column(
        "kind",
        ("类型", "Type"),
        "choice",
        choices={
            "有效投诉 / Valid complaint": "valid",
            "重大投诉 / Major complaint": "major",
        },
    ),
)
DAY = datetime.date(2024, 5, 3)
MIDNIGHT = datetime.datetime(2024, 5, 3)


class ErrorValue(str):
    """Marks a cell to be written as a spreadsheet error value."""


DIV0 = ErrorValue("#DIV/0!")


# ---------------------------------------------------------------------------
# Real files
# ---------------------------------------------------------------------------


def xlsx_bytes(rows, hidden_first=None):
    """An .xlsx whose first visible sheet holds ``rows`` (``[]`` = blank row).

    ``hidden_first`` (rows) puts a hidden sheet before it.
    """
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    if hidden_first is not None:
        hidden = sheet
        hidden.title = "Hidden"
        hidden.sheet_state = "hidden"
        for row in hidden_first:
            hidden.append(row)
        sheet = workbook.create_sheet("Data")
    for row in rows:
        sheet.append(
            [str(value) if isinstance(value, ErrorValue) else value for value in row]
        )
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xls_bytes(rows, hidden_first=None):
    """An .xls (BIFF8, written by xlwt) with the same conventions."""
    xlwt = pytest.importorskip("xlwt")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    workbook = xlwt.Workbook()
    if hidden_first is not None:
        hidden = workbook.add_sheet("Hidden")
        hidden.visibility = 1
        for r, row in enumerate(hidden_first):
            for c, value in enumerate(row):
                hidden.write(r, c, value)
    sheet = workbook.add_sheet("Data")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, ErrorValue):
                sheet.row(r).set_cell_error(c, str(value))
            elif isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            elif isinstance(value, str) and value.startswith("="):
                sheet.write(r, c, xlwt.Formula(value[1:]))
            elif value is not None:
                sheet.write(r, c, value)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_bytes(rows, encoding="utf-8", delimiter=","):
    lines = []
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if delimiter in text or '"' in text:
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


BUILDERS = {"xlsx": xlsx_bytes, "xls": xls_bytes, "csv": csv_bytes}


def read(kind, rows, **options):
    return read_table(f"import.{kind}", BUILDERS[kind](rows, **options))


def failure(table, columns=COLUMNS):
    with pytest.raises(ImportFailed) as info:
        parse_rows(table, columns)
    return info.value.issues


def where(issues):
    return [(issue.row, issue.column) for issue in issues]


def good_row(badge="E001", score=95, day="2024-05-03"):
    return [badge, score, 2, day, "有效投诉"]


# ---------------------------------------------------------------------------
# Package hygiene
# ---------------------------------------------------------------------------


def test_doctests():
    result = doctest.testmod(sys.modules["kpi_engine.importing"])
    assert result.attempted > 0
    assert result.failed == 0


def test_spreadsheet_packages_are_imported_lazily():
    tree = ast.parse((ENGINE_DIR / "importing.py").read_text("utf-8"))
    top_level = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top_level.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            top_level.add(node.module.split(".")[0])
    assert not top_level & {"openpyxl", "xlrd", "xlwt", "odoo"}


def test_public_names_are_exported():
    for name in (
        "Column",
        "ImportFailed",
        "ImportIssue",
        "Table",
        "parse_rows",
        "read_table",
        "template_rows",
        "write_csv_template",
        "write_xlsx_template",
    ):
        assert name in engine.__all__
    assert issubclass(ImportFailed, KpiEngineError)


# ---------------------------------------------------------------------------
# A valid file in each format
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_valid_file_parses(kind):
    day = "2024-05-03" if kind == "csv" else MIDNIGHT
    table = read(
        kind,
        [
            HEADER,
            ["E001", 95.5, 2, day, "Valid complaint"],
            ["1002", 0, None, day, "major"],
        ],
    )
    assert table.headers == HEADER
    assert table.header_row == 1
    assert parse_rows(table, COLUMNS) == [
        {
            "_row": 2,
            "badge": "E001",
            "score": 95.5,
            "count": 2,
            "day": DAY,
            "kind": "valid",
        },
        {
            "_row": 3,
            "badge": "1002",
            "score": 0.0,
            "count": None,
            "day": DAY,
            "kind": "major",
        },
    ]


def test_badge_typed_as_number_reads_as_text():
    table = read(
        "xls", [HEADER, [1001, 95, 1, MIDNIGHT, "有效投诉"]]
    )  # xlrd gives 1001.0
    assert parse_rows(table, COLUMNS)[0]["badge"] == "1001"


def test_extra_columns_are_ignored_and_optional_columns_may_be_absent():
    header = ["姓名 / Name", "工号 / Badge ID", SCORE, "日期 / Date", "类型 / Type"]
    table = read("xlsx", [header, ["张三", "E001", 90, MIDNIGHT, "有效投诉"]])
    [record] = parse_rows(table, COLUMNS)
    assert record["count"] is None
    assert "name" not in record


# ---------------------------------------------------------------------------
# Test 35: text in a numeric column
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_text_in_number_column_reports_every_row(kind):
    rows = [
        HEADER,
        good_row(score="abc"),
        good_row(score="12,5"),
        good_row(score="1 000"),
    ]
    issues = failure(read(kind, rows))
    assert where(issues) == [(2, SCORE), (3, SCORE), (4, SCORE)]
    assert [issue.params["value"] for issue in issues] == ["abc", "12,5", "1 000"]
    assert (
        issues[0].text()
        == 'Row 2, column 分数 / Score: The value "abc" is not a number.'
    )
    for issue in issues[1:]:
        assert "a dot for decimals and no thousands separator" in issue.text()
    # The same file, fixed, imports fully.
    fixed = [HEADER, good_row(score="80"), good_row(score="12.5"), good_row(score=100)]
    assert [r["score"] for r in parse_rows(read(kind, fixed), COLUMNS)] == [
        80.0,
        12.5,
        100.0,
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3.5", "not a whole number"), (2.5, "not a whole number"), ("x", "not a number")],
)
def test_integer_column_refuses_fractions_and_text(value, expected):
    row = good_row()
    row[2] = value
    [issue] = failure(read("xlsx", [HEADER, row]))
    assert (issue.row, issue.column) == (2, "次数 / Count")
    assert expected in issue.text()


def test_integer_column_accepts_whole_floats():
    row = good_row()
    row[2] = "3.0"
    assert parse_rows(read("csv", [HEADER, row]), COLUMNS)[0]["count"] == 3


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(value):
    [issue] = failure(read("csv", [HEADER, good_row(score=value)]))
    assert "not a finite number" in issue.text()


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_cells_are_refused(value):
    with pytest.raises(KpiEngineError, match="not a finite number"):
        engine.convert_cell(value, Column("n", "N", "number"))


@pytest.mark.parametrize(
    ("value", "word"),
    [(-1, "below the minimum of 0"), (100.5, "above the maximum of 100")],
)
def test_values_out_of_range(value, word):
    [issue] = failure(read("xlsx", [HEADER, good_row(score=value)]))
    assert (issue.row, issue.column) == (2, SCORE)
    assert word in issue.text()


def test_range_on_dates():
    column = Column("d", "Day", "date", minimum=datetime.date(2024, 1, 1))
    with pytest.raises(
        KpiEngineError, match="2023-12-31 is below the minimum of 2024-01-01"
    ):
        engine.convert_cell("2023-12-31", column)


# ---------------------------------------------------------------------------
# Dates, booleans, choices, missing values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_real_date_cells(kind):
    rows = [
        HEADER,
        good_row(day=DAY),
        good_row(day=datetime.datetime(2024, 5, 3, 14, 30)),
    ]
    assert [r["day"] for r in parse_rows(read(kind, rows), COLUMNS)] == [DAY, DAY]


@pytest.mark.parametrize("text", ["2024-05-03", "2024/05/03", "2024/5/3", " 2024-5-3 "])
def test_date_strings_accepted(text):
    assert (
        parse_rows(read("csv", [HEADER, good_row(day=text)]), COLUMNS)[0]["day"] == DAY
    )


@pytest.mark.parametrize(
    "value", ["03/05/2024", "2024-02-30", "May 3", "2024-05/03", "20240503", 45415]
)
def test_non_dates_refused(value):
    [issue] = failure(read("xlsx", [HEADER, good_row(day=value)]))
    assert (issue.row, issue.column) == (2, "日期 / Date")
    assert "is not a date: use a date cell or YYYY-MM-DD" in issue.text()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-03 14:30", datetime.datetime(2024, 5, 3, 14, 30)),
        ("2024/5/3T08:05:09", datetime.datetime(2024, 5, 3, 8, 5, 9)),
        ("2024-05-03", MIDNIGHT),
        (DAY, MIDNIGHT),
        (datetime.datetime(2024, 5, 3, 9), datetime.datetime(2024, 5, 3, 9)),
    ],
)
def test_datetime_column(value, expected):
    assert engine.convert_cell(value, Column("at", "At", "datetime")) == expected


def test_datetime_column_refuses_bad_time():
    with pytest.raises(KpiEngineError, match="not a date and time"):
        engine.convert_cell("2024-05-03 25:00", Column("at", "At", "datetime"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("yes", True),
        ("是", True),
        (1, True),
        ("0", False),
        ("FALSE", False),
        ("否", False),
    ],
)
def test_bool_column(value, expected):
    assert engine.convert_cell(value, Column("b", "B", "bool")) is expected


def test_bool_column_refuses_other_text():
    with pytest.raises(KpiEngineError, match="not yes or no"):
        engine.convert_cell("maybe", Column("b", "B", "bool"))


@pytest.mark.parametrize(
    "text", ["有效投诉", "valid complaint", "有效投诉 / Valid complaint", "VALID"]
)
def test_choice_by_either_label_or_value(text):
    assert engine.convert_cell(text, COLUMNS[4]) == "valid"


def test_unknown_choice():
    row = good_row()
    row[4] = "投诉"
    [issue] = failure(read("xlsx", [HEADER, row]))
    assert (issue.row, issue.column) == (2, "类型 / Type")
    assert issue.params == {
        "value": "投诉",
        "choices": "有效投诉 / Valid complaint, 重大投诉 / Major complaint",
    }


def test_missing_required_value_and_empty_optional_value():
    row = good_row(badge="  ")
    row[2] = None
    [issue] = failure(read("xlsx", [HEADER, row]))
    assert (issue.row, issue.column) == (2, "工号 / Badge ID")
    assert (
        issue.text()
        == "Row 2, column 工号 / Badge ID: Missing value: this column is required."
    )


# ---------------------------------------------------------------------------
# All errors at once, header problems
# ---------------------------------------------------------------------------


def test_all_errors_are_collected():
    rows = [
        HEADER,
        ["E001", "abc", 1, "2024-05-03", "有效投诉"],
        ["E002", 50, 1, "not a date", "有效投诉"],
        [None, 50, -2, "2024-05-03", "other"],
        good_row(),
    ]
    issues = failure(read("xlsx", rows))
    assert where(issues) == [
        (2, SCORE),
        (3, "日期 / Date"),
        (4, "工号 / Badge ID"),
        (4, "次数 / Count"),
        (4, "类型 / Type"),
    ]
    assert "5 problem(s)" in str(ImportFailed(issues))


def test_missing_required_column_is_reported_with_row_errors():
    header = ["工号 / Badge ID", "日期 / Date", "类型 / Type"]
    issues = failure(read("csv", [header, ["E001", "bad", "有效投诉"]]))
    assert where(issues) == [(1, SCORE), (2, "日期 / Date")]
    assert issues[0].text() == (
        "Row 1, column 分数 / Score: "
        "The required column 分数 / Score is missing from the header row."
    )


def test_duplicate_and_ambiguous_headers():
    header = [*HEADER, "Score"]
    issues = failure(read("csv", [header, [*good_row(), 1]]))
    assert where(issues) == [(1, "Score")]
    assert issues[0].params == {"first": "B", "second": "F"}
    columns = (
        Column("a", ("Score",), "number"),
        Column("b", ("Points", "Score"), "number"),
    )
    issues = failure(read("csv", [["Score"], [1]]), columns)
    assert "matches several columns" in issues[0].text()


@pytest.mark.parametrize(
    "header",
    [
        "工号",
        "Badge ID",
        "badge id",
        "  BADGE   ID ",
        "工号 / Badge ID",
        "工号\n/\nBadge ID",
        "工号／Badge ID",
        "员工 / Badge ID",
    ],
)
def test_bilingual_header_matching(header):
    column = COLUMNS[0]
    assert column.matches(header)
    table = read("xlsx", [[header], ["E001"]])
    assert parse_rows(table, [column]) == [{"_row": 2, "badge": "E001"}]


@pytest.mark.parametrize(
    "header", ["工", "Badge", "工号/员工号", "Badge ID number", ""]
)
def test_bilingual_header_mismatch(header):
    assert not COLUMNS[0].matches(header)


def test_header_only_file_has_no_data_rows():
    issues = failure(read("xlsx", [HEADER]))
    assert where(issues) == [(1, "")]
    assert "no data rows" in issues[0].text()


# ---------------------------------------------------------------------------
# Test 36: structural anomalies
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_blank_rows_keep_file_row_numbers(kind):
    rows = [
        [],
        HEADER,
        good_row(),
        [],
        [None, None],
        good_row(score="abc"),
        [],
        good_row(badge=None),
    ]
    table = read(kind, rows)
    assert table.header_row == 2
    assert [number for number, _cells in table.rows] == [3, 6, 8]
    assert where(failure(table)) == [(6, SCORE), (8, "工号 / Badge ID")]


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_formula_without_cached_value_is_empty(kind):
    # Neither openpyxl nor xlwt store a calculated result for a formula.
    rows = [HEADER, good_row(score="=1+1"), good_row()]
    rows[2][2] = "=2*3"  # an optional column: just empty
    table = read(kind, rows)
    [issue] = failure(table)
    assert (issue.row, issue.column) == (2, SCORE)
    assert issue.message == "Missing value: this column is required."
    assert table.rows[1][1][2] is None


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_error_cells_are_invalid(kind):
    rows = [[*HEADER, "备注"], good_row(), good_row(score=DIV0), [*good_row(), DIV0]]
    table = read(kind, rows)
    assert table.rows[1][1][1] == engine.CellError("#DIV/0!")
    [issue] = failure(table)  # the error in the unmapped column is ignored
    assert (issue.row, issue.column) == (3, SCORE)
    assert issue.text() == "Row 3, column 分数 / Score: Invalid cell value #DIV/0!."


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_hidden_first_sheet_is_ignored(kind):
    content = BUILDERS[kind]([HEADER, good_row()], hidden_first=[["secret"], ["x"]])
    table = read_table(f"import.{kind}", content)
    assert table.sheet == "Data"
    assert table.headers == HEADER
    assert len(parse_rows(table, COLUMNS)) == 1


def test_size_limit_is_checked_before_parsing():
    content = b"not a workbook" * 300  # 4200 bytes, and unreadable
    with pytest.raises(ImportFailed) as info:
        read_table("big.xlsx", content, max_bytes=2048)
    [issue] = info.value.issues
    assert issue.params == {"size": "4.1", "limit": "2"}
    assert issue.text() == "The file is 4.1 KB, more than the limit of 2 KB."
    assert issue.row == 0
    assert read_table("ok.csv", b"a\n1\n", max_bytes=4).rows == [(2, ["1"])]


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        (
            "data.ods",
            b"x",
            'Unsupported file type ".ods": upload a .xlsx, .xls or .csv file.',
        ),
        (
            "data",
            b"x",
            'Unsupported file type "data": upload a .xlsx, .xls or .csv file.',
        ),
        ("data.csv", b"", "The file is empty."),
        (
            "data.xlsx",
            b"PK\x03\x04garbage",
            "The file could not be read as a .xlsx file",
        ),
        ("data.xls", b"garbage", "The file could not be read as a .xls file"),
        ("data.csv", b"\r\n ,  \r\n", "No header row found: the sheet is blank."),
    ],
)
def test_file_level_issues(filename, content, expected):
    with pytest.raises(ImportFailed) as info:
        read_table(filename, content)
    [issue] = info.value.issues
    assert issue.row == 0
    assert issue.text().startswith(expected)


def test_blank_workbook_has_no_header():
    with pytest.raises(ImportFailed, match="No header row found"):
        read("xlsx", [])


@pytest.mark.parametrize(
    ("filename", "builder"),
    [("real-xlsx.xls", xlsx_bytes), ("real-xls.xlsx", xls_bytes)],
)
def test_excel_file_under_the_other_extension(filename, builder):
    table = read_table(filename, builder([HEADER, good_row(day=DAY)]))
    assert parse_rows(table, COLUMNS)[0]["day"] == DAY


# ---------------------------------------------------------------------------
# CSV encodings and delimiters
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_encodings(encoding):
    table = read_table(
        "x.csv", csv_bytes([HEADER, good_row(badge="张三")], encoding=encoding)
    )
    assert table.headers == HEADER
    assert parse_rows(table, COLUMNS)[0]["badge"] == "张三"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(delimiter):
    rows = [HEADER, good_row(score="12.5"), good_row(score="1,5")]
    table = read_table("x.csv", csv_bytes(rows, delimiter=delimiter))
    assert table.headers == HEADER
    issues = failure(table)
    assert where(issues) == [(3, SCORE)]
    assert issues[0].params == {"value": "1,5"}


def test_csv_not_text():
    with pytest.raises(ImportFailed, match="not UTF-8 or GB18030"):
        read_table("x.csv", b"a,b\r\n\x80\xff\xfe\x81\x30\r\n")


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------

SAMPLES = [
    {"badge": "E001", "score": 95.5, "count": 2, "day": DAY, "kind": "有效投诉"},
    ["E002", 60, None, datetime.date(2024, 5, 31), "重大投诉 / Major complaint"],
]
PARSED = [
    {
        "_row": 2,
        "badge": "E001",
        "score": 95.5,
        "count": 2,
        "day": DAY,
        "kind": "valid",
    },
    {
        "_row": 3,
        "badge": "E002",
        "score": 60.0,
        "count": None,
        "day": datetime.date(2024, 5, 31),
        "kind": "major",
    },
]


def test_template_rows():
    assert engine.template_header(COLUMNS) == HEADER
    rows = engine.template_rows(COLUMNS, SAMPLES)
    assert rows[0] == HEADER
    assert rows[2] == [
        "E002",
        60,
        None,
        datetime.date(2024, 5, 31),
        "重大投诉 / Major complaint",
    ]
    assert engine.template_rows(COLUMNS) == [HEADER]


def test_xlsx_template_round_trip():
    content = engine.write_xlsx_template(COLUMNS, SAMPLES)
    table = read_table("template.xlsx", content)
    assert table.headers == HEADER
    assert parse_rows(table, COLUMNS) == PARSED
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["D2"].number_format == "yyyy-mm-dd"


def test_csv_template_round_trip():
    content = engine.write_csv_template(COLUMNS, SAMPLES)
    assert content.startswith(b"\xef\xbb\xbf")
    table = read_table("template.csv", content)
    assert table.headers == HEADER
    assert parse_rows(table, COLUMNS) == PARSED
    empty = read_table("template.csv", engine.write_csv_template(COLUMNS))
    assert empty.headers == HEADER and empty.rows == []


# ---------------------------------------------------------------------------
# Specs and messages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kind": "money"}, "Unknown import column kind"),
        ({"kind": "choice"}, "needs a list of choices"),
        ({"kind": "text", "choices": ["a"]}, "Only a choice column takes choices"),
        ({"kind": "text", "minimum": 0}, "only applies to numbers and dates"),
        (
            {"kind": "number", "minimum": 5, "maximum": 1},
            "minimum of column x is above its maximum",
        ),
        ({"kind": "text", "labels": ()}, "needs a key and labels"),
    ],
)
def test_bad_column_specs(kwargs, match):
    kwargs = {"key": "x", "labels": ("X",), **kwargs}
    with pytest.raises(KpiEngineError, match=match):
        Column(**kwargs)


def test_duplicate_column_keys_refused():
    with pytest.raises(KpiEngineError, match="must be unique"):
        parse_rows(
            Table("", ["A"], [(2, [1])]),
            [Column("a", "A", "number"), Column("a", "B", "number")],
        )


def test_issue_text_is_translated_piecewise():
    location = "Row %(row)s, column %(column)s: %(problem)s"
    summary = "The file was not imported: %(count)s problem(s) found."
    catalogue = {
        engine.importing.NOT_A_NUMBER: "值“%(value)s”不是数字。",
        location: "第 %(row)s 行，%(column)s 列：%(problem)s",
        summary: "文件未导入：发现 %(count)s 个问题。",
    }

    def translate(source, **params):  # the signature of env._
        return (
            catalogue.get(source, source) % params
            if params
            else catalogue.get(source, source)
        )

    issue = ImportIssue(
        "Data", 4, "分数", engine.importing.NOT_A_NUMBER, {"value": "abc"}
    )
    assert issue.text(translate) == "第 4 行，分数 列：值“abc”不是数字。"
    error = ImportFailed([issue, ImportIssue("", 0, "", "The file is empty.", {})])
    assert error.message == summary
    assert error.params == {"count": 2}
    assert error.text(translate).splitlines() == [
        "文件未导入：发现 2 个问题。",
        "第 4 行，分数 列：值“abc”不是数字。",
        "The file is empty.",
    ]
