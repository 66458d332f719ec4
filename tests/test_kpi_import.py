"""Spreadsheet import wizard hr.kpi.import (issue 4, DESIGN §8, RELIABILITY G 35-37)
and the indicator sources that read the imported facts (_kpi_filled_actuals).

Every file is a REAL file built here: .xlsx with openpyxl, .xls with xlwt, .csv as
UTF-8 text; the shipped samples of demo/samples/ are imported into own fixtures
(employees with the demo badge IDs are created here, demo data is never used).
"""

import base64
import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

import openpyxl
import xlwt

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GROUP_MANAGER, GROUP_OFFICER, KpiCase

SAMPLES = Path(__file__).resolve().parent.parent / "hr_kpi_service" / "demo" / "samples"
TZ = "Asia/Shanghai"

BADGE, EMAIL, NAME = "工号 / Badge ID", "工作邮箱 / Work Email", "姓名 / Name"
DATE, TYPE, DESCRIPTION = "日期 / Date", "类型 / Type", "说明 / Description"
POINTS, CONFIRMED = "分值 / Points", "已确认 / Confirmed"
INCIDENT_HEADER = [BADGE, NAME, DATE, TYPE, DESCRIPTION, POINTS, CONFIRMED]
CODE, ACTUAL, MAJOR = "指标代码 / Indicator Code", "实际值 / Actual", "重大事件数 / Major Incidents"
ACTUAL_HEADER = [BADGE, NAME, CODE, ACTUAL, MAJOR]
SURVEY_HEADER = [
    "卡号 / Card",
    DATE,
    "填表人 / Respondent",
    BADGE,
    "被评部门 / Department",
    "第1题 / Q1",
    "第2题 / Q2",
    "第3题 / Q3",
    "第4题 / Q4",
]
ACTIVITY_HEADER = [
    TYPE,
    DATE,
    "小时数 / Hours",
    "地点 / Place",
    "参与人 / Participants",
    "内容 / Content",
]
SLA_HEADER = [
    "单号 / Reference",
    BADGE,
    "优先级 / Priority",
    "受理时间 / Received",
    "首次响应时间 / First Response",
    "解决时间 / Solved",
]
OCT_9 = date(2026, 10, 9)


class ErrorValue(str):
    """A cell written as a spreadsheet error value (.xls)."""


# ---------------------------------------------------------------------------
# Real files
# ---------------------------------------------------------------------------
def xlsx(rows, sheet="Data"):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xls(rows, sheet="Data"):
    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet(sheet)
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    stamp = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, ErrorValue):
                worksheet.row(r).set_cell_error(c, str(value))
            elif isinstance(value, str) and value.startswith("="):
                worksheet.write(r, c, xlwt.Formula(value[1:]))
            elif isinstance(value, datetime):
                worksheet.write(r, c, value, stamp)
            elif isinstance(value, date):
                worksheet.write(r, c, value, day)
            else:
                worksheet.write(r, c, value)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_bytes(rows):
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return stream.getvalue().encode("utf-8-sig")


class ImportCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = TZ
        # HR officer and KPI officer: may read badge IDs (hr.group_hr_user).
        cls.importer = new_test_user(
            cls.env,
            "kpi_importer_t",
            groups=f"base.group_user,hr.group_hr_user,{GROUP_OFFICER}",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
            tz=TZ,
        )
        cls.boss = cls._employee("王建国")
        cls.boss.user_id = cls.manager
        cls.rep_a = cls._badged("刘洋", "7700001", "liu.yang@test.example")
        cls.rep_b = cls._badged("陈静", "7700002", "chen.jing@test.example")
        cls.rep_c = cls._badged("杨帆", "7700003", "yang.fan@test.example")
        cls.twin_1 = cls._badged("张伟", "7700004", "zhang.wei1@test.example")
        cls.twin_2 = cls._badged("张伟", "7700005", "zhang.wei2@test.example")
        (cls.rep_a | cls.rep_b | cls.rep_c).parent_id = cls.boss
        cls.foreigner = cls._badged("外司员工", "7700099", "x@test.example", cls.other_company)
        cls.period = (
            cls.env["hr.kpi.period"]
            .with_company(cls.company)
            ._get_or_create(date(2026, 10, 5), "monthly", cls.company)
        )
        cls.valid = cls.env.ref("hr_kpi_service.incident_type_valid_complaint")
        cls.major = cls.env.ref("hr_kpi_service.incident_type_major_complaint")

    @classmethod
    def _badged(cls, name, badge, email, company=None):
        employee = cls._employee(name, company=company, department=False if company else None)
        employee.write({"barcode": badge, "work_email": email})
        return employee

    @classmethod
    def _evaluation(cls, employee, scheme, period=None):
        return cls.env["hr.kpi.evaluation"].create(
            {
                "employee_id": employee.id,
                "scheme_id": scheme.id,
                "period_id": (period or cls.period).id,
                "company_id": cls.company.id,
                "department_id": employee.department_id.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "indicator_id": indicator.id,
                            "sequence": indicator.sequence,
                            "weight": indicator.weight,
                            "rater_role": indicator.rater_role,
                        },
                    )
                    for indicator in scheme.indicator_ids
                ],
            }
        )

    def _wizard(self, import_type, filename, content, user=None, **vals):
        return (
            self.env["hr.kpi.import"]
            .with_user(user or self.importer)
            .create(
                dict(
                    vals, import_type=import_type, filename=filename, file=base64.b64encode(content)
                )
            )
        )

    def _import(self, import_type, filename, content, user=None, **vals):
        wizard = self._wizard(import_type, filename, content, user, **vals)
        wizard.action_import()
        return wizard

    def _refused(self, import_type, filename, content, user=None, **vals):
        """The message of the UserError; asserts nothing of that type was written."""
        wizard = self._wizard(import_type, filename, content, user, **vals)
        model = {
            "incident": "hr.kpi.incident",
            "survey": "hr.kpi.survey",
            "activity": "hr.kpi.activity.record",
            "sla": "hr.kpi.sla.record",
            "actual": "hr.kpi.evaluation.line",
        }[import_type]
        domain = [("has_actual", "=", True)] if import_type == "actual" else []
        before = self.env[model].search_count(domain)
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertEqual(self.env[model].search_count(domain), before, "nothing is written")
        return caught.exception.args[0]

    def _incidents(self):
        return self.env["hr.kpi.incident"].search(
            [("employee_id", "in", (self.rep_a | self.rep_b | self.rep_c).ids)]
        )


