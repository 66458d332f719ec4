"""Spreadsheet exports of the reports addon (OCA report_xlsx), on the demo:
rendered through ir.actions.report, read back with openpyxl: Chinese headers for
a Chinese user, frozen header rows, and the demo's figures (October 2026: 赵敏
2000 + 1200 × 85 % + 200 = 3220)."""

import io

import openpyxl

from odoo.tests import TransactionCase, new_test_user, tagged

PERIOD_XLSX = "hr_kpi_service_reports.report_hr_kpi_period_results_xlsx"
STAR_XLSX = "hr_kpi_service_reports.report_hr_kpi_star_review_xlsx"
BATCH_XLSX = "hr_kpi_service_reports.report_hr_payslip_run_kpi_xlsx"


def _column(headers, text):
    """Index of the header containing `text` (exactly one)."""
    found = [index for index, header in enumerate(headers) if header and text in header]
    assert len(found) == 1, f"{text!r} in {headers}"
    return found[0]


@tagged("post_install", "-at_install")
class TestReportsXlsx(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = bool(cls.env.ref("hr_kpi_service.scheme_rep_monthly_demo", False))
        if not cls.demo:
            return
        cls.company = cls.env.ref("base.main_company")
        groups = "base.group_user,hr_kpi_service.group_kpi_officer,payroll.group_payroll_manager"
        company = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.zh_user = new_test_user(
            cls.env, "kpi_xlsx_zh", groups=groups, lang="zh_CN", **company
        )
        cls.en_user = new_test_user(
            cls.env, "kpi_xlsx_en", groups=groups, lang="en_US", **company
        )
        cls.october = cls.env["hr.kpi.period"].search(
            [
                ("company_id", "=", cls.company.id),
                ("period_type", "=", "monthly"),
                ("date_from", "=", "2026-10-01"),
            ]
        )
        cls.zhao_min = cls.env.ref("hr_kpi_service.employee_zhao_min_demo")

    def setUp(self):
        super().setUp()
        if not self.demo:
            self.skipTest("the demo data is not installed")

    def _render(self, xmlid, ids, user=None):
        report = self.env["ir.actions.report"].with_user(user or self.zh_user)
        content, kind = report._render(xmlid, ids)
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def _table(self, sheet, header_row):
        rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
        return list(rows[0]), [list(row) for row in rows[1:]]

    def _row(self, headers, rows, name):
        matches = [row for row in rows if row[0] == name]
        self.assertEqual(len(matches), 1, name)
        return dict(zip(headers, matches[0], strict=True))

    # ------------------------------------------------------------------
    def test_period_results(self):
        book = self._render(PERIOD_XLSX, self.october.ids)
        evaluations = self.env["hr.kpi.evaluation"].search([("period_id", "=", self.october.id)])
        self.assertEqual(len(book.worksheets), len(evaluations.scheme_id), "one sheet per scheme")
        evaluation = evaluations.filtered(lambda e: e.employee_id == self.zhao_min)
        sheet = next(
            ws for ws in book.worksheets
            if any(row[0] == self.zhao_min.name for row in ws.iter_rows(values_only=True))
        )
        self.assertEqual(sheet.freeze_panes, "B3", "title and header rows frozen, and the name")
        headers, rows = self._table(sheet, 2)
        for label in ("员工", "部门", "岗位", "得分", "等级", "部门内排名", "公司内排名", "星级"):
            self.assertIn(label, headers)
        same_scheme = evaluations.filtered(lambda e: e.scheme_id == evaluation.scheme_id)
        self.assertEqual(len(rows), len(same_scheme), "one row per employee")
        row = dict(zip(headers, next(r for r in rows if r[0] == self.zhao_min.name), strict=True))
        self.assertAlmostEqual(row["得分"], evaluation.total_score, 2)
        # the grade by name, as on the forms (issue 20, finding 6)
        self.assertEqual(row["等级"], evaluation.grade_band_id.with_context(lang="zh_CN").name)
        self.assertNotEqual(row["等级"], evaluation.grade)
        self.assertEqual(row["部门内排名"], evaluation.rank_department)
        self.assertEqual(row["公司内排名"], evaluation.rank_company)
        star = self.env["hr.kpi.star.month"].search(
            [("employee_id", "=", self.zhao_min.id), ("period_id", "=", self.october.id)]
        )
        self.assertEqual(row["星级"], star.stars)
        # a column per indicator: its points
        for line in evaluation.line_ids:  # headed in the zh_CN user's language
            indicator = line.indicator_id.with_context(lang="zh_CN")
            self.assertAlmostEqual(row[indicator.name] or 0.0, line.points, 2)
        # the KPI pay of the October payslip: 1200 x 85 % + 200
        self.assertEqual(row[headers[_column(headers, "(KPI_STAR)")]], 1020)
        self.assertEqual(row[headers[_column(headers, "(KPI_ATT)")]], 200)
        self.assertEqual(row[headers[-1]], 1220)
        self.assertEqual(headers[-1], "KPI 金额合计")
        self.assertEqual(
            sheet["A1"].value,
            f"{self.october.name} 考核结果：{evaluation.scheme_id.with_context(lang='zh_CN').name}",
        )

    def test_period_results_in_english_for_an_english_user(self):
        book = self._render(PERIOD_XLSX, self.october.ids, user=self.en_user)
        headers, _rows = self._table(book.worksheets[0], 2)
        self.assertEqual(headers[:3], ["Employee", "Department", "Job"])
        self.assertIn("Score", headers)

    def test_period_results_follow_the_record_rules(self):
        """A rep's export holds his own row only (rendering reads as the user)."""
        rep = self.env.ref("hr_kpi_service.user_kpi_rep_demo")
        book = self._render(PERIOD_XLSX, self.october.ids, user=rep)
        names = [
            row[0] for ws in book.worksheets for row in ws.iter_rows(min_row=3, values_only=True)
        ]
        self.assertEqual(names, [rep.employee_id.name])

    def test_star_review(self):
        review = self.env["hr.kpi.star.review"].search(
            [("company_id", "=", self.company.id), ("state", "=", "done")], limit=1
        )
        self.assertTrue(review.line_ids)
        book = self._render(STAR_XLSX, review.ids)
        sheet = book.worksheets[0]
        self.assertEqual(sheet.freeze_panes, "B4")
        self.assertEqual(sheet["A1"].value, review.name)
        headers, rows = self._table(sheet, 3)
        for label in ("员工", "季度得分", "出勤事件", "技能考核", "星级", "规则"):
            self.assertIn(label, headers)
        self.assertEqual(len(rows), len(review.line_ids))
        for line in review.line_ids:
            row = self._row(headers, rows, line.employee_id.name)
            self.assertAlmostEqual(row["季度得分"], line.quarter_score, 2)
            self.assertEqual(row["星级"], line.stars)
            self.assertEqual(row["出勤事件"], line.attendance_events)
        self.assertIn("五星名额", sheet["A2"].value)

    def test_payslip_batch_kpi_amounts(self):
        run = self.env["hr.payslip.run"].search(
            [("company_id", "=", self.company.id), ("date_start", "=", "2026-10-01")]
        )
        self.assertEqual(len(run), 1)
        book = self._render(BATCH_XLSX, run.ids)
        sheet = book.worksheets[0]
        self.assertEqual(sheet.freeze_panes, "B3")
        headers, rows = self._table(sheet, 2)
        self.assertEqual(headers[0], "员工")
        # the addon's own headers (zh_CN of hr_kpi_service_reports)
        self.assertEqual(headers[-2:], ["KPI 金额合计", "实发工资"])
        self.assertIn("星级绩效工资 (KPI_STAR)", headers)
        self.assertEqual(len(rows), len(run.slip_ids), "one row per payslip")
        star, att, perf = (
            _column(headers, "(KPI_STAR)"),
            _column(headers, "(KPI_ATT)"),
            _column(headers, "(KPI_PERF)"),
        )
        by_name = {row[0]: row for row in rows}
        zhao_min = by_name["赵敏"]
        self.assertEqual((zhao_min[star], zhao_min[att]), (1020, 200))
        self.assertEqual(zhao_min[-2:], [1220, 3220], "KPI total, net pay 2000 + 1020 + 200")
        self.assertEqual(by_name["张伟"][-1], 4700)
        self.assertEqual(by_name["王建国"][perf], 4750)
        # every KPI amount is the payslip's input line
        for slip in run.slip_ids:
            row = by_name[slip.employee_id.name]
            for line in slip.input_line_ids.filtered(lambda i: i.code.startswith("KPI_")):
                if line.amount:
                    self.assertAlmostEqual(row[_column(headers, f"({line.code})")], line.amount, 2)
