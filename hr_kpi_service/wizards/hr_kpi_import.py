"""Spreadsheet import of recorded facts and indicator actuals (DESIGN §8, RELIABILITY G).

The file is read and its cells converted by the pure layer ``engine/importing.py``;
this wizard resolves the business keys (employees, incident types, survey cards,
departments, indicators and evaluations), checks them, and writes in batch.

Rules, all enforced here:

* every problem of every row is collected (cell values from ``parse_rows`` and the
  business checks below) and reported at once with sheet, row, column and reason;
  nothing is written unless the whole file is valid;
* files above the company's ``kpi_import_max_kb`` are refused before parsing, and
  files beyond the limits of ``engine/importing.py`` (uncompressed size, rows,
  columns, cells) before their rows are read; formula and error cells are refused
  naming the cell; an upload that is not base64 is refused;
* employees are matched by badge ID, else work e-mail, else exact name, within the
  company, with one search for the whole file;
* re-importing a file creates no duplicates: each record row is keyed by a stable
  fingerprint (``import_key``, see ``_fingerprint`` and KEY_FIELDS), rows whose key
  exists are skipped; actuals are keyed by their evaluation line and simply set;
* one ``create(vals_list)`` per model; actuals are assigned in the cache and
  flushed together (one batched UPDATE per 1,000 lines), never one ``write`` a row;
* a file of more than ``hr_kpi_service.import_job_rows`` rows is imported by one
  background job when a job runner serves the database: the wizard only decides and
  enqueues, the job is ``models/hr_kpi_import_job.py``.
"""

import base64
import binascii
import hashlib
import re
from collections import defaultdict
from datetime import date, datetime
from urllib.parse import urlencode

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import (
    COEFFICIENT_MAX,
    LIKERT_SCALES,
    Column,
    ImportFailed,
    ImportIssue,
    KpiEngineError,
    convert_cell,
    parse_rows,
    read_table,
    write_csv_template,
    write_xlsx_template,
)
from ..engine.errors import _lt
from ..engine.importing import (
    LAST_COLUMN,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_MB,
    cell_reference,
)
from ..models.hr_kpi_commission_month import AMOUNTS as ADVISOR_AMOUNTS
from ..models.hr_kpi_evaluation import APPROVED_STATES
from ..models.hr_kpi_evaluation_line import MAX_ACTUAL
from ..models.hr_kpi_indicator import COMPUTED_SOURCES
from ..models.hr_kpi_number_checks import COUNT_MAX, MONEY_MAX
from ..models.hr_kpi_survey_answer import ANSWER_LETTERS
from ..models.kpi_policy import KpiPolicy

IMPORT_TYPES = [
    ("incident", "Incidents"),
    ("survey", "Survey cards"),
    ("activity", "Activity records"),
    ("sla", "Service-level records"),
    ("actual", "Indicator actuals"),
    ("commission", "Service advisor months"),
    ("team_revenue", "Team repair revenue"),
]
TEMPLATE_FORMATS = [("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)")]
# Bilingual names of the downloaded templates: "<zh>导入模板 - <en> Import Template.xlsx"
TEMPLATE_NAMES = {
    "incident": ("事件", "Incidents"),
    "survey": ("调查卡", "Survey Cards"),
    "activity": ("活动记录", "Activity Records"),
    "sla": ("服务时效记录", "Service Levels"),
    "actual": ("指标实际值", "Indicator Actuals"),
    "commission": ("服务顾问月度业绩", "Service Advisor Months"),
    "team_revenue": ("团队维修收入", "Team Repair Revenue"),
}
RECORD_MODELS = {
    "incident": "hr.kpi.incident",
    "survey": "hr.kpi.survey",
    "activity": "hr.kpi.activity.record",
    "sla": "hr.kpi.sla.record",
    "commission": "hr.kpi.commission.month",
    "team_revenue": "hr.kpi.team.revenue",
}
KILOBYTE = 1024
EXACT_INTEGER_LIMIT = 1e15  # whole numbers shown digit by digit below this
# Dates outside these bounds are typing errors (2206 for 2026, a 0 read as 1899...).
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2099, 12, 31)
DATETIME_MIN, DATETIME_MAX = datetime(2000, 1, 1), datetime(2099, 12, 31, 23, 59, 59)
MAX_LISTED_ISSUES = 200  # the error dialog lists this many, then "... and n more"
MIN_SURVEY_QUESTIONS = 4  # question columns of the survey template (more if a card has more)
KEY_SEPARATOR = "\x1f"  # joins the fields of a fingerprint; never typed in a cell
PARTICIPANT_SEPARATORS = re.compile(r"[,，;；、\n]+")
# Methods whose actual is a count, which cannot be negative.
COUNT_METHODS = ("deduction", "escalating", "penalty")

# Chinese / English choice labels; the codes themselves are accepted too.
ACTIVITY_CHOICES = {
    "培训 / Training": "training",
    "知识分享 / Knowledge sharing": "knowledge_sharing",
    "供应商交流 / Supplier exchange": "supplier_exchange",
    "外出拜访 / External visit": "external_visit",
    "客户资料库更新 / Customer database update": "database_update",
    "客户分析报告 / Customer analysis report": "analysis_report",
}
SLA_CHOICES = {
    "紧急 / Urgent": "urgent",
    "一般 / General": "general",
    "咨询 / Consultation": "consultation",
    "投诉 / Complaint": "complaint",
}

# ---------------------------------------------------------------------------
# Column specs (headers are "中文 / English"; either side alone is accepted)
# ---------------------------------------------------------------------------
EMPLOYEE_COLUMNS = (
    Column("badge", ("工号", "Badge ID"), "text", required=False),
    Column("email", ("工作邮箱", "Work Email"), "text", required=False),
    Column("name", ("姓名", "Name"), "text", required=False),
)
EMPLOYEE_KEYS = ("badge", "email", "name")


def _date_column(key, labels, required=True):
    return Column(key, labels, "date", required=required, minimum=DATE_MIN, maximum=DATE_MAX)


def _datetime_column(key, labels, required=True):
    return Column(
        key, labels, "datetime", required=required, minimum=DATETIME_MIN, maximum=DATETIME_MAX
    )