# ---------------------------------------------------------------------------
# Each error kind, with its row number and column
# ---------------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestImportErrors(ImportCase):
    def test_unknown_employee_xls(self):
        message = self._refused(
            "incident",
            "incidents.xls",
            xls(
                [
                    INCIDENT_HEADER,
                    ["7700001", "刘洋", OCT_9, "valid_complaint", "ok", None, "是"],
                    ["7799999", "", OCT_9, "valid_complaint", "nobody", None, "是"],
                    ["7700099", "", OCT_9, "valid_complaint", "other company", None, "是"],
                ]
            ),
        )
        self.assertIn("The file was not imported: 2 problem(s) found.", message)
        self.assertIn("Sheet: Data", message)
        self.assertIn(f'Row 3, column {BADGE}: Unknown employee "7799999".', message)
        self.assertIn(f'Row 4, column {BADGE}: Unknown employee "7700099".', message)

    def test_ambiguous_employee_csv(self):
        message = self._refused(
            "incident",
            "incidents.csv",
            csv_bytes(
                [
                    [NAME, DATE, TYPE],
                    ["张伟", "2026-10-09", "valid_complaint"],
                    ["zhang.wei1@test.example", "2026-10-09", "valid_complaint"],
                ]
            ),
        )
        self.assertIn(
            f"Row 2, column {NAME}: Ambiguous employee: 张伟 (7700004), 张伟 (7700005).", message
        )
        self.assertIn(f'Row 3, column {NAME}: Unknown employee "zhang.wei1@test.example".', message)
        # the same person by work email is found: only the name column is ambiguous
        wizard = self._import(
            "incident",
            "incidents.csv",
            csv_bytes(
                [
                    [EMAIL, NAME, DATE, TYPE],
                    ["zhang.wei1@test.example", "张伟", "2026-10-09", "valid_complaint"],
                ]
            ),
        )
        self.assertEqual(wizard.new_count, 1)
        self.assertEqual(
            self.env["hr.kpi.incident"].search([("employee_id", "=", self.twin_1.id)]).type_id,
            self.valid,
        )

    def test_text_in_number_column_xlsx(self):
        scheme = self._scheme([{"name": "Calls", "code": "CALLS", "weight": 100, "target": 100}])
        self._evaluation(self.rep_a, scheme)
        message = self._refused(
            "actual",
            "actuals.xlsx",
            xlsx(
                [
                    [BADGE, CODE, ACTUAL],
                    ["7700001", "CALLS", "abc"],
                    ["7700001", "CALLS", "12,5"],
                    ["7700001", "CALLS", "1 000"],
                ]
            ),
            period_id=self.period.id,
        )
        self.assertIn("3 problem(s) found", message)
        self.assertIn(f'Row 2, column {ACTUAL}: The value "abc" is not a number.', message)
        self.assertIn(
            f'Row 3, column {ACTUAL}: The value "12,5" is not a number: write it', message
        )
        self.assertIn(
            f'Row 4, column {ACTUAL}: The value "1 000" is not a number: write it', message
        )
        # the same file with fixed values imports fully (duplicate rows aside)
        wizard = self._import(
            "actual",
            "actuals.xlsx",
            xlsx(
                [
                    [BADGE, CODE, ACTUAL],
                    ["7700001", "CALLS", 12.5],
                ]
            ),
            period_id=self.period.id,
        )
        self.assertEqual(wizard.new_count, 1)

    def test_not_a_date_csv(self):
        message = self._refused(
            "incident",
            "incidents.csv",
            csv_bytes(
                [
                    [BADGE, DATE, TYPE],
                    ["7700001", "2026-13-01", "valid_complaint"],
                    ["7700002", "明天", "valid_complaint"],
                ]
            ),
        )
        self.assertIn(
            f'Row 2, column {DATE}: The value "2026-13-01" is not a date: use a date cell or '
            "YYYY-MM-DD.",
            message,
        )
        self.assertIn(f'Row 3, column {DATE}: The value "明天" is not a date', message)

    def test_out_of_range_xlsx(self):
        message = self._refused(
            "incident",
            "incidents.xlsx",
            xlsx(
                [
                    [BADGE, DATE, TYPE, POINTS],
                    ["7700001", OCT_9, "audit_finding", -1],
                    ["7700001", date(1999, 12, 31), "audit_finding", 2],
                ]
            ),
        )
        self.assertIn(f"Row 2, column {POINTS}: The value -1 is below the minimum of 0.", message)
        self.assertIn(
            f"Row 3, column {DATE}: The value 1999-12-31 is below the minimum of 2000-01-01.",
            message,
        )

    def test_out_of_range_actual_for_the_indicator(self):
        scheme = self._scheme(
            [
                {"name": "Rating", "code": "RATING", "weight": 50, "scoring_method": "manual"},
                {
                    "name": "Survey",
                    "code": "SURVEY",
                    "weight": 50,
                    "scoring_method": "likert",
                    "likert_scale": "20",
                },
            ]
        )
        self._evaluation(self.rep_a, scheme)
        message = self._refused(
            "actual",
            "actuals.xls",
            xls(
                [
                    [BADGE, CODE, ACTUAL, MAJOR],
                    ["7700001", "RATING", 120, None],
                    ["7700001", "SURVEY", 25, -1],
                ]
            ),
            period_id=self.period.id,
        )
        self.assertIn(
            f"Row 2, column {ACTUAL}: The value 120 is outside the range 0 to 100 of indicator "
            "RATING.",
            message,
        )
        self.assertIn(f"Row 3, column {MAJOR}: The value -1 is below the minimum of 0.", message)
        self.assertIn(
            f"Row 3, column {ACTUAL}: The value 25 is outside the range 4 to 20 of indicator "
            "SURVEY.",
            message,
        )

    def test_missing_required_column_csv(self):
        message = self._refused(
            "incident",
            "incidents.csv",
            csv_bytes(
                [
                    [BADGE, TYPE],
                    ["7700001", "valid_complaint"],
                ]
            ),
        )
        self.assertIn(
            f"Row 1, column {DATE}: The required column {DATE} is missing from the header row.",
            message,
        )
        message = self._refused(
            "incident",
            "incidents.csv",
            csv_bytes(
                [
                    [DATE, TYPE],
                    ["2026-10-09", "valid_complaint"],
                ]
            ),
        )
        self.assertIn(
            f"Row 1: The file needs at least one employee column: {BADGE}, {EMAIL}, {NAME}.",
            message,
        )

    def test_unknown_indicator_and_not_in_evaluation(self):
        scheme = self._scheme([{"name": "Calls", "code": "CALLS", "weight": 100, "target": 100}])
        self._scheme([{"name": "Other", "code": "OTHER", "weight": 100, "target": 100}])
        self._evaluation(self.rep_a, scheme)
        message = self._refused(
            "actual",
            "actuals.csv",
            csv_bytes(
                [
                    [BADGE, CODE, ACTUAL],
                    ["7700001", "NOPE", "1"],
                    ["7700001", "OTHER", "1"],
                    ["7700002", "CALLS", "1"],
                ]
            ),
            period_id=self.period.id,
        )
        self.assertIn(f'Row 2, column {CODE}: Unknown indicator code "NOPE".', message)
        self.assertIn(
            f"Row 3, column {CODE}: The indicator OTHER is not in the evaluation of 刘洋 for "
            f"{self.period.display_name}.",
            message,
        )
        self.assertIn(
            f"Row 4, column {CODE}: 陈静 has no evaluation for {self.period.display_name}.", message
        )

    def test_unknown_type_and_card(self):
        message = self._refused(
            "incident",
            "incidents.xlsx",
            xlsx(
                [
                    [BADGE, DATE, TYPE],
                    ["7700001", OCT_9, "bogus"],
                ]
            ),
        )
        self.assertIn(f'Row 2, column {TYPE}: Unknown incident type "bogus"', message)
        message = self._refused(
            "survey",
            "surveys.xlsx",
            xlsx(
                [
                    SURVEY_HEADER,
                    ["CARD9", OCT_9, "客户01", None, "客户服务部", "A", "A", "A"],
                ]
            ),
        )
        self.assertIn('Row 2, column 卡号 / Card: Unknown survey card "CARD9": use one of', message)

    def test_locked_evaluation(self):
        scheme = self._scheme([{"name": "Calls", "code": "CALLS", "weight": 100, "target": 100}])
        evaluation = self._evaluation(self.rep_a, scheme)
        evaluation.write({"state": "approved"})
        message = self._refused(
            "actual",
            "actuals.xlsx",
            xlsx(
                [
                    [BADGE, CODE, ACTUAL],
                    ["7700001", "CALLS", 90],
                ]
            ),
            period_id=self.period.id,
        )
        self.assertIn(
            f"Row 2, column {CODE}: The evaluation {evaluation.name} is Approved and locked: a "
            "KPI officer must reopen it before its values can change.",
            message,
        )

    def test_file_too_large_refused_before_parsing(self):
        self.company.kpi_import_max_kb = 1
        garbage = b"PK\x03\x04" + b"x" * 3000  # not a workbook: parsing would fail
        message = self._refused("incident", "big.xlsx", garbage)
        self.assertIn("The file is 2.9 KB, more than the limit of 1 KB.", message)
        self.assertNotIn("could not be read", message)

    def test_duplicate_rows_in_file(self):
        row = ["7700001", "刘洋", OCT_9, "valid_complaint", "late call-back", None, "是"]
        message = self._refused(
            "incident",
            "incidents.xlsx",
            xlsx(
                [
                    INCIDENT_HEADER,
                    row,
                    ["7700002", "", OCT_9, "valid_complaint", "x", None, "是"],
                    row,
                ]
            ),
        )
        self.assertIn(
            "Row 4: Duplicate row: row 2 already has the same employee, date, type and "
            "description.",
            message,
        )

    def test_all_problems_at_once_and_cell_errors(self):
        message = self._refused(
            "incident",
            "incidents.xls",
            xls(
                [
                    INCIDENT_HEADER,
                    ["7799999", "", OCT_9, "valid_complaint", None, None, None],
                    [],
                    ["7700001", "", "yesterday", "bogus", None, "x", "maybe"],
                    ["7700002", "", OCT_9, "valid_complaint", None, ErrorValue("#DIV/0!"), None],
                ]
            ),
        )
        self.assertIn("The file was not imported: 6 problem(s) found.", message)
        lines = message.splitlines()
        self.assertEqual(lines[1], "Sheet: Data")
        self.assertEqual(lines[2], f'Row 2, column {BADGE}: Unknown employee "7799999".')
        # blank row 3 is skipped, row numbers still match the file
        self.assertIn(f'Row 4, column {DATE}: The value "yesterday" is not a date', message)
        self.assertIn(f'Row 4, column {POINTS}: The value "x" is not a number.', message)
        self.assertIn(f'Row 4, column {CONFIRMED}: The value "maybe" is not yes or no', message)
        self.assertIn(f'Row 4, column {TYPE}: Unknown incident type "bogus"', message)
        self.assertIn(
            f"Row 5, column {POINTS}: Cell F5 holds the error #DIV/0!: type the value instead.",
            message,
        )

    def test_survey_answers_checked_against_the_card(self):
        message = self._refused(
            "survey",
            "surveys.xlsx",
            xlsx(
                [
                    SURVEY_HEADER,
                    ["CARD1", OCT_9, "财务部", None, "客户服务部", "A", None, "B", None],
                    ["CARD1", OCT_9, "市场部", None, "客户服务部", "A", "B", "C", "D"],
                    ["CARD2", OCT_9, "客户01", None, "客户服务部", "A", "F", "A", "A"],
                    ["CARD2", OCT_9, "客户02", None, "不存在的部门", "A", "A", "A", "A"],
                    ["CARD2", OCT_9, "客户03", None, None, "A", "A", "A", "A"],
                ]
            ),
        )
        self.assertIn(
            "Row 2, column 第2题 / Q2: Missing answer: card CARD1 has question 2.", message
        )
        self.assertIn(
            "Row 3, column 第4题 / Q4: Card CARD1 has only 3 questions: leave this column empty.",
            message,
        )
        self.assertIn(
            'Row 4, column 第2题 / Q2: The value "F" is not one of: A, B, C, D, E.', message
        )
        self.assertNotIn("Row 4, column 第2题 / Q2: Missing answer", message)
        self.assertIn(
            'Row 5, column 被评部门 / Department: Unknown department "不存在的部门".', message
        )
        self.assertIn(
            "Row 6, column 被评部门 / Department: Fill the evaluated employee (badge ID, work "
            "email or name) or the department.",
            message,
        )

    def test_activity_and_sla_checks(self):
        message = self._refused(
            "activity",
            "activities.csv",
            csv_bytes(
                [
                    ACTIVITY_HEADER,
                    ["培训", "2026-10-10", "2", "培训室", "7700001,7799999", "x"],
                    ["野餐", "2026-10-10", "2", "公园", "7700001", "y"],
                    ["Training", "2026-10-11", "2", "培训室", "张伟", "z"],
                ]
            ),
        )
        self.assertIn(
            'Row 2, column 参与人 / Participants: Unknown participant "7799999".', message
        )
        self.assertIn('Row 3, column 类型 / Type: The value "野餐" is not one of:', message)
        self.assertIn(
            'Row 4, column 参与人 / Participants: Ambiguous participant "张伟": 张伟 (7700004), '
            "张伟 (7700005).",
            message,
        )
        message = self._refused(
            "sla",
            "sla.xlsx",
            xlsx(
                [
                    SLA_HEADER,
                    [
                        "SR-1",
                        "7700001",
                        "一般",
                        datetime(2026, 10, 9, 10, 0),
                        datetime(2026, 10, 9, 9, 0),
                        datetime(2026, 10, 9, 8, 0),
                    ],
                    ["SR-2", "7700001", "特急", datetime(2026, 10, 9, 10, 0), None, None],
                ]
            ),
        )
        self.assertIn(
            "Row 2, column 首次响应时间 / First Response: The first response is before the "
            "request was received.",
            message,
        )
        self.assertIn(
            "Row 2, column 解决时间 / Solved: The request is solved before it was received.",
            message,
        )
        self.assertIn('Row 3, column 优先级 / Priority: The value "特急" is not one of', message)


