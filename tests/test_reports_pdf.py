"""The PDF sheets of hr_kpi_service_reports, rendered with the real wkhtmltopdf
on the demo records and read back with pdftotext (poppler-utils).

Each sheet prints in its employee's language: the demo people are given zh_CN,
so the Chinese labels and the real numbers of the demo are asserted.
"""

import re
import subprocess
import tempfile

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

REPORT_EVALUATION = "hr_kpi_service_reports.action_report_kpi_evaluation"
REPORT_STARS = "hr_kpi_service_reports.action_report_kpi_star_review"
REPORT_SCORECARD = "hr_kpi_service_reports.action_report_kpi_scorecard"
REPORT_RESULT = "hr_kpi_service_reports.action_report_kpi_result"
REPORT_PAYSLIP = "payroll.action_report_payslip"


def pdf_text(pdf):
    """The text of a PDF (pdftotext -layout), as it is: its text layer reads 月,
    never the look-alike radical ⽉ (hr_kpi_service/engine/printing.py)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", handle.name, "-"],
            check=True,
            capture_output=True,
        ).stdout.decode()
    return text


def squeeze(text):
    """Text without the spaces pdftotext puts between table cells and CJK glyphs."""
    return re.sub(r"\s+", "", text)


@tagged("post_install", "-at_install")
class TestReportsPdf(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = cls.env.ref("hr_kpi_service.scheme_rep_monthly_demo", False)
        if not cls.demo:
            return
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # The demo people read Chinese: their sheets print in zh_CN.
        employees = cls.env["hr.employee"].search(
            [("company_id", "=", cls.env.ref("base.main_company").id)]
        )
        employees.user_id.write({"lang": "zh_CN"})
        employees.work_contact_id.write({"lang": "zh_CN"})
        cls.october = cls.env["hr.kpi.evaluation"].search(
            [
                ("period_id.period_type", "=", "monthly"),
                ("period_id.date_from", "=", "2026-10-01"),
                ("company_id", "=", cls.env.ref("base.main_company").id),
            ]
        )

    def setUp(self):
        super().setUp()
        if not self.demo:
            self.skipTest("the demo data is not installed")

    def _employee(self, name):
        return self.env.ref(f"hr_kpi_service.employee_{name}_demo")

    def _evaluation(self, name):
        evaluation = self.october.filtered(lambda e: e.employee_id == self._employee(name))
        self.assertEqual(len(evaluation), 1)
        return evaluation

    def _render(self, report, records, user=None, lang=None):
        # Tests get HTML unless the PDF is forced: render with the real wkhtmltopdf.
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if lang:  # the printing user's language (the web client's context)
            Report = Report.with_context(lang=lang)
        if user:
            Report = Report.with_user(user)
        pdf, kind = Report._render_qweb_pdf(report, records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_text(pdf)

    # ------------------------------------------------------------------
    def test_monthly_sheet_shows_total_grade_and_ranks_in_chinese(self):
        evaluation = self._evaluation("zhao_min")
        self.assertEqual(evaluation.total_score, 85)
        text = self._render(REPORT_EVALUATION, evaluation)
        flat = squeeze(text)
        for label in ("月度绩效考核表", "被考核人", "考核人", "人力资源部", "总分", "等级"):
            self.assertIn(label, flat)
        self.assertIn("赵敏", flat)
        self.assertIn(evaluation.department_id.with_context(lang="zh_CN").name, flat)
        self.assertIn("85.00", text)
        # the grade by name, as on the forms, not its code (issue 20, finding 6)
        grade = evaluation.grade_band_id.with_context(lang="zh_CN")
        self.assertIn(squeeze(grade.name), flat)
        self.assertNotIn(squeeze(f"{grade.code} ({grade.name})"), flat)
        # ranks: "部门内排名 <n>" and "公司内排名 <n>"
        self.assertRegex(flat, rf"部门内排名{evaluation.rank_department}\D")
        self.assertRegex(flat, rf"公司内排名{evaluation.rank_company}\D")
        # every indicator, its weight and the weighted score it adds
        for line in evaluation.line_ids:  # the start of each name (long ones wrap)
            self.assertIn(squeeze(line.indicator_id.with_context(lang="zh_CN").name)[:8], flat)
        self.assertIn(format(evaluation.line_ids[0].weighted_score, ".2f"), text)
        self.assertNotIn("评分人及权重", flat)  # the demo scheme weighs no rater groups

    def test_monthly_sheet_shows_the_rater_weights_after_redistribution(self):
        """Seed 003 weighs self 15 / superior 60 / review group 25; 赵敏's lines are
        all the superior's (or records'), so the superior's part carries 100 %."""
        evaluation = self._evaluation("zhao_min")
        evaluation.scheme_id.rater_config_id = self.env.ref("hr_kpi_service.rater_config_seed003")
        self.assertFalse({"self", "group"} & set(evaluation.line_ids.mapped("rater_role")))
        text = self._render(REPORT_EVALUATION, evaluation)
        flat = squeeze(text)
        self.assertIn("评分人及权重", flat)
        self.assertIn("部分评分组未评分", flat)
        rows = {
            role: next(line for line in text.splitlines() if line.strip().startswith(role))
            for role in ("自评", "上级", "小组考核")
        }
        self.assertEqual(rows["上级"].split()[-2:], ["60.00", "100.00"])
        self.assertEqual(rows["自评"].split()[-2:], ["15.00", "0.00"])
        self.assertEqual(rows["小组考核"].split()[-2:], ["25.00", "0.00"])

    def test_monthly_sheet_shows_the_appeal_outcome(self):
        evaluation = self._evaluation("liu_yang")
        self.assertTrue(evaluation.appeal_ids)
        text = squeeze(self._render(REPORT_EVALUATION, evaluation))
        self.assertIn("申诉", text)
        self.assertIn("申诉截止", text)
        outcome = dict(
            self.env["hr.kpi.appeal"]
            .with_context(lang="zh_CN")
            ._fields["state"]
            ._description_selection(self.env(context={"lang": "zh_CN"}))
        )[evaluation.appeal_ids[0].state]
        self.assertIn(outcome, text)

    def test_batch_of_evaluations_is_one_pdf_with_each_employee(self):
        evaluations = self.october[:6]
        text = squeeze(self._render(REPORT_EVALUATION, evaluations))
        self.assertEqual(text.count("月度绩效考核表"), len(evaluations))
        for evaluation in evaluations:
            self.assertIn(squeeze(evaluation.employee_id.name), text)

    def test_a_rep_prints_only_his_own_sheet(self):
        rep = self.env.ref("hr_kpi_service.user_kpi_rep_demo")
        own = self.october.filtered(lambda e: e.employee_id.user_id == rep)
        self.assertEqual(len(own), 1)
        text = squeeze(self._render(REPORT_EVALUATION, own, user=rep))
        self.assertIn(squeeze(own.employee_id.name), text)
        other = self._evaluation("zhao_min")
        with self.assertRaises(AccessError):
            self._render(REPORT_EVALUATION, other, user=rep)
        with self.assertRaises(AccessError):
            self._render(REPORT_EVALUATION, own | other, user=rep)

    def test_payslip_appendix_shows_the_seed_formulas(self):
        run = self.env["hr.payslip.run"].search([("date_start", "=", "2026-10-01")])
        slips = run.slip_ids.filtered(
            lambda s: s.employee_id
            in self._employee("zhao_min") | self._employee("zhang_wei") | self._employee("wang_jianguo")
        )
        self.assertEqual(len(slips), 3)
        # the three in one PDF (one document for wkhtmltopdf on an unpatched Qt)
        text = self._render(REPORT_PAYSLIP, slips)
        flat = squeeze(text)
        self.assertEqual(flat.count("绩效附录"), 3)
        # 赵敏: 2000 + 1200 x 85 % + 200 = 3220
        self.assertIn(squeeze("1200 × 85 % = 1020"), flat)
        self.assertIn(squeeze("2000 + 1200 × 85 % + 200 = 3220"), flat)
        # 张伟: 2800 + 2000 x 85 % + 200 = 4700
        self.assertIn(squeeze("2800 + 2000 × 85 % + 200 = 4700"), flat)
        # 王建国: 5000 x 95 % = 4750
        self.assertIn(squeeze("5000 × 95 % = 4750"), flat)
        for label in ("星级绩效工资", "全勤奖", "绩效工资", "绩效得分", "星级"):
            self.assertIn(label, flat)
        # the grade by name, not its code (issue 20, finding 6)
        grade = slips.kpi_evaluation_id.grade_band_id[:1].with_context(lang="zh_CN")
        self.assertIn(squeeze(grade.name), flat)
        self.assertNotIn(squeeze(f"{grade.code} ({grade.name})"), flat)

    def test_payslip_appendix_names_the_awards(self):
        """陈静, lifted to five stars by a commendation: the one-time award (500)."""
        run = self.env["hr.payslip.run"].search([("date_start", "=", "2026-10-01")])
        slip = run.slip_ids.filtered(lambda s: s.employee_id == self._employee("chen_jing"))
        award = self.env["hr.kpi.award"].search(
            [("employee_id", "=", slip.employee_id.id), ("amount", "=", 500)]
        )
        self.assertEqual(len(award), 1)
        label = dict(
            award._fields["award_type"]._description_selection(self.env(context={"lang": "zh_CN"}))
        )[award.award_type]
        flat = squeeze(self._render(REPORT_PAYSLIP, slip))
        self.assertIn("月度奖励", flat)
        self.assertIn(squeeze(f"{label} 500"), flat)

    def test_payslip_appendix_explains_the_advisor_commission(self):
        """赵宏伟 (售后服务部): the group's commission formula, the reception-score cut
        and his team-reward share print on his payslip's appendix."""
        run = self.env["hr.payslip.run"].search([("date_start", "=", "2026-10-01")])
        slip = run.slip_ids.filtered(lambda s: s.employee_id == self._employee("zhao_hongwei"))
        flat = squeeze(self._render(REPORT_PAYSLIP, slip))
        self.assertIn("绩效附录", flat)
        self.assertIn(
            squeeze("(446000 × 0.5 % × 103.72 % × 95 % + 22500 × 6 %) × 1.2/3 = 1418.93"), flat
        )
        self.assertIn(squeeze("−1418.93 × 10 % = -141.89"), flat)
        self.assertIn("1980", flat)

    def test_star_review_sheet(self):
        review = self.env["hr.kpi.star.review"].search(
            [
                ("period_id.date_from", "=", "2026-07-01"),
                ("period_id.period_type", "=", "quarterly"),
            ]
        )
        self.assertEqual(len(review), 1)
        # The review prints in the printing officer's language.
        text = self._render(REPORT_STARS, review, lang="zh_CN")
        flat = squeeze(text)
        for label in ("季度星级评定表", "全勤", "技能测试", "五星名额", "已用", "作废"):
            self.assertIn(label, flat)
        zhao = review.line_ids.filtered(lambda l: l.employee_id == self._employee("zhao_min"))
        # 赵敏: 85 a month, 75 characters a minute, 3 stars (seed 003 example B)
        row = next(line for line in text.splitlines() if "赵敏" in line)
        self.assertEqual(row.count("85.00"), 4, row)  # three months and their mean
        self.assertIn("75", row)
        self.assertIn(str(zhao.stars), row)
        self.assertIn(f"{review.on_duty_count}", flat)

    def test_department_scorecard_averages_the_period(self):
        period = self.october.period_id
        text = self._render(REPORT_SCORECARD, period, lang="zh_CN")
        flat = squeeze(text)
        for label in ("部门平衡计分卡", "视角", "权重", "衡量标准", "计算方法", "数据来源", "KPI权重", "得分"):
            self.assertIn(label, flat)
        reps = self.october.filtered(
            lambda e: e.scheme_id == self.demo and e.state in ("approved", "published", "appealed", "closed")
        )
        mean = sum(reps.mapped("total_score")) / len(reps)
        self.assertIn(format(mean, ".2f"), text)

    def test_annual_result_sheet(self):
        company = self.env.ref("base.main_company")
        Period = self.env["hr.kpi.period"]
        year = Period._get_or_create(self.october.period_id.date_from, "annual", company)
        quarter = Period.search(
            [
                ("company_id", "=", company.id),
                ("period_type", "=", "quarterly"),
                ("date_from", "=", "2026-07-01"),
            ]
        )
        self.assertEqual(quarter.parent_id, year)
        results = self.env["hr.kpi.result"]._aggregate(quarter)
        results |= self.env["hr.kpi.result"]._aggregate(year)
        annual = results.filtered(
            lambda r: r.period_id == year and r.employee_id == self._employee("zhao_min")
        )
        self.assertEqual(len(annual), 1)
        consequence = self.env["hr.kpi.consequence"].create(
            {
                "employee_id": annual.employee_id.id,
                "company_id": company.id,
                "rule": "annual_priority",
                "trigger_key": "test-report",
                "result_ids": [(6, 0, annual.ids)],
                "description": "测试后果说明",
            }
        )
        text = self._render(REPORT_RESULT, annual)
        flat = squeeze(text)
        for label in ("年度绩效考核结果表", "季度结果", "年度平均", "后续措施"):
            self.assertIn(label, flat)
        self.assertIn("赵敏", flat)
        self.assertIn(format(annual.score, ".2f"), text)
        self.assertIn(quarter.name, text)
        self.assertIn(consequence.description, flat)