INCIDENT_COLUMNS = (
    *EMPLOYEE_COLUMNS,
    _date_column("date", ("日期", "Date")),
    Column("type", ("类型", "Type"), "text"),
    Column("description", ("说明", "Description"), "text", required=False),
    Column("points", ("分值", "Points"), "number", required=False, minimum=0),
    Column("confirmed", ("已确认", "Confirmed"), "bool", required=False),
)
ACTIVITY_COLUMNS = (
    Column("type", ("类型", "Type"), "choice", choices=ACTIVITY_CHOICES),
    _date_column("date", ("日期", "Date")),
    Column("hours", ("小时数", "Hours"), "number", required=False, minimum=0, maximum=1000),
    Column("place", ("地点", "Place"), "text", required=False),
    Column("participants", ("参与人", "Participants"), "text"),
    Column("content", ("内容", "Content"), "text", required=False),
)
SLA_COLUMNS = (
    Column("reference", ("单号", "Reference"), "text"),
    *EMPLOYEE_COLUMNS,
    Column("priority", ("优先级", "Priority"), "choice", choices=SLA_CHOICES),
    _datetime_column("received", ("受理时间", "Received")),
    _datetime_column("first_response", ("首次响应时间", "First Response"), required=False),
    _datetime_column("solved", ("解决时间", "Solved"), required=False),
)
ACTUAL_COLUMNS = (
    *EMPLOYEE_COLUMNS,
    Column("indicator", ("指标代码", "Indicator Code"), "text"),
    # Only for the reader of a pre-filled template; the code identifies the indicator.
    Column("indicator_name", ("指标名称", "Indicator Name"), "text", required=False),
    Column("actual", ("实际值", "Actual"), "number"),
    Column(
        "major",
        ("重大事件数", "Major Incidents"),
        "integer",
        required=False,
        minimum=0,
        maximum=1000,
    ),
)


def _money_column(key, labels, required=True):
    return Column(key, labels, "number", required=required, minimum=0, maximum=MONEY_MAX)


def _count_column(key, labels):
    return Column(key, labels, "integer", minimum=0, maximum=COUNT_MAX)


# Seed 000 4S店售后服务绩效考核方案: one row per service advisor and month.
COMMISSION_COLUMNS = (
    *EMPLOYEE_COLUMNS,
    Column("group", ("业务组", "Group"), "text", required=False),
    _money_column("repair_receipts", ("维修结算收款", "Repair Receipts")),
    _money_column("warranty_claims", ("索赔回款", "Warranty Claims Received"), required=False),
    _money_column("accident_repairs", ("事故车维修金额", "Accident Repairs"), required=False),
    _money_column("production_target", ("产值目标", "Production Target")),
    _count_column("intake", ("接车台次", "Vehicles Received")),
    _count_column("intake_target", ("接车台次目标", "Vehicle Intake Target")),
    _money_column("accessory_sales", ("精品营业额", "Accessory Sales"), required=False),
    _money_column("accessory_list", ("精品标价金额", "Accessory List Value"), required=False),
    Column(
        "coefficient",
        ("个人系数", "Personal Coefficient"),
        "number",
        required=False,
        minimum=0,
        maximum=COEFFICIENT_MAX,
    ),
    Column("confirmed", ("已确认", "Confirmed"), "bool", required=False),
)


# Seed 000 目标责任书 5.1: one row per team and month of the period (季度维修收入).
TEAM_REVENUE_COLUMNS = (
    Column("department", ("团队", "Team"), "text"),
    _date_column("month", ("月份", "Month")),
    _money_column("amount", ("维修收入", "Repair Revenue")),
    Column("note", ("来源", "Source"), "text", required=False),
)


def _survey_columns(question_count):
    """Survey rows: one row per filled card, answers A–E in the columns Q1..Qn."""
    questions = tuple(
        Column(
            f"q{number}",
            (f"第{number}题", f"Q{number}"),
            "choice",
            required=False,
            choices=tuple(ANSWER_LETTERS),
        )
        for number in range(1, question_count + 1)
    )
    return (
        Column("card", ("卡号", "Card"), "text"),
        _date_column("date", ("日期", "Date")),
        Column("respondent", ("填表人", "Respondent"), "text"),
        *EMPLOYEE_COLUMNS,
        Column("department", ("被评部门", "Department"), "text", required=False),
        *questions,
        Column("comment", ("意见建议", "Suggestions"), "text", required=False),
    )


# ---------------------------------------------------------------------------
# Messages (English, named placeholders; translated with self.env._ when shown)
# ---------------------------------------------------------------------------
NO_EMPLOYEE_COLUMN = _lt("The file needs at least one employee column: %(columns)s.")
NO_EMPLOYEE = _lt("Fill the badge ID, the work email or the name of the employee.")
UNKNOWN_EMPLOYEE = _lt('Unknown employee "%(value)s".')
AMBIGUOUS_EMPLOYEE = _lt("Ambiguous employee: %(names)s.")
BADGE_RIGHTS = _lt(
    "Badge IDs can only be matched by users with Employees rights: fill the work email "
    "or the name column instead, or ask an HR officer to import this file."
)
UNKNOWN_TYPE = _lt('Unknown incident type "%(value)s": use a type code such as %(example)s.')
UNKNOWN_CARD = _lt('Unknown survey card "%(value)s": use one of %(codes)s.')
UNKNOWN_DEPARTMENT = _lt('Unknown department "%(value)s".')
AMBIGUOUS_DEPARTMENT = _lt('Ambiguous department "%(value)s": %(names)s.')
NO_EVALUATED = _lt("Fill the evaluated employee (badge ID, work email or name) or the department.")
MISSING_ANSWER = _lt("Missing answer: card %(card)s has question %(number)s.")
EXTRA_ANSWER = _lt("Card %(card)s has only %(count)s questions: leave this column empty.")
UNKNOWN_PARTICIPANT = _lt('Unknown participant "%(value)s".')
AMBIGUOUS_PARTICIPANT = _lt('Ambiguous participant "%(value)s": %(names)s.')
RESPONSE_BEFORE = _lt("The first response is before the request was received.")
SOLVED_BEFORE = _lt("The request is solved before it was received.")
UNKNOWN_INDICATOR = _lt('Unknown indicator code "%(value)s".')
NO_EVALUATION = _lt("%(employee)s has no evaluation for %(period)s.")
NOT_IN_EVALUATION = _lt(
    "The indicator %(code)s is not in the evaluation of %(employee)s for %(period)s."
)
SEVERAL_LINES = _lt(
    "The indicator %(code)s appears in several evaluations of %(employee)s for %(period)s."
)
LOCKED_EVALUATION = _lt(
    "The evaluation %(evaluation)s is %(state)s and locked: a KPI officer must reopen it "
    "before its values can change."
)
OVERRIDDEN_ACTUAL = _lt(
    "The indicator %(code)s of %(employee)s is overridden by HR's correction: a KPI "
    "officer removes the override (Correct) before an imported value counts."
)
RATED_ACTUAL = _lt(
    "The indicator %(code)s of %(employee)s is rated (submitted ratings): scoring would "
    "replace an imported value."
)
SOURCED_INDICATOR = _lt(
    "The indicator %(code)s takes its value from recorded facts (%(origin)s): import "
    "those records instead."
)
OUT_OF_RANGE = _lt(
    "The value %(value)s is outside the range %(minimum)s to %(maximum)s of indicator %(code)s."
)
NEGATIVE_COUNT = _lt("The indicator %(code)s counts events: the value cannot be negative.")
DUPLICATE_ROW = _lt("Duplicate row: row %(row)s already has the same %(key)s.")
KEY_FIELDS = {
    "incident": _lt("employee, date, type and description"),
    "survey": _lt("card, date, respondent and evaluated employee or department"),
    "activity": _lt("type, date, place, participants and content"),
    "sla": _lt("reference and employee"),
    "actual": _lt("employee and indicator"),
    "commission": _lt("employee"),
    "team_revenue": _lt("team and month"),
}
MONTH_ALREADY = _lt(
    "%(employee)s already has other figures for %(period)s: correct that record, or delete "
    "it while it is not confirmed, then import again."
)
NOT_A_MONTH = _lt("Service advisor months are imported into a month, not into %(period)s.")
UNKNOWN_GROUP = _lt('Unknown commission group "%(value)s".')
NO_GROUP = _lt("%(employee)s is in no commission group: name his group or ask HR to add him.")
NOT_A_MEMBER = _lt("%(employee)s is not a member of the commission group %(group)s.")