# ---------------------------------------------------------------------------
# All or nothing, duplicates on re-import, values written
# ---------------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestImportRecords(ImportCase):
    def test_all_or_nothing_then_fixed_file(self):
        rows = [
            INCIDENT_HEADER,
            ["7700001", "刘洋", OCT_9, "valid_complaint", "call-back forgotten", None, "是"],
            ["7700002", "陈静", OCT_9, "commendation", "customer letter", None, "yes"],
            ["7700003", "杨帆", OCT_9, "bogus", "", None, "是"],
        ]
        before = len(self._incidents())
        message = self._refused("incident", "incidents.xlsx", xlsx(rows))
        self.assertIn("1 problem(s) found", message)
        self.assertEqual(len(self._incidents()), before, "2 good rows + 1 bad: nothing written")
        rows[3][3] = "Late arrival"  # a type name works as well as its code
        wizard = self._import("incident", "incidents.xlsx", xlsx(rows))
        self.assertEqual((wizard.state, wizard.new_count, wizard.skipped_count), ("done", 3, 0))
        self.assertEqual(wizard.result, "3 new, 0 already imported.")
        incidents = self._incidents()
        self.assertEqual(len(incidents), before + 3)
        late = incidents.filtered(lambda i: i.employee_id == self.rep_c)
        self.assertEqual(late.type_id, self.env.ref("hr_kpi_service.incident_type_late"))
        self.assertTrue(all(incidents.mapped("confirmed")))
        self.assertEqual(set(incidents.mapped("date")), {OCT_9})
        self.assertEqual(incidents.recorded_by_id, self.importer)

    def test_incident_reimport_creates_no_duplicates(self):
        content = csv_bytes(
            [
                INCIDENT_HEADER,
                ["7700001", "", "2026-10-09", "audit_finding", "记录不完整", "2", "是"],
                ["7700001", "", "2026-10-09", "audit_finding", "回访不符", "5", "否"],
            ]
        )
        self.assertEqual(self._import("incident", "a.csv", content).new_count, 2)
        again = self._import("incident", "a.csv", content)
        self.assertEqual((again.new_count, again.skipped_count), (0, 2))
        self.assertEqual(again.result, "0 new, 2 already imported.")
        incidents = self._incidents()
        self.assertEqual(len(incidents), 2)
        self.assertEqual(sorted(incidents.mapped("points")), [2.0, 5.0])
        self.assertEqual(incidents.filtered("confirmed").points, 2.0)
        # whitespace in the description does not change the key; another text does
        changed = csv_bytes(
            [
                INCIDENT_HEADER,
                ["7700001", "", "2026-10-09", "audit_finding", "  记录不完整 ", "2", "是"],
                ["7700001", "", "2026-10-09", "audit_finding", "另一条", "2", "是"],
            ]
        )
        third = self._import("incident", "b.csv", changed)
        self.assertEqual((third.new_count, third.skipped_count), (1, 1))

    def test_survey_import_and_reimport(self):
        content = xlsx(
            [
                SURVEY_HEADER,
                ["CARD1", OCT_9, "财务部", None, "客户服务部", "A", "B", "C", None],
                ["card1", OCT_9, "质检部", "7700001", None, "a", "a", "b", None],
                ["CARD2", OCT_9, "客户01", None, "客户服务部", "A", "B", "A", "C"],
            ]
        )
        Survey = self.env["hr.kpi.survey"]
        before = Survey.search_count([])
        self.assertEqual(self._import("survey", "s.xlsx", content).new_count, 3)
        surveys = Survey.search([("company_id", "=", self.company.id)], order="id")
        self.assertEqual(len(surveys), 3)
        department_card, employee_card, external = surveys
        self.assertEqual(department_card.department_id, self.department)
        self.assertEqual(department_card.average, 4.0)  # 5, 4, 3
        self.assertEqual(employee_card.employee_id, self.rep_a)
        self.assertAlmostEqual(employee_card.average, 4.6667, places=4)  # 5, 5, 4
        self.assertEqual(external.answer_ids.mapped("value"), [5.0, 4.0, 10.0, 6.0])
        self.assertEqual(external.average, 4.25)  # 5, 4, 10 / 2, 6 / 2 on the 5-point scale
        again = self._import("survey", "s.xlsx", content)
        self.assertEqual((again.new_count, again.skipped_count), (0, 3))
        self.assertEqual(Survey.search_count([]), before + 3)

    def test_activity_import_and_reimport(self):
        content = csv_bytes(
            [
                ACTIVITY_HEADER,
                [
                    "培训",
                    "2026-10-10",
                    "2",
                    "培训室 A",
                    "7700001,7700002；chen.jing@test.example",
                    "工单系统培训",
                ],
                ["knowledge_sharing", "2026-10-12", "1.5", "", "杨帆", "案例分享"],
            ]
        )
        wizard = self._import("activity", "a.csv", content)
        self.assertEqual(wizard.new_count, 2)
        Activity = self.env["hr.kpi.activity.record"]
        training = Activity.search(
            [("company_id", "=", self.company.id), ("activity_type", "=", "training")]
        )
        self.assertEqual(training.participant_ids, self.rep_a | self.rep_b)
        self.assertEqual((training.hours, training.place), (2.0, "培训室 A"))
        sharing = Activity.search(
            [("company_id", "=", self.company.id), ("activity_type", "=", "knowledge_sharing")]
        )
        self.assertEqual((sharing.participant_ids, sharing.hours), (self.rep_c, 1.5))
        # participants in another order are the same activity
        reordered = csv_bytes(
            [
                ACTIVITY_HEADER,
                ["Training", "2026-10-10", "2", "培训室 A", "7700002, 7700001", "工单系统培训"],
            ]
        )
        again = self._import("activity", "b.csv", reordered)
        self.assertEqual((again.new_count, again.skipped_count), (0, 1))
        self.assertEqual(Activity.search_count([("company_id", "=", self.company.id)]), 2)

    def test_sla_import_local_times_and_reimport(self):
        content = xls(
            [
                SLA_HEADER,
                [
                    "SR-1",
                    "7700001",
                    "紧急",
                    datetime(2026, 10, 9, 9, 0),
                    datetime(2026, 10, 9, 9, 20),
                    datetime(2026, 10, 9, 11, 0),
                ],
                [
                    "SR-2",
                    "7700001",
                    "General",
                    datetime(2026, 10, 9, 14, 0),
                    datetime(2026, 10, 9, 16, 30),
                    None,
                ],
                [1003, "7700002", "consultation", "2026-10-10 08:00", "2026-10-10 20:00", None],
            ]
        )
        self.assertEqual(self._import("sla", "sla.xls", content).new_count, 3)
        Sla = self.env["hr.kpi.sla.record"]
        records = Sla.search([("company_id", "=", self.company.id)], order="name")
        self.assertEqual(records.mapped("name"), ["1003", "SR-1", "SR-2"])
        sr1 = records[1]
        # 09:00 in Asia/Shanghai (the importer's time zone) is 01:00 UTC
        self.assertEqual(sr1.received, datetime(2026, 10, 9, 1, 0))
        self.assertEqual(
            (sr1.priority, sr1.response_minutes, sr1.compliant), ("urgent", 20.0, True)
        )
        self.assertFalse(records[2].compliant, "general: 150 min > 120 min")
        self.assertTrue(records[0].compliant)
        again = self._import("sla", "sla.xls", content)
        self.assertEqual((again.new_count, again.skipped_count), (0, 3))
        self.assertEqual(Sla.search_count([("company_id", "=", self.company.id)]), 3)


@tagged("post_install", "-at_install")
class TestImportActuals(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._scheme(
            [
                {
                    "name": "服务工作标准执行",
                    "code": "SQ_STANDARDS",
                    "weight": 50,
                    "scoring_method": "deduction",
                    "full_points": 50,
                    "deduction_cost": 1,
                },
                {
                    "name": "客户满意度调查",
                    "code": "SQ_SATISFACTION",
                    "weight": 20,
                    "scoring_method": "likert",
                    "likert_scale": "20",
                },
                {
                    "name": "服务投诉",
                    "code": "SQ_COMPLAINTS",
                    "weight": 30,
                    "scoring_method": "deduction",
                    "full_points": 30,
                    "deduction_cost": 6,
                    "deduction_cost_major": 12,
                },
            ]
        )
        cls.eval_a = cls._evaluation(cls.rep_a, cls.scheme)
        cls.eval_b = cls._evaluation(cls.rep_b, cls.scheme)

    CONTENT = [
        ACTUAL_HEADER,
        ["7700001", "刘洋", "SQ_STANDARDS", 3, None],
        ["7700001", "刘洋", "SQ_SATISFACTION", 16, None],
        ["7700001", "刘洋", "sq_complaints", 1, 0],
        ["7700002", "陈静", "SQ_STANDARDS", 0, None],
        ["7700002", "陈静", "SQ_SATISFACTION", 20, None],
        ["7700002", "陈静", "SQ_COMPLAINTS", 0, 1],
    ]

    def _values(self, evaluation):
        return [
            (line.indicator_id.code, line.has_actual, line.actual_value, line.actual_major)
            for line in evaluation.line_ids
        ]

    def test_actuals_set_line_values_and_exact_totals(self):
        wizard = self._import("actual", "actuals.xls", xls(self.CONTENT), period_id=self.period.id)
        self.assertEqual(wizard.new_count, 6)
        self.assertIn("6 indicator values set", wizard.result)
        self.assertEqual(
            self._values(self.eval_a),
            [
                ("SQ_STANDARDS", True, 3.0, 0.0),
                ("SQ_SATISFACTION", True, 16.0, 0.0),
                ("SQ_COMPLAINTS", True, 1.0, 0.0),
            ],
        )
        self.assertEqual(self._values(self.eval_b)[2], ("SQ_COMPLAINTS", True, 0.0, 1.0))
        self.assertEqual(self.eval_a.line_ids.write_uid, self.importer)
        evaluations = self.eval_a | self.eval_b
        evaluations._compute_scores()
        self.assertEqual(self.eval_a.line_ids.mapped("points"), [47.0, 16.0, 24.0])
        self.assertEqual(self.eval_a.total_score, 87.0)  # seed 001: 47 + 16 + 24
        self.assertEqual(self.eval_b.line_ids.mapped("points"), [50.0, 20.0, 18.0])
        self.assertEqual(self.eval_b.total_score, 88.0)
        # re-import: the same values, the same totals, no new lines
        lines = self.env["hr.kpi.evaluation.line"].search_count([])
        self._import("actual", "actuals.xlsx", xlsx(self.CONTENT), period_id=self.period.id)
        self.assertEqual(self.env["hr.kpi.evaluation.line"].search_count([]), lines)
        evaluations._compute_scores()
        self.assertEqual((self.eval_a.total_score, self.eval_b.total_score), (87.0, 88.0))

    def test_changed_value_and_untouched_major_without_column(self):
        self._import("actual", "actuals.xls", xls(self.CONTENT), period_id=self.period.id)
        self._import(
            "actual",
            "fix.csv",
            csv_bytes(
                [
                    [EMAIL, CODE, ACTUAL],
                    ["chen.jing@test.example", "SQ_COMPLAINTS", "2"],
                ]
            ),
            period_id=self.period.id,
        )
        self.assertEqual(self._values(self.eval_b)[2], ("SQ_COMPLAINTS", True, 2.0, 1.0))
        (self.eval_b)._compute_scores()
        self.assertEqual(self.eval_b.line_ids[2].points, 6.0)  # 30 - 2 x 6 - 1 x 12

    def test_duplicate_line_sourced_indicator_and_period_required(self):
        message = self._refused(
            "actual",
            "a.xlsx",
            xlsx(
                [
                    [BADGE, CODE, ACTUAL],
                    ["7700001", "SQ_STANDARDS", 1],
                    ["7700001", "sq_standards", 2],
                ]
            ),
            period_id=self.period.id,
        )
        self.assertIn(
            "Row 3: Duplicate row: row 2 already has the same employee and indicator.", message
        )
        self.scheme.indicator_ids[2].write(
            {
                "source_type": "incident_count",
                "source_incident_type_ids": [(6, 0, self.valid.ids)],
            }
        )
        message = self._refused(
            "actual",
            "a.xlsx",
            xlsx(
                [
                    [BADGE, CODE, ACTUAL],
                    ["7700001", "SQ_COMPLAINTS", 1],
                ]
            ),
            period_id=self.period.id,
        )
        self.assertIn(
            f"Row 2, column {CODE}: The indicator SQ_COMPLAINTS takes its value from recorded "
            "facts (Count of confirmed incidents): import those records instead.",
            message,
        )
        wizard = self._wizard("actual", "a.xlsx", xlsx(self.CONTENT))
        with self.assertRaisesRegex(UserError, "Choose the period"):
            wizard.action_import()

    def test_query_count_does_not_grow_with_rows(self):
        people = [
            self._badged(f"员工{index:02d}", str(7710000 + index), f"e{index}@test.example")
            for index in range(30)
        ]
        for employee in people:
            self._evaluation(employee, self.scheme)
        codes = ("SQ_STANDARDS", "SQ_SATISFACTION", "SQ_COMPLAINTS")

        def file_rows(employees, import_type):
            """(header, rows, extra wizard values): 3 rows per employee."""
            if import_type == "actual":
                rows = [[e.barcode, e.name, code, 8, 0] for e in employees for code in codes]
                return ACTUAL_HEADER, rows, {"period_id": self.period.id}
            if import_type == "incident":
                rows = [
                    [e.barcode, e.name, OCT_9, "late", code, None, "是"]
                    for e in employees
                    for code in codes
                ]
                return INCIDENT_HEADER, rows, {}
            if import_type == "survey":
                rows = [
                    ["CARD1", OCT_9, code, e.barcode, None, "A", "B", "C"]
                    for e in employees
                    for code in codes
                ]
                return SURVEY_HEADER, rows, {}
            if import_type == "activity":
                rows = [
                    ["培训", OCT_9, 1, code, f"{e.barcode},7700001", e.name]
                    for e in employees
                    for code in codes
                ]
                return ACTIVITY_HEADER, rows, {}
            rows = [
                [
                    f"{e.barcode}-{code}",
                    e.barcode,
                    "一般",
                    datetime(2026, 10, 9, 9, 0),
                    datetime(2026, 10, 9, 9, 30),
                    None,
                ]
                for e in employees
                for code in codes
            ]
            return SLA_HEADER, rows, {}

        def queries(employees, import_type):
            header, rows, vals = file_rows(employees, import_type)
            content = xlsx([header, *rows])
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            wizard = self._import(import_type, "rows.xlsx", content, **vals)
            self.env.flush_all()
            self.assertEqual(wizard.new_count, len(rows))
            return self.cr.sql_log_count - before

        # 6 rows against 81 rows (27 for surveys: the ORM inserts 100 answers per query)
        for import_type, many in (
            ("actual", 30),
            ("incident", 30),
            ("survey", 12),
            ("activity", 30),
            ("sla", 30),
        ):
            with self.subTest(import_type=import_type):
                queries(people[:1], import_type)  # warm-up
                self.assertEqual(
                    queries(people[1:3], import_type),
                    queries(people[3:many], import_type),
                    "the number of queries does not depend on the number of rows",
                )


# ---------------------------------------------------------------------------
# Rights
# ---------------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestImportRights(ImportCase):
    def test_user_without_kpi_manager_rights(self):
        content = base64.b64encode(xlsx([[BADGE, DATE, TYPE], ["7700001", OCT_9, "late"]]))
        Import = self.env["hr.kpi.import"].with_user(self.user)
        with self.assertRaises(AccessError):
            Import.create({"import_type": "incident", "file": content, "filename": "a.xlsx"})
        wizard = Import.new({"import_type": "incident", "file": content, "filename": "a.xlsx"})
        with self.assertRaisesRegex(
            UserError, "Only a KPI manager or officer can import spreadsheets of KPI data."
        ):
            wizard.action_import()
        with self.assertRaisesRegex(UserError, "Only a KPI manager or officer"):
            wizard.action_download_template()
        self.assertFalse(self._incidents())

    def test_manager_without_hr_rights_matches_by_email_or_name(self):
        self.assertFalse(self.manager.has_group("hr.group_hr_user"))
        self.assertTrue(self.manager.has_group(GROUP_MANAGER))
        wizard = self._import(
            "incident",
            "a.csv",
            csv_bytes(
                [
                    [BADGE, EMAIL, NAME, DATE, TYPE],
                    ["7700001", "liu.yang@test.example", "", "2026-10-09", "late"],
                    ["7700002", "", "陈静", "2026-10-09", "late"],
                ]
            ),
            user=self.manager,
        )
        self.assertEqual(wizard.new_count, 2)
        self.assertEqual(self._incidents().employee_id, self.rep_a | self.rep_b)
        message = self._refused(
            "incident",
            "b.csv",
            csv_bytes(
                [
                    [BADGE, DATE, TYPE],
                    ["7700003", "2026-10-09", "late"],
                ]
            ),
            user=self.manager,
        )
        self.assertIn(
            f"Row 2, column {BADGE}: Badge IDs can only be matched by users with Employees rights",
            message,
        )


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestImportTemplates(ImportCase):
    def test_download_templates_bilingual(self):
        wizard = (
            self.env["hr.kpi.import"].with_user(self.importer).create({"import_type": "incident"})
        )
        action = wizard.action_download_template()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("/web/content?model=hr.kpi.import", action["url"])
        self.assertIn("field=template_file", action["url"])
        self.assertEqual(wizard.template_filename, "事件导入模板 - Incidents Import Template.xlsx")
        # what /web/content serves for that url: the computed file under its bilingual name
        Binary = self.env["ir.binary"].with_user(self.importer)
        record = Binary._find_record(res_model="hr.kpi.import", res_id=wizard.id)
        with patch("odoo.http.request", SimpleNamespace(env=Binary.env)):  # no HTTP server
            stream = Binary._get_stream_from(
                record, "template_file", filename_field="template_filename"
            )
        self.assertEqual(stream.download_name, "事件导入模板 - Incidents Import Template.xlsx")
        self.assertEqual(stream.data, base64.b64decode(wizard.template_file))
        self.assertTrue(stream.data.startswith(b"PK"))
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        header = [cell.value for cell in workbook.active[1]]
        self.assertEqual(header, [BADGE, EMAIL, NAME, DATE, TYPE, DESCRIPTION, POINTS, CONFIRMED])
        wizard.write({"import_type": "sla", "template_format": "csv"})
        self.assertEqual(
            wizard.template_filename, "服务时效记录导入模板 - Service Levels Import Template.csv"
        )
        text = base64.b64decode(wizard.template_file).decode("utf-8-sig")
        self.assertEqual(
            text.splitlines()[0],
            ",".join(
                [
                    "单号 / Reference",
                    BADGE,
                    EMAIL,
                    NAME,
                    "优先级 / Priority",
                    "受理时间 / Received",
                    "首次响应时间 / First Response",
                    "解决时间 / Solved",
                ]
            ),
        )
        wizard.write({"import_type": "survey", "template_format": "xlsx"})
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        header = [cell.value for cell in workbook.active[1]]
        self.assertEqual(
            header[-5:],
            ["第1题 / Q1", "第2题 / Q2", "第3题 / Q3", "第4题 / Q4", "意见建议 / Suggestions"],
        )
        # an empty template is refused with "no data rows", not imported
        empty = base64.b64decode(
            self.env["hr.kpi.import"]
            .with_user(self.importer)
            .create({"import_type": "activity"})
            .template_file
        )
        message = self._refused("activity", "template.xlsx", empty)
        self.assertIn("The file has no data rows below the header.", message)

    def test_actual_template_prefilled_round_trip(self):
        scheme = self._scheme(
            [
                {"name": "Calls", "code": "CALLS", "weight": 60, "target": 1000},
                {
                    "name": "Complaints",
                    "code": "COMPL",
                    "weight": 40,
                    "scoring_method": "deduction",
                    "full_points": 40,
                    "deduction_cost": 10,
                    "source_type": "incident_count",
                    "source_incident_type_ids": [(6, 0, self.valid.ids)],
                },
            ]
        )
        eval_a = self._evaluation(self.rep_a, scheme)
        eval_b = self._evaluation(self.rep_b, scheme)
        locked = self._evaluation(self.rep_c, scheme)
        locked.write({"state": "approved"})
        wizard = (
            self.env["hr.kpi.import"]
            .with_user(self.importer)
            .create({"import_type": "actual", "period_id": self.period.id})
        )
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        sheet = workbook.active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[0], (BADGE, EMAIL, NAME, CODE, "指标名称 / Indicator Name", ACTUAL, MAJOR)
        )
        # only the typed indicator of the open evaluations: sourced and locked ones are left out
        self.assertEqual(
            sorted(row[:4] for row in rows[1:]),
            [
                ("7700001", "liu.yang@test.example", "刘洋", "CALLS"),
                ("7700002", "chen.jing@test.example", "陈静", "CALLS"),
            ],
        )
        for row_number in (2, 3):
            sheet.cell(row=row_number, column=6, value=900 if row_number == 2 else 1100)
        stream = io.BytesIO()
        workbook.save(stream)
        self._import("actual", "filled.xlsx", stream.getvalue(), period_id=self.period.id)
        values = {
            evaluation.employee_id: evaluation.line_ids[0].actual_value
            for evaluation in eval_a | eval_b
        }
        self.assertEqual(sorted(values.values()), [900.0, 1100.0])