def _norm(text):
    """Collapse whitespace; compare names and descriptions on what the user sees."""
    return " ".join(str(text).split()) if text is not None else ""


def _fingerprint(*parts):
    """sha1 of the normalised key fields: stable across re-imports of the same row."""
    text = KEY_SEPARATOR.join(_norm(part) if part not in (None, False) else "" for part in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _format_number(value):
    """``12.0`` -> ``'12'``, ``12.5`` -> ``'12.5'``, ``1e300`` -> ``'1e+300'``."""
    if float(value).is_integer() and abs(value) < EXACT_INTEGER_LIMIT:
        return str(int(value))
    return f"{value:g}"


class _EmployeeIndex:
    """Employees of one company matched by badge, work e-mail or exact name.

    Built with ONE search for every identifier of the file. When several
    employees share an identifier, active ones win over archived ones.
    """

    def __init__(self, env, company, badges, emails, names, with_badges):
        self.with_badges = with_badges
        badges, emails, names = set(badges), set(emails), set(names)
        clauses = []
        if with_badges and badges:
            clauses.append([("barcode", "in", sorted(badges))])
        if emails:
            variants = sorted(emails | {email.lower() for email in emails})
            clauses.append([("work_email", "in", variants)])
        if names:
            clauses.append([("name", "in", sorted(names))])
        self.by_badge, self.by_email, self.by_name = (defaultdict(list) for _i in range(3))
        if not clauses:
            return
        field_names = ["name", "work_email", "active"] + (["barcode"] if with_badges else [])
        domain = [("company_id", "=", company.id)]
        domain += ["|"] * (len(clauses) - 1) + [leaf for clause in clauses for leaf in clause]
        employees = (
            env["hr.employee"]
            .with_context(active_test=False)
            .search_fetch(domain, field_names, order="id")
        )
        for employee in employees:
            if with_badges and employee.barcode:
                self.by_badge[employee.barcode.strip()].append(employee)
            if employee.work_email:
                self.by_email[employee.work_email.strip().casefold()].append(employee)
            self.by_name[_norm(employee.name)].append(employee)

    def _lookup(self, kind, value):
        table = {"badge": self.by_badge, "email": self.by_email, "name": self.by_name}[kind]
        key = value.strip().casefold() if kind == "email" else _norm(value)
        found = table.get(key, [])
        active = [employee for employee in found if employee.active]
        return active or found

    def match(self, badge=None, email=None, name=None):
        """Return ``(employees found, key used)`` with the first identifier given."""
        for kind, value in (("badge", badge), ("email", email), ("name", name)):
            if value:
                return self._lookup(kind, value), kind
        return [], None

    def match_token(self, token):
        """A participant: a badge, else an e-mail, else a name."""
        for kind in ("badge", "email", "name"):
            if kind == "badge" and not self.with_badges:
                continue
            found = self._lookup(kind, token)
            if found:
                return found
        return []

    def describe(self, employees):
        """ "张伟 (880003), 张伟 (zhang.wei2@example.com)" for an ambiguity message."""
        parts = []
        for employee in employees:
            detail = (self.with_badges and employee.barcode) or employee.work_email
            parts.append(f"{employee.name} ({detail})" if detail else employee.name)
        return ", ".join(parts)


class _Run:
    """One import: the table, the header positions and the issues collected."""

    def __init__(self, wizard, table, columns):
        self.wizard = wizard
        self.env = wizard.env
        self.company = wizard.company_id
        self.table = table
        self.columns = {column.key: column for column in columns}
        self.positions = {}
        for index, header in enumerate(table.headers):
            for column in columns:
                if column.key not in self.positions and column.matches(header):
                    self.positions[column.key] = index
        self.issues = []
        self.refused_cells = set()  # (row number, key) of the cells parse_rows refused
        self.employees = None

    def header(self, key):
        index = self.positions.get(key)
        return self.table.headers[index] if index is not None else self.columns[key].header

    def issue(self, row, key, message, /, **params):
        self.issues.append(
            ImportIssue(
                self.table.sheet, row["_row"], self.header(key) if key else "", message, params
            )
        )

    def parse(self):
        """Rows as dicts; the cells ``parse_rows`` refused are None (their issues kept)."""
        columns = tuple(self.columns.values())
        try:
            return parse_rows(self.table, columns)
        except ImportFailed as failed:
            self.issues.extend(failed.issues)
        rows = []
        for number, cells in self.table.rows:
            row = {"_row": number}
            for column in columns:
                index = self.positions.get(column.key)
                row[column.key] = None
                if index is not None and index < len(cells):
                    try:
                        row[column.key] = convert_cell(
                            cells[index], column, cell_reference(number, index)
                        )
                    except KpiEngineError:  # reported by parse_rows: remember, not twice
                        self.refused_cells.add((number, column.key))
            rows.append(row)
        return rows

    def refused(self, row, key):
        """Whether the cell was refused by ``parse_rows`` (its issue is already listed)."""
        return (row["_row"], key) in self.refused_cells

    # --- employees --------------------------------------------------------
    def can_read_badges(self):
        return self.env["hr.employee"]._fields["barcode"].is_accessible(self.env)

    def index_employees(self, rows, tokens=()):
        """Build the employee index from the rows' identifiers (and participant tokens)."""
        with_badges = self.can_read_badges()
        badges = {row["badge"] for row in rows if row.get("badge")} | set(tokens)
        emails = {row["email"] for row in rows if row.get("email")} | set(tokens)
        names = {_norm(row["name"]) for row in rows if row.get("name")} | set(tokens)
        if not with_badges:
            # Rows that also give an e-mail or a name are matched by those instead.
            badge_only = [
                row
                for row in rows
                if row.get("badge") and not (row.get("email") or row.get("name"))
            ]
            if badge_only:
                self.issue(badge_only[0], "badge", BADGE_RIGHTS)
        self.employees = _EmployeeIndex(self.env, self.company, badges, emails, names, with_badges)

    def check_employee_columns(self, rows, optional=False):
        """Header check: at least one of badge / email / name. False when none."""
        if any(key in self.positions for key in EMPLOYEE_KEYS):
            return True
        if not optional and rows:
            self.issues.append(
                ImportIssue(
                    self.table.sheet,
                    self.table.header_row,
                    "",
                    NO_EMPLOYEE_COLUMN,
                    {"columns": ", ".join(column.header for column in EMPLOYEE_COLUMNS)},
                )
            )
        return False

    def employee(self, row, required=True):
        """The row's employee, or None (the issue is recorded)."""
        if (
            not self.employees.with_badges
            and row.get("badge")
            and not (row.get("email") or row.get("name"))
        ):
            return None  # BADGE_RIGHTS is reported once for the file
        badge = row.get("badge") if self.employees.with_badges else None
        found, kind = self.employees.match(badge, row.get("email"), row.get("name"))
        if kind is None:
            if required:
                self.issue(row, "name" if "name" in self.positions else "", NO_EMPLOYEE)
            return None
        if not found:
            self.issue(row, kind, UNKNOWN_EMPLOYEE, value=row[kind])
            return None
        if len(found) > 1:
            self.issue(row, kind, AMBIGUOUS_EMPLOYEE, names=self.employees.describe(found))
            return None
        return found[0]

    def check_duplicates(self, keyed, import_type):
        """Report every row whose key already appeared higher in the file."""
        first = {}
        for row, key in keyed:
            if key in first:
                self.issue(
                    row, "", DUPLICATE_ROW, row=first[key], key=self.env._(KEY_FIELDS[import_type])
                )
            else:
                first[key] = row["_row"]


class HrKpiImport(models.TransientModel):
    """Import incidents, survey cards, activity records, service-level records or
    indicator actuals from a .xlsx, .xls or .csv file, all or nothing."""

    _name = "hr.kpi.import"
    _inherit = ["hr.kpi.protected.mixin"]
    # A wizard: its values are checked like any record's; its buttons are the actions.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "KPI Spreadsheet Import"

    import_type = fields.Selection(IMPORT_TYPES, string="Import", required=True, default="incident")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    file = fields.Binary(
        attachment=False,
        help=(
            "A .xlsx, .xls or .csv file, refused at once beyond these limits: the largest "
            "file size of the company; a .xlsx at most "
            f"{MAX_UNCOMPRESSED_MB} MB once uncompressed; at most {MAX_ROWS:,} rows "
            f"(header and blank rows included), {MAX_COLUMNS} columns (A to {LAST_COLUMN}) "
            f"and {MAX_CELLS:,} cells. Formulas and "
            "error values (#DIV/0!) are refused: type the values."
        ),
    )
    filename = fields.Char()
    period_id = fields.Many2one(
        "hr.kpi.period",
        domain="[('company_id', '=', company_id)]",
        help="Indicator actuals: the evaluations of this period receive the values.",
    )
    template_format = fields.Selection(TEMPLATE_FORMATS, required=True, default="xlsx")
    template_file = fields.Binary(compute="_compute_template", attachment=False)
    template_filename = fields.Char(compute="_compute_template")
    max_kb = fields.Integer(related="company_id.kpi_import_max_kb", string="Largest File (KB)")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Imported"), ("queued", "In the Background")],
        default="draft",
    )
    new_count = fields.Integer(string="New", readonly=True)
    skipped_count = fields.Integer(string="Already Imported", readonly=True)
    result = fields.Text(readonly=True)
    import_job_id = fields.Many2one("hr.kpi.import.job", string="Import Record", readonly=True)

    # ------------------------------------------------------------------
    # Templates
    # ------------------------------------------------------------------
    def _columns(self):
        self.ensure_one()
        if self.import_type == "survey":
            return _survey_columns(self._survey_question_count())
        return {
            "incident": INCIDENT_COLUMNS,
            "activity": ACTIVITY_COLUMNS,
            "sla": SLA_COLUMNS,
            "actual": ACTUAL_COLUMNS,
            "commission": COMMISSION_COLUMNS,
            "team_revenue": TEAM_REVENUE_COLUMNS,
        }[self.import_type]

    def _survey_question_count(self):
        groups = self.env["hr.kpi.survey.question"]._read_group(
            [("card_id.active", "=", True)], ["card_id"], ["__count"]
        )
        return max([MIN_SURVEY_QUESTIONS] + [count for _card, count in groups])

    @api.depends("import_type", "template_format", "period_id")
    def _compute_template(self):
        for wizard in self:
            if not wizard.import_type:
                wizard.template_file = wizard.template_filename = False
                continue
            columns = wizard._columns()
            samples = wizard._template_rows()
            chinese, english = TEMPLATE_NAMES[wizard.import_type]
            if wizard.template_format == "csv":
                content = write_csv_template(columns, samples)
            else:
                content = write_xlsx_template(columns, samples, title=f"{chinese} {english}")
            wizard.template_file = base64.b64encode(content)
            wizard.template_filename = (
                f"{chinese}导入模板 - {english} Import Template.{wizard.template_format}"
            )

    def _template_rows(self):
        """Actuals with a period: one row per line to fill (employee, indicator)."""
        if self.import_type != "actual" or not self.period_id:
            return []
        lines = self.env["hr.kpi.evaluation.line"].search(
            [
                ("evaluation_id.period_id", "=", self.period_id.id),
                ("evaluation_id.state", "not in", APPROVED_STATES),
                ("indicator_id.source_type", "not in", COMPUTED_SOURCES),
            ]
        )
        with_badges = self.env["hr.employee"]._fields["barcode"].is_accessible(self.env)
        return [
            {
                "badge": line.employee_id.barcode if with_badges else None,
                "email": line.employee_id.work_email,
                "name": line.employee_id.name,
                "indicator": line.indicator_id.code,
                "indicator_name": line.indicator_id.name,
                "actual": line.actual_value if line.has_actual else None,
            }
            for line in lines
            if line.indicator_id.code
        ]

    def action_download_template(self):
        self.ensure_one()
        self._check_import_rights()
        query = urlencode(
            {
                "model": self._name,
                "id": self.id,
                "field": "template_file",
                "filename_field": "template_filename",
                "download": "true",
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content?{query}", "target": "self"}

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def _check_import_rights(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_manager"):
            raise AccessError(
                self.env._("Only a KPI manager or officer can import spreadsheets of KPI data.")
            )

    def _read_file(self):
        """The uploaded file as a Table; size checked before anything is parsed."""
        if not self.file:
            raise UserError(self.env._("Choose the file to import."))
        if self.import_type == "actual" and not self.period_id:
            raise UserError(self.env._("Choose the period whose evaluations receive the actuals."))
        if self.import_type == "commission" and not self.period_id:
            raise UserError(self.env._("Choose the month of the service advisors' figures."))
        if self.import_type == "team_revenue" and not self.period_id:
            raise UserError(
                self.env._(
                    "Choose the quarter (or month) whose team repair revenue the file holds."
                )
            )
        if self.import_type == "commission" and self.period_id.period_type != "monthly":
            raise UserError(self.env._(NOT_A_MONTH, period=self.period_id.display_name))
        if self.period_id and self.period_id.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "The period %(period)s is not a period of %(company)s, the company you "
                    "import for.",
                    period=self.period_id.display_name,
                    company=self.company_id.name,
                )
            )
        content = self._file_content()
        try:
            return read_table(
                self.filename or "", content, max_bytes=self.company_id.kpi_import_max_kb * KILOBYTE
            )
        except ImportFailed as failed:
            raise UserError(self._issues_text(None, failed.issues)) from None

    def _file_content(self):
        """The uploaded bytes; a binary value that is not base64 is refused."""
        value = self.file
        if isinstance(value, str):
            value = value.encode("ascii", "replace")
        try:
            return base64.b64decode(b"".join(value.split()), validate=True)
        except (binascii.Error, ValueError):
            raise UserError(
                self.env._(
                    "The uploaded file could not be decoded (the upload was not base64 "
                    "data): choose the file again."
                )
            ) from None

    def _issues_text(self, table, issues):
        _ = self.env._
        issues = sorted(issues, key=lambda issue: issue.row)
        summary = ImportFailed(issues)
        lines = [_(summary.message, **summary.params)]
        if table is not None and table.sheet:
            lines.append(_("Sheet: %(sheet)s", sheet=table.sheet))
        lines.extend(issue.text(_) for issue in issues[:MAX_LISTED_ISSUES])
        if len(issues) > MAX_LISTED_ISSUES:
            lines.append(_("... and %(count)s more.", count=len(issues) - MAX_LISTED_ISSUES))
        return "\n".join(lines)

    def action_import(self):
        """Validate the whole file, then write it; raise one UserError listing every problem.

        A file of more than ``hr_kpi_service.import_job_rows`` data rows (default 5,000)
        is not imported in the request when a job runner serves the database: after the
        checks above (rights, period, the file's limits), ``hr.kpi.import.job`` keeps it
        and ONE background job imports it, all or nothing in one transaction (a file
        holds at most 20,000 rows). Below that size, or with no runner, it is imported
        here.
        """
        self.ensure_one()
        self._check_import_rights()
        table = self._read_file()
        ImportJob = self.env["hr.kpi.import.job"]
        if ImportJob._use_job(len(table.rows)):
            record = ImportJob._launch(self, len(table.rows))
            self.write(
                {
                    "state": "queued",
                    "import_job_id": record.id,
                    "result": self.env._(
                        "The file has %(rows)s rows: it is imported in the background; you "
                        "will be notified in Discuss and can follow it under Performance → "
                        "Records → Imports.",
                        rows=len(table.rows),
                    ),
                    "file": False,
                }
            )
        else:
            new, skipped, result = self._import_table(table)
            self.write(
                {
                    "state": "done",
                    "new_count": new,
                    "skipped_count": skipped,
                    "result": result,
                    "file": False,
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Spreadsheet"),
        }

    def _import_table(self, table, queued_at=None):
        """Check every row of `table`, then write them all: (new, skipped, result text).

        Raises one UserError listing every problem, before anything is written.
        `queued_at`: when a background import was queued; actuals changed since then
        (typed, or imported again) are not overwritten by the older file."""
        run = _Run(self, table, self._columns())
        rows = run.parse()
        prepared = getattr(self, f"_prepare_{self.import_type}")(run, rows)
        if run.issues:
            raise UserError(self._issues_text(table, run.issues))
        if self.import_type == "actual":
            if queued_at:
                self._check_unchanged_since(prepared, queued_at)
            new, skipped = self._write_actuals(prepared), 0
            result = self.env._(
                "%(count)s indicator values set. Run Compute Scores on the evaluations to "
                "update their totals.",
                count=new,
            )
        else:
            new, skipped = self._create_new(RECORD_MODELS[self.import_type], prepared)
            result = self.env._(
                "%(new)s new, %(skipped)s already imported.", new=new, skipped=skipped
            )
        return new, skipped, result

    def action_open_import_job(self):
        self.ensure_one()
        return self.import_job_id.action_open()

    def _create_new(self, model_name, vals_list):
        """Create the rows whose key is not in the database yet: (new, skipped)."""
        Model = self.env[model_name]
        keys = [vals["import_key"] for vals in vals_list]
        existing = set(
            Model.search_fetch([("import_key", "in", keys)], ["import_key"]).mapped("import_key")
        )
        todo = [vals for vals in vals_list if vals["import_key"] not in existing]
        if todo:
            Model = Model.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            # Incidents confirm their "confirmed" rows through their own action (four-eyes).
            getattr(Model, "_kpi_import_create", Model.create)(todo)
        return len(todo), len(vals_list) - len(todo)

    def _check_unchanged_since(self, assignments, queued_at):
        changed = [line for line, _a, _m in assignments if line.write_date > queued_at]
        if changed:
            raise UserError(
                self.env._(
                    "%(count)s of these values changed after the file was queued (%(lines)s): "
                    "nothing was imported, so that the older file does not overwrite them. "
                    "Import the file again if its values are still the right ones.",
                    count=len(changed),
                    lines=", ".join(
                        f"{line.employee_id.name} / {line.indicator_id.name}"
                        for line in changed[:10]
                    ),
                )
            )

    def _write_actuals(self, assignments):
        """Set [(line, actual, major or None)] in batch; returns the number of lines.

        Rights are checked once for all lines (ACL and record rules, as write() would),
        the lock was checked row by row. The values are then assigned in the cache under
        ``protecting`` (no per-row write(): no per-row access query) and flushed together.
        """
        Line = self.env["hr.kpi.evaluation.line"]
        lines = Line.browse(list(dict.fromkeys(line.id for line, _a, _m in assignments)))
        lines.check_access("write")
        lines.evaluation_id._check_unlocked(["line_ids"])
        names = ["actual_value", "actual_major", "has_actual", "write_uid", "write_date"]
        now, uid = self.env.cr.now(), self.env.uid
        with self.env.protecting([Line._fields[name] for name in names], lines):
            for line, actual, major in assignments:
                line.actual_value = actual
                if major is not None:
                    line.actual_major = major
                line.has_actual = True
                line.write_uid = uid
                line.write_date = now
        lines.modified(names[:3])
        lines.flush_recordset(names)
        return len(lines)

    # ------------------------------------------------------------------
    # Row checks per import type: return what to write, record issues in `run`
    # ------------------------------------------------------------------
    def _prepare_incident(self, run, rows):
        has_employee = run.check_employee_columns(rows)
        run.index_employees(rows)
        types = self._incident_types()
        example = next(iter(types["codes"]), "valid_complaint")
        vals_list, keyed = [], []
        for row in rows:
            employee = run.employee(row) if has_employee else None
            incident_type = None
            if row["type"]:
                key = _norm(row["type"]).casefold()
                incident_type = types["codes"].get(key) or types["names"].get(key)
                if not incident_type:
                    run.issue(row, "type", UNKNOWN_TYPE, value=row["type"], example=example)
            if not (employee and incident_type and row["date"]):
                continue
            key = _fingerprint(
                "incident",
                self.company_id.id,
                employee.id,
                row["date"].isoformat(),
                incident_type.code,
                row["description"],
            )
            keyed.append((row, key))
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "company_id": self.company_id.id,
                    "type_id": incident_type.id,
                    "date": row["date"],
                    "description": row["description"] or False,
                    "points": row["points"] or 0.0,
                    "confirmed": bool(row["confirmed"]),
                    "import_key": key,
                }
            )
        run.check_duplicates(keyed, "incident")
        return vals_list

    def _incident_types(self):
        """{"codes": {code: type}, "names": {name in any installed language: type}}."""
        types = self.env["hr.kpi.incident.type"].search([("active", "=", True)])
        codes = {incident_type.code.casefold(): incident_type for incident_type in types}
        names = {}
        langs = ["en_US"] + [code for code, _label in self.env["res.lang"].get_installed()]
        for lang in dict.fromkeys(langs):  # English source names always match
            # the cache holds one language of a translated field at a time
            types.invalidate_recordset(["name"])
            for incident_type in types.with_context(lang=lang):
                names.setdefault(_norm(incident_type.name).casefold(), incident_type)
        types.invalidate_recordset(["name"])
        return {"codes": codes, "names": names}

    def _prepare_survey(self, run, rows):
        has_employee = run.check_employee_columns(rows, optional=True)
        run.index_employees(rows)
        cards = self.env["hr.kpi.survey.card"].search([("active", "=", True)])
        by_code = {card.code.casefold(): card for card in cards}
        departments = self._departments({row["department"] for row in rows if row["department"]})
        question_keys = sorted(
            (key for key in run.columns if re.fullmatch(r"q\d+", key)), key=lambda k: int(k[1:])
        )
        vals_list, keyed = [], []
        for row in rows:
            card = by_code.get(_norm(row["card"]).casefold()) if row["card"] else None
            if row["card"] and not card:
                run.issue(
                    row,
                    "card",
                    UNKNOWN_CARD,
                    value=row["card"],
                    codes=", ".join(cards.mapped("code")),
                )
            employee = department = None
            if has_employee and any(row[key] for key in EMPLOYEE_KEYS):
                employee = run.employee(row)
                ok = bool(employee)
            else:
                ok = True
            if row["department"]:
                department = self._department(run, row, departments)
                ok = ok and bool(department)
            elif ok and not employee:
                run.issue(row, "department", NO_EVALUATED)
                ok = False
            answers = self._survey_answers(run, row, card, question_keys) if card else None
            if not (ok and card and answers and row["date"] and row["respondent"]):
                continue
            key = _fingerprint(
                "survey",
                self.company_id.id,
                card.code,
                row["date"].isoformat(),
                row["respondent"],
                employee.id if employee else "",
                department.id if department else "",
            )
            keyed.append((row, key))
            vals_list.append(
                {
                    "card_id": card.id,
                    "date": row["date"],
                    "company_id": self.company_id.id,
                    "respondent": _norm(row["respondent"]),
                    "employee_id": employee.id if employee else False,
                    "department_id": department.id if department else False,
                    "comment": row["comment"] or False,
                    "import_key": key,
                    "answer_ids": [
                        (0, 0, {"question_id": question.id, "answer": letter})
                        for question, letter in answers
                    ],
                }
            )
        run.check_duplicates(keyed, "survey")
        return vals_list

    def _survey_answers(self, run, row, card, question_keys):
        """[(question, letter)] of a card row, or None when a question is left out."""
        questions = card.question_ids.sorted(lambda q: (q.sequence, q.id))
        answers, complete = [], True
        for number, key in enumerate(question_keys, start=1):
            letter = row[key]
            if number <= len(questions):
                if letter:
                    answers.append((questions[number - 1], letter))
                else:
                    complete = False
                    if not run.refused(row, key):
                        run.issue(row, key, MISSING_ANSWER, card=card.code, number=number)
            elif letter:
                run.issue(row, key, EXTRA_ANSWER, card=card.code, count=len(questions))
                complete = False
        return answers if complete else None

    def _departments(self, names):
        """{name: [departments]} of the company, by name or full name (one search)."""
        if not names:
            return {}
        names = sorted({_norm(name) for name in names})
        departments = self.env["hr.department"].search(
            [
                ("company_id", "in", [self.company_id.id, False]),
                "|",
                ("name", "in", names),
                ("complete_name", "in", names),
            ]
        )
        result = defaultdict(list)
        for department in departments:
            for label in {_norm(department.name), _norm(department.complete_name)}:
                result[label].append(department)
        return result

    def _department(self, run, row, departments):
        found = departments.get(_norm(row["department"]), [])
        if not found:
            run.issue(row, "department", UNKNOWN_DEPARTMENT, value=row["department"])
            return None
        if len(found) > 1:
            run.issue(
                row,
                "department",
                AMBIGUOUS_DEPARTMENT,
                value=row["department"],
                names=", ".join(d.complete_name for d in found),
            )
            return None
        return found[0]

    def _prepare_activity(self, run, rows):
        tokens_by_row = {
            row["_row"]: [
                token.strip()
                for token in PARTICIPANT_SEPARATORS.split(row["participants"] or "")
                if token.strip()
            ]
            for row in rows
        }
        run.index_employees([], tokens={t for tokens in tokens_by_row.values() for t in tokens})
        vals_list, keyed = [], []
        for row in rows:
            participants = self._participants(run, row, tokens_by_row[row["_row"]])
            if not (participants and row["type"] and row["date"]):
                continue
            key = _fingerprint(
                "activity",
                self.company_id.id,
                row["type"],
                row["date"].isoformat(),
                row["place"],
                ",".join(str(i) for i in sorted(participants)),
                row["content"],
            )
            keyed.append((row, key))
            vals_list.append(
                {
                    "activity_type": row["type"],
                    "date": row["date"],
                    "company_id": self.company_id.id,
                    "hours": row["hours"] or 0.0,
                    "place": row["place"] or False,
                    "participant_ids": [(6, 0, sorted(participants))],
                    "content": row["content"] or False,
                    "import_key": key,
                }
            )
        run.check_duplicates(keyed, "activity")
        return vals_list

    def _participants(self, run, row, tokens):
        """Set of employee ids named in the row, or None when one is unknown or ambiguous."""
        ids, ok = set(), bool(tokens)
        for token in tokens:
            found = run.employees.match_token(token)
            if not found:
                if token.isdigit() and not run.employees.with_badges:
                    run.issue(row, "participants", BADGE_RIGHTS)
                else:
                    run.issue(row, "participants", UNKNOWN_PARTICIPANT, value=token)
                ok = False
            elif len(found) > 1:
                run.issue(
                    row,
                    "participants",
                    AMBIGUOUS_PARTICIPANT,
                    value=token,
                    names=run.employees.describe(found),
                )
                ok = False
            else:
                ids.add(found[0].id)
        return ids if ok else None

    def _prepare_sla(self, run, rows):
        has_employee = run.check_employee_columns(rows)
        run.index_employees(rows)
        tz = pytz.timezone(self.env.user.tz or self.company_id.resource_calendar_id.tz or "UTC")
        vals_list, keyed = [], []
        for row in rows:
            employee = run.employee(row) if has_employee else None
            received, first, solved = row["received"], row["first_response"], row["solved"]
            times_ok = True
            if received and first and first < received:
                run.issue(row, "first_response", RESPONSE_BEFORE)
                times_ok = False
            if received and solved and solved < received:
                run.issue(row, "solved", SOLVED_BEFORE)
                times_ok = False
            if not (employee and times_ok and row["reference"] and row["priority"] and received):
                continue
            key = _fingerprint("sla", self.company_id.id, row["reference"], employee.id)
            keyed.append((row, key))
            vals_list.append(
                {
                    "name": _norm(row["reference"]),
                    "employee_id": employee.id,
                    "company_id": self.company_id.id,
                    "priority": row["priority"],
                    "received": self._to_utc(received, tz),
                    "first_response": self._to_utc(first, tz),
                    "solved": self._to_utc(solved, tz),
                    "import_key": key,
                }
            )
        run.check_duplicates(keyed, "sla")
        return vals_list

    def _prepare_commission(self, run, rows):
        has_employee = run.check_employee_columns(rows)
        run.index_employees(rows)
        vals_list, keyed = [], []
        for row in rows:
            employee = run.employee(row) if has_employee else None
            if not employee:
                continue
            figures = {key: row[key] or 0.0 for key in ADVISOR_AMOUNTS}
            coefficient = 1.0 if row["coefficient"] is None else row["coefficient"]
            group = _norm(row["group"]) or False
            group_record = self._commission_group(run, row, employee, group)
            if not group_record:
                continue
            key = _fingerprint(
                "commission",
                self.company_id.id,
                self.period_id.id,
                employee.id,
                group,
                coefficient,
                *(figures[name] for name in sorted(figures)),
            )
            keyed.append((row, (employee.id,)))
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "company_id": self.company_id.id,
                    "period_id": self.period_id.id,
                    "group_id": group_record.id,
                    "coefficient": coefficient,
                    **figures,
                    "confirmed": bool(row["confirmed"]),
                    "import_key": key,
                    "_row": row,
                }
            )
        run.check_duplicates(keyed, "commission")
        self._check_commission_months(run, vals_list)
        for vals in vals_list:
            vals.pop("_row")
        return vals_list

    def _commission_group(self, run, row, employee, name):
        """The row's commission group: the named one of the company, by default the
        advisor's own; the advisor must be a member (RELIABILITY #43)."""
        Group = self.env["hr.kpi.commission.group"]
        if name:
            group = Group.search([("company_id", "=", self.company_id.id), ("name", "=", name)])
            if not group:
                run.issue(row, "group", UNKNOWN_GROUP, value=name)
                return Group
        else:
            group = Group.search([("member_ids", "in", employee.ids)], limit=1)
            if not group:
                run.issue(row, "group", NO_GROUP, employee=employee.name)
                return Group
        if employee not in group.member_ids:
            run.issue(row, "group", NOT_A_MEMBER, employee=employee.name, group=group.name)
            return Group
        return group

    def _check_commission_months(self, run, vals_list):
        """A month already recorded with other figures is not overwritten silently."""
        existing = self.env["hr.kpi.commission.month"].search_fetch(
            [
                ("period_id", "=", self.period_id.id),
                ("employee_id", "in", [vals["employee_id"] for vals in vals_list]),
            ],
            ["employee_id", "import_key"],
        )
        keys = {month.employee_id.id: month.import_key for month in existing}
        for vals in vals_list:
            employee_id = vals["employee_id"]
            if employee_id in keys and keys[employee_id] != vals["import_key"]:
                run.issue(
                    vals["_row"],
                    "name" if "name" in run.positions else "",
                    MONTH_ALREADY,
                    employee=self.env["hr.employee"].browse(employee_id).name,
                    period=self.period_id.display_name,
                )

    @staticmethod
    def _to_utc(value, tz):
        """A local wall-clock time of the file -> naive UTC as Odoo stores it."""
        if not value:
            return False
        return tz.localize(value).astimezone(pytz.utc).replace(tzinfo=None)

    def _prepare_actual(self, run, rows):
        has_employee = run.check_employee_columns(rows)
        run.index_employees(rows)
        period = self.period_id
        employees = {}
        for row in rows:
            employee = run.employee(row) if has_employee else None
            if employee:
                employees[row["_row"]] = employee
        lines = self.env["hr.kpi.evaluation.line"].search_fetch(
            [
                ("evaluation_id.period_id", "=", period.id),
                ("employee_id", "in", list({e.id for e in employees.values()})),
            ],
            ["evaluation_id", "employee_id", "indicator_id"],
        )
        by_key = defaultdict(list)
        for line in lines:
            by_key[(line.employee_id.id, (line.indicator_id.code or "").casefold())].append(line)
        evaluated = {line.employee_id.id for line in lines}
        known_codes = self._indicator_codes({row["indicator"] for row in rows if row["indicator"]})
        # values scoring would replace (an override, submitted ratings) are refused:
        # nothing imported is lost in silence (one query for the file)
        rated = lines._rated_line_ids()
        assignments, keyed = [], []
        for row in rows:
            employee = employees.get(row["_row"])
            code = _norm(row["indicator"]) if row["indicator"] else None
            if code and code.casefold() not in known_codes:
                run.issue(row, "indicator", UNKNOWN_INDICATOR, value=code)
                continue
            if not (employee and code):
                continue
            line = self._actual_line(run, row, employee, code, by_key, evaluated)
            if not line or not self._actual_value_ok(run, row, line, code):
                continue
            if line.override_active or line.id in rated:
                run.issue(
                    row,
                    "actual",
                    OVERRIDDEN_ACTUAL if line.override_active else RATED_ACTUAL,
                    code=code,
                    employee=employee.name,
                )
                continue
            keyed.append((row, line.id))
            assignments.append((line, row["actual"], row["major"]))
        run.check_duplicates(keyed, "actual")
        # A blank "Major Incidents" cell means 0 when the column is there; untouched otherwise.
        if "major" in run.positions:
            assignments = [(line, actual, major or 0) for line, actual, major in assignments]
        return assignments

    def _indicator_codes(self, codes):
        """The indicator codes of the company among `codes`, case-folded (one search)."""
        if not codes:
            return set()
        variants = {_norm(code) for code in codes}
        variants |= {code.upper() for code in variants} | {code.lower() for code in variants}
        indicators = self.env["hr.kpi.indicator"].search_fetch(
            [("code", "in", sorted(variants)), ("company_id", "in", [self.company_id.id, False])],
            ["code"],
        )
        return {indicator.code.casefold() for indicator in indicators}

    def _actual_line(self, run, row, employee, code, by_key, evaluated):
        """The evaluation line of (employee, indicator) in the period, or None."""
        period = self.period_id.display_name
        found = by_key.get((employee.id, code.casefold()), [])
        if not found:
            if employee.id not in evaluated:
                run.issue(row, "indicator", NO_EVALUATION, employee=employee.name, period=period)
            else:
                run.issue(
                    row,
                    "indicator",
                    NOT_IN_EVALUATION,
                    code=code,
                    employee=employee.name,
                    period=period,
                )
            return None
        if len(found) > 1:
            run.issue(
                row, "indicator", SEVERAL_LINES, code=code, employee=employee.name, period=period
            )
            return None
        line = found[0]
        evaluation = line.evaluation_id
        if evaluation.state in APPROVED_STATES:
            states = dict(evaluation._fields["state"]._description_selection(self.env))
            run.issue(
                row,
                "indicator",
                LOCKED_EVALUATION,
                evaluation=evaluation.name,
                state=states[evaluation.state],
            )
            return None
        return line

    def _actual_value_ok(self, run, row, line, code):
        indicator = line.indicator_id
        if indicator.source_type in COMPUTED_SOURCES:
            sources = dict(indicator._fields["source_type"]._description_selection(self.env))
            run.issue(
                row,
                "indicator",
                SOURCED_INDICATOR,
                code=code,
                origin=sources[indicator.source_type],
            )
            return False
        actual = row["actual"]
        if actual is None:
            return False
        bounds = self._actual_bounds(indicator)
        if not bounds[0] <= actual <= bounds[1]:
            run.issue(
                row,
                "actual",
                OUT_OF_RANGE,
                value=_format_number(actual),
                minimum=_format_number(bounds[0]),
                maximum=_format_number(bounds[1]),
                code=code,
            )
            return False
        if indicator.scoring_method in COUNT_METHODS and actual < 0:
            run.issue(row, "actual", NEGATIVE_COUNT, code=code)
            return False
        return True

    @staticmethod
    def _actual_bounds(indicator):
        """(minimum, maximum) an actual of the indicator must lie in: its scale, else
        the magnitude an evaluation line accepts at all."""
        if indicator.scoring_method == "manual":
            return indicator.manual_min, indicator.manual_max
        if indicator.scoring_method == "likert":
            levels = LIKERT_SCALES[indicator.likert_scale or "5"]
            return min(levels), max(levels)
        return -MAX_ACTUAL, MAX_ACTUAL