# ---------------------------------------------------------------------------
# Shipped sample files, into own fixtures
# ---------------------------------------------------------------------------
DEMO_PEOPLE = [
    ("880001", "王建国"),
    ("880002", "李娜"),
    ("880003", "张伟"),
    ("880004", "刘洋"),
    ("880005", "陈静"),
    ("880006", "杨帆"),
    ("880007", "赵敏"),
    ("880008", "黄磊"),
    ("880009", "周婷"),
    ("880010", "吴昊"),
    ("880011", "徐丽"),
    ("880012", "孙浩"),
    ("880013", "马晓雪"),
    ("880014", "朱琳"),
    ("880015", "胡军"),
    ("880016", "郭芳"),
    ("880017", "何勇"),
]


@tagged("post_install", "-at_install")
class TestShippedSamples(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Badge IDs are unique in the database: free the demo's, if loaded (rolled back).
        Employee = cls.env["hr.employee"].with_context(active_test=False)
        Employee.search([("barcode", "in", [badge for badge, _name in DEMO_PEOPLE])]).write(
            {"barcode": False}
        )
        Employee.flush_model(["barcode"])  # before the INSERTs below
        cls.people = {
            badge: Employee.create(
                {
                    "name": name,
                    "barcode": badge,
                    "company_id": cls.company.id,
                    "department_id": cls.department.id,
                    "work_email": f"{badge}@sample.example",
                }
            )
            for badge, name in DEMO_PEOPLE
        }

    def _sample(self, import_type, name, **vals):
        return self._import(import_type, name, (SAMPLES / name).read_bytes(), **vals)

    def test_each_sample_imports_and_scores_follow(self):
        attitude = self.env.ref("hr_kpi_service.incident_type_attitude_complaint")
        for import_type, name, rows in (
            ("incident", "incidents_2026-10.xlsx", 11),
            ("survey", "surveys_2026-10.xlsx", 14),
            ("activity", "activities_2026-10.csv", 11),
            ("sla", "sla_2026-10.xls", 60),
        ):
            with self.subTest(sample=name):
                wizard = self._sample(import_type, name)
                self.assertEqual((wizard.new_count, wizard.skipped_count), (rows, 0))
                again = self._sample(import_type, name)
                self.assertEqual((again.new_count, again.skipped_count), (0, rows))
        scheme = self._scheme(
            [
                {
                    "name": "工作量",
                    "code": "REP_WORKLOAD",
                    "weight": 20,
                    "target": 1000,
                    "cap": 120,
                },
                {
                    "name": "差错率",
                    "code": "REP_ERROR_RATE",
                    "weight": 10,
                    "target": 1,
                    "direction": "lower",
                },
                {
                    "name": "满席率",
                    "code": "REP_SEAT_OCCUPANCY",
                    "weight": 10,
                    "target": 95,
                    "cap": 100,
                },
                {
                    "name": "服务投诉",
                    "code": "COMPLAINTS",
                    "weight": 30,
                    "scoring_method": "deduction",
                    "full_points": 30,
                    "deduction_cost": 6,
                    "deduction_cost_major": 12,
                    "source_type": "incident_count",
                    "source_incident_type_ids": [(6, 0, (self.valid | attitude).ids)],
                    "source_major_type_ids": [(6, 0, self.major.ids)],
                },
                {
                    "name": "内部客户满意度",
                    "code": "INTERNAL",
                    "weight": 10,
                    "scoring_method": "likert",
                    "likert_scale": "5",
                    "source_type": "survey_average",
                    "source_card_type": "internal",
                },
                {
                    "name": "培训学时",
                    "code": "TRAINING",
                    "weight": 10,
                    "target": 4,
                    "source_type": "activity_hours",
                    "source_activity_type": "training",
                },
                {
                    "name": "响应及时率",
                    "code": "SLA",
                    "weight": 10,
                    "target": 100,
                    "source_type": "sla_compliance",
                },
            ]
        )
        evaluations = self.env["hr.kpi.evaluation"]
        for badge in [f"8800{n:02d}" for n in range(4, 18)]:
            evaluations |= self._evaluation(self.people[badge], scheme)
        wizard = self._sample("actual", "actuals_2026-10.xlsx", period_id=self.period.id)
        self.assertEqual(wizard.new_count, 42)
        evaluations._compute_scores()

        def actuals(badge):
            evaluation = evaluations.filtered(lambda e: e.employee_id == self.people[badge])
            return {
                line.indicator_id.code: (line.actual_value, line.actual_major, line.points)
                for line in evaluation.line_ids
            }

        liu, chen, yang, huang = (actuals(b) for b in ("880004", "880005", "880006", "880008"))
        self.assertEqual(liu["REP_WORKLOAD"][0], 900.0)
        self.assertEqual(chen["REP_WORKLOAD"][0], 920.0)
        self.assertEqual(liu["COMPLAINTS"], (1.0, 0.0, 24.0))  # 30 - 6
        self.assertEqual(yang["COMPLAINTS"], (2.0, 0.0, 18.0))  # 30 - 2 x 6
        self.assertEqual(huang["COMPLAINTS"], (0.0, 1.0, 18.0))  # 30 - 12
        self.assertEqual(actuals("880013")["COMPLAINTS"][0], 0.0, "unconfirmed: not counted")
        # department cards 14/3, 11/3, 14/3, 11/3 -> 4.1667 for everyone without his own card
        self.assertEqual(liu["INTERNAL"][0], 4.1667)
        self.assertEqual(liu["TRAINING"][0], 5.5)  # 2 + 1 + 1.5 + 1
        self.assertEqual(actuals("880017")["TRAINING"][0], 8.5)  # 4 + 2 + 1.5 + 1
        # all priorities; 杨帆's second complaint was answered 2 working days late: 3 of 6
        self.assertEqual((liu["SLA"][0], chen["SLA"][0], yang["SLA"][0]), (100.0, 75.0, 50.0))


# ---------------------------------------------------------------------------
# Indicator sources of _kpi_filled_actuals (hr_kpi_evaluation._source_values)
# ---------------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestIndicatorSources(ImportCase):
    def _one(self, vals, employees=None):
        """Evaluations of `employees` (rep_a) on a one-indicator scheme, scores computed."""
        scheme = self._scheme([dict({"name": "Sourced", "code": "SRC", "weight": 100}, **vals)])
        evaluations = self.env["hr.kpi.evaluation"]
        for employee in employees or self.rep_a:
            evaluations |= self._evaluation(employee, scheme)
        evaluations._compute_scores()
        return evaluations.line_ids

    def _incident(self, employee, incident_type, day=OCT_9, confirmed=True, points=0.0):
        self.env["hr.kpi.incident"].create(
            {
                "employee_id": employee.id,
                "company_id": self.company.id,
                "type_id": incident_type.id,
                "date": day,
                "confirmed": confirmed,
                "points": points,
            }
        )

    def test_incident_count_with_major_types_deduction_30_6_12(self):
        self._incident(self.rep_a, self.valid)
        self._incident(self.rep_a, self.valid, date(2026, 10, 31))
        self._incident(self.rep_a, self.major)
        self._incident(self.rep_a, self.valid, confirmed=False)  # ignored
        self._incident(self.rep_a, self.major, confirmed=False)  # ignored
        self._incident(self.rep_a, self.valid, date(2026, 11, 1))  # other period
        line = self._one(
            {
                "scoring_method": "deduction",
                "full_points": 30,
                "deduction_cost": 6,
                "deduction_cost_major": 12,
                "source_type": "incident_count",
                "source_incident_type_ids": [(6, 0, self.valid.ids)],
                "source_major_type_ids": [(6, 0, self.major.ids)],
            }
        )
        self.assertEqual((line.has_actual, line.actual_value, line.actual_major), (True, 2.0, 1.0))
        self.assertEqual(line.points, 6.0)  # 30 - 2 x 6 - 1 x 12
        self.assertEqual(line.evaluation_id.total_score, 20.0)  # 6 of 30 points, weight 100

    def test_incident_count_zero_when_nothing_recorded(self):
        line = self._one(
            {
                "scoring_method": "deduction",
                "full_points": 30,
                "deduction_cost": 6,
                "source_type": "incident_count",
                "source_incident_type_ids": [(6, 0, self.valid.ids)],
            }
        )
        self.assertEqual((line.has_actual, line.actual_value, line.points), (True, 0.0, 30.0))

    def test_incident_points(self):
        audit = self.env.ref("hr_kpi_service.incident_type_audit_finding")
        self._incident(self.rep_a, audit, points=2)
        self._incident(self.rep_a, audit, points=5)
        self._incident(self.rep_a, audit, points=10, confirmed=False)
        self._incident(self.rep_a, self.valid, points=3)  # another type
        line = self._one(
            {
                "scoring_method": "penalty",
                "penalty_per_unit": 1,
                "penalty_cap": 10,
                "source_type": "incident_points",
                "source_incident_type_ids": [(6, 0, audit.ids)],
            }
        )
        self.assertEqual(line.actual_value, 7.0)
        self.assertEqual(line.points, -7.0)

    def test_survey_average_from_two_cards_and_department_fallback(self):
        card = self.env.ref("hr_kpi_service.survey_card_internal")
        questions = card.question_ids.sorted("sequence")

        def survey(letters, employee=None, department=None, day=OCT_9):
            self.env["hr.kpi.survey"].create(
                {
                    "card_id": card.id,
                    "date": day,
                    "company_id": self.company.id,
                    "employee_id": employee.id if employee else False,
                    "department_id": department.id if department else False,
                    "answer_ids": [
                        (0, 0, {"question_id": q.id, "answer": a})
                        for q, a in zip(questions, letters, strict=True)
                    ],
                }
            )

        survey("ABC", employee=self.rep_a)  # 5, 4, 3 -> 4.0
        survey("AAA", employee=self.rep_a)  # 5.0
        survey("EEE", employee=self.rep_a, day=date(2026, 9, 30))  # other period
        survey("BBD", department=self.department)  # 4, 4, 2 -> 3.3333 (rep_b has no own card)
        other = self.env["hr.department"].create(
            {"name": "其他部门", "company_id": self.company.id}
        )
        self.rep_c.department_id = other
        lines = self._one(
            {
                "scoring_method": "likert",
                "likert_scale": "5",
                "source_type": "survey_average",
                "source_card_type": "internal",
            },
            employees=self.rep_a | self.rep_b | self.rep_c,
        )
        by_employee = {line.employee_id: line for line in lines}
        self.assertEqual(by_employee[self.rep_a].actual_value, 4.5)  # (4.0 + 5.0) / 2
        self.assertEqual(by_employee[self.rep_a].points, 4.5)
        self.assertEqual(by_employee[self.rep_b].actual_value, 3.3333)
        self.assertFalse(by_employee[self.rep_c].has_actual, "no card: no value, not zero")

    def test_activity_hours_and_count(self):
        Activity = self.env["hr.kpi.activity.record"]
        for day, hours, people, kind in (
            (date(2026, 10, 10), 1.5, self.rep_a | self.rep_b, "training"),
            (date(2026, 10, 17), 2.0, self.rep_a, "training"),
            (date(2026, 11, 2), 8.0, self.rep_a, "training"),  # other period
            (date(2026, 10, 20), 3.0, self.rep_a, "knowledge_sharing"),  # other type
        ):
            Activity.create(
                {
                    "activity_type": kind,
                    "date": day,
                    "hours": hours,
                    "company_id": self.company.id,
                    "participant_ids": [(6, 0, people.ids)],
                }
            )
        hours = self._one(
            {"target": 4, "source_type": "activity_hours", "source_activity_type": "training"},
            employees=self.rep_a | self.rep_b | self.rep_c,
        )
        self.assertEqual(
            {line.employee_id: line.actual_value for line in hours},
            {self.rep_a: 3.5, self.rep_b: 1.5, self.rep_c: 0.0},
        )
        count = self._one(
            {"target": 2, "source_type": "activity_count", "source_activity_type": "training"}
        )
        self.assertEqual(count.actual_value, 2.0)
        self.assertEqual(count.points, 100.0)  # 2 of 2: 100 % of the target

    def test_sla_compliance_three_of_four(self):
        Sla = self.env["hr.kpi.sla.record"]
        start = datetime(2026, 10, 12, 2, 0)  # UTC
        for number, minutes in enumerate((30, 100, 120, 121), start=1):
            Sla.create(
                {
                    "name": f"SR-{number}",
                    "employee_id": self.rep_a.id,
                    "company_id": self.company.id,
                    "priority": "general",
                    "received": start,
                    "first_response": start + timedelta(minutes=minutes),
                }
            )
        Sla.create(
            {
                "name": "SR-9",
                "employee_id": self.rep_a.id,
                "company_id": self.company.id,
                "priority": "urgent",
                "received": start,
            }
        )  # other priority, no response
        lines = self._one(
            {"target": 100, "source_type": "sla_compliance", "source_sla_priority": "general"},
            employees=self.rep_a | self.rep_b,
        )
        by_employee = {line.employee_id: line for line in lines}
        self.assertEqual(by_employee[self.rep_a].actual_value, 75.0)
        self.assertEqual(by_employee[self.rep_a].points, 75.0)
        self.assertFalse(by_employee[self.rep_b].has_actual, "no request: no value")

    def test_sla_period_follows_company_time_zone(self):
        """RELIABILITY F: 2026-11-01 07:00 in Shanghai (2026-10-31 23:00 UTC) is November;
        2026-10-01 01:00 in Shanghai (2026-09-30 17:00 UTC) is October."""
        Sla = self.env["hr.kpi.sla.record"]
        for name, received, minutes in (
            ("november", datetime(2026, 10, 31, 23, 0), 10),
            ("october", datetime(2026, 9, 30, 17, 0), 200),
        ):
            Sla.create(
                {
                    "name": name,
                    "employee_id": self.rep_a.id,
                    "company_id": self.company.id,
                    "priority": "general",
                    "received": received,
                    "first_response": received + timedelta(minutes=minutes),
                }
            )
        Sla.create(
            {
                "name": "mid",
                "employee_id": self.rep_a.id,
                "company_id": self.company.id,
                "priority": "general",
                "received": datetime(2026, 10, 15, 2, 0),
                "first_response": datetime(2026, 10, 15, 2, 10),
            }
        )
        line = self._one({"target": 100, "source_type": "sla_compliance"})
        # October: "october" late, "mid" on time -> 50 % (cut at UTC midnight: 100 %)
        self.assertEqual(line.actual_value, 50.0)

    def test_ratio_of_two_incident_counts(self):
        repeat = self.env.ref("hr_kpi_service.incident_type_repeat_complaint")
        for _i in range(4):
            self._incident(self.rep_a, self.valid)
        self._incident(self.rep_a, repeat)
        self._incident(self.rep_a, repeat, confirmed=False)
        lines = self._one(
            {
                "target": 10,
                "direction": "lower",
                "source_type": "ratio",
                "source_incident_type_ids": [(6, 0, repeat.ids)],
                "source_denominator_type_ids": [(6, 0, self.valid.ids)],
            },
            employees=self.rep_a | self.rep_b,
        )
        by_employee = {line.employee_id: line for line in lines}
        self.assertEqual(by_employee[self.rep_a].actual_value, 25.0)  # 1 of 4
        self.assertFalse(by_employee[self.rep_b].has_actual, "no denominator: no value")

    def test_team_scope_sums_the_direct_reports_incidents(self):
        """A lead's "attitude complaints in the team": his reports' confirmed ones."""
        attitude = self.env.ref("hr_kpi_service.incident_type_attitude_complaint")
        self._incident(self.rep_a, attitude)
        self._incident(self.rep_b, attitude)
        self._incident(self.rep_b, attitude, date(2026, 10, 30))
        self._incident(self.rep_c, attitude, confirmed=False)  # not substantiated
        self._incident(self.boss, attitude)  # his own: not the team's
        self._incident(self.rep_a, attitude, date(2026, 11, 3))  # other period
        lines = self._one(
            {
                "target": 0,
                "direction": "lower",
                "scoring_method": "threshold",
                "full_points": 10,
                "band_ids": [
                    (0, 0, {"sequence": 10, "no_lower": True, "upper": 1, "value": 0}),
                    (0, 0, {"sequence": 20, "lower": 1, "upper": 2, "value": 1}),
                    (0, 0, {"sequence": 30, "lower": 2, "upper": 3, "value": 2}),
                    (0, 0, {"sequence": 40, "lower": 3, "no_upper": True, "value": 3}),
                ],
                "source_type": "incident_count",
                "source_scope": "team",
                "source_incident_type_ids": [(6, 0, attitude.ids)],
            },
            employees=self.boss | self.rep_a,
        )
        by_employee = {line.employee_id: line for line in lines}
        self.assertEqual(by_employee[self.boss].actual_value, 3.0)  # 1 + 2
        self.assertEqual(by_employee[self.boss].points, 7.0)  # 10 - 3 (3 or more)
        self.assertEqual(by_employee[self.rep_a].actual_value, 0.0, "no reports: no team")
        self.assertEqual(by_employee[self.rep_a].points, 10.0)

    def test_fixed_value_when_there_are_no_records(self):
        """Complaints closed in time (seed 004): no complaint received = 100 %."""
        Sla = self.env["hr.kpi.sla.record"]
        received = datetime(2026, 10, 12, 2, 0)  # Monday 10:00 in Shanghai
        for name, employee, responded in (
            ("C-1", self.rep_a, received + timedelta(hours=3)),
            ("C-2", self.rep_a, received + timedelta(days=3)),  # Thursday: > 1 working day
        ):
            Sla.create(
                {
                    "name": name,
                    "employee_id": employee.id,
                    "company_id": self.company.id,
                    "priority": "complaint",
                    "received": received,
                    "first_response": responded,
                    "solved": responded + timedelta(hours=1),
                }
            )
        lines = self._one(
            {
                "target": 100,
                "source_type": "sla_compliance",
                "source_sla_priority": "complaint",
                "source_when_empty": "value",
                "source_empty_value": 100.0,
            },
            employees=self.rep_a | self.rep_b,
        )
        by_employee = {line.employee_id: line for line in lines}
        self.assertEqual(by_employee[self.rep_a].actual_value, 50.0)
        self.assertEqual(
            (by_employee[self.rep_b].has_actual, by_employee[self.rep_b].actual_value),
            (True, 100.0),
        )

    def test_source_options_only_where_they_mean_something(self):
        with self.assertRaisesRegex(ValidationError, "only incident counts and incident points"):
            self._scheme(
                [
                    {
                        "name": "Hours",
                        "code": "H",
                        "weight": 100,
                        "target": 4,
                        "source_type": "activity_hours",
                        "source_activity_type": "training",
                        "source_scope": "team",
                    }
                ]
            )
        with self.assertRaisesRegex(ValidationError, "a fixed value without records"):
            self._scheme(
                [
                    {
                        "name": "Count",
                        "code": "C",
                        "weight": 100,
                        "target": 4,
                        "source_type": "incident_count",
                        "source_incident_type_ids": [(6, 0, self.valid.ids)],
                        "source_when_empty": "value",
                    }
                ]
            )

    def test_sourced_lines_are_not_rated_and_approve_reads_the_records(self):
        """Nobody is asked to rate a value that comes from records; approving fills it
        even when nobody computed the scores before."""
        scheme = self._scheme(
            [
                {"name": "Typed", "code": "TYPED", "weight": 50, "target": 100},
                {
                    "name": "Complaints",
                    "code": "COMPLAINTS",
                    "weight": 50,
                    "scoring_method": "deduction",
                    "full_points": 30,
                    "deduction_cost": 6,
                    "source_type": "incident_count",
                    "source_incident_type_ids": [(6, 0, self.valid.ids)],
                },
            ]
        )
        evaluation = self._evaluation(self.rep_a, scheme)
        self._incident(self.rep_a, self.valid)
        evaluation.action_start()
        rated = evaluation.rating_ids.line_ids.evaluation_line_id.indicator_id
        self.assertEqual(rated.mapped("code"), ["TYPED"])
        typed = evaluation.line_ids.filtered(lambda line: line.indicator_id.code == "TYPED")
        evaluation.write({"state": "hr_review"})
        typed.write({"actual_value": 100.0})
        evaluation.action_approve()
        sourced = evaluation.line_ids - typed
        self.assertEqual((sourced.actual_value, sourced.points), (1.0, 24.0))
        self.assertEqual(evaluation.total_score, 90.0)  # 50 + 50 x 24 / 30
        self.assertEqual(evaluation.state, "approved")
