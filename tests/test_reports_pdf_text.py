"""Issue 20, finding 6 (the printed details): the text layer of a PDF is searchable
in Chinese, counts print without decimals, deadlines without seconds, and a batch
of payslips prints as one PDF on the wkhtmltopdf the set-up installs (Debian's,
on an unpatched Qt). Real wkhtmltopdf, read back with pdftotext as it is: no
folding of radicals here (RELIABILITY #45: the printed sheet says what the screen
says).
"""

import re
import subprocess
import tempfile

from odoo.tests import TransactionCase, tagged

REPORT_EVALUATION = "hr_kpi_service_reports.action_report_kpi_evaluation"
REPORT_PAYSLIP = "payroll.action_report_payslip"
# CJK Radicals Supplement and Kangxi Radicals: look-alikes of ideographs
RADICAL = re.compile("[\u2e80-\u2fdf]")


def raw_pdf_text(pdf):
    """The text layer of a PDF as pdftotext reads it, untouched."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", handle.name, "-"],
            check=True,
            capture_output=True,
        ).stdout.decode()


def squeeze(text):
    return re.sub(r"\s+", "", text)


@tagged("post_install", "-at_install")
class TestReportsPdfText(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = cls.env.ref("hr_kpi_service.scheme_rep_monthly_demo", False)
        if not cls.demo:
            return
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.ref("base.main_company")
        employees = cls.env["hr.employee"].search([("company_id", "=", cls.company.id)])
        employees.user_id.write({"lang": "zh_CN"})
        employees.work_contact_id.write({"lang": "zh_CN"})
        cls.october = cls.env["hr.kpi.evaluation"].search(
            [
                ("period_id.period_type", "=", "monthly"),
                ("period_id.date_from", "=", "2026-10-01"),
                ("company_id", "=", cls.company.id),
            ]
        )
        cls.batch = cls.env["hr.payslip.run"].search(
            [("date_start", "=", "2026-10-01"), ("company_id", "=", cls.company.id)], limit=1
        )

    def setUp(self):
        super().setUp()
        if not self.demo:
            self.skipTest("the demo data is not installed")

    def _pdf(self, report, ids, user=None):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if user:
            Report = Report.with_user(user)
        pdf, kind = Report._render_qweb_pdf(report, ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def test_monthly_sheet_text_is_searchable_in_chinese(self):
        """`pdftotext` finds 月度 on a monthly sheet; no look-alike radical (⽉ for 月)
        is left in the text layer."""
        evaluation = self.october.filtered(lambda e: e.employee_id.name == "赵敏")
        text = raw_pdf_text(self._pdf(REPORT_EVALUATION, evaluation.ids))
        self.assertIn("月度", text)
        self.assertIn("月度绩效考核表", squeeze(text))
        self.assertEqual(RADICAL.findall(text), [])

    def test_counts_print_without_decimals(self):
        """郭芳 handled 1,080 calls against 1,000: a count prints as a whole number;
        her satisfaction (95.90 %) and the scores keep their decimals."""
        evaluation = self.october.filtered(lambda e: e.employee_id.name == "郭芳")
        calls = evaluation.line_ids.filtered(lambda line: line.actual_value == 1080)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls.value_digits, 0)
        text = raw_pdf_text(self._pdf(REPORT_EVALUATION, evaluation.ids))
        row = next(line for line in text.splitlines() if "1,080" in line)
        self.assertNotIn("1,080.00", row)
        self.assertNotIn("1,000.00", row)
        self.assertIn("1,000", row)
        self.assertIn("95.90", text)
        self.assertIn(f"{evaluation.total_score:.2f}", text)

    def test_deadline_prints_in_the_readers_time_without_seconds(self):
        """The appeal deadline (16:00 UTC, the end of the day in Shanghai) prints as
        the reader's 00:00 of the next day, never with 时/分/秒 seconds (RELIABILITY #34)."""
        evaluation = self.october.filtered(lambda e: e.appeal_deadline)[:1]
        self.assertTrue(evaluation)
        officer = self.env.ref("base.user_admin")
        officer.tz = "Asia/Shanghai"
        text = squeeze(raw_pdf_text(self._pdf(REPORT_EVALUATION, evaluation.ids, user=officer)))
        deadline = evaluation.appeal_deadline
        self.assertEqual(deadline.hour, 16)
        day = deadline.day + 1
        self.assertIn(f"{deadline:%Y}年{deadline:%m}月{day:02d}日00:00", text)
        self.assertNotIn("秒", text)
        self.assertNotIn("00时00分", text)

    def test_twenty_payslips_print_as_one_pdf_from_the_list_and_the_batch(self):
        """OCA's payslip report for a batch ended in EmptyFileError on Debian's
        wkhtmltopdf: now one PDF, one page per payslip with its employee's name,
        from the payslip list (20 selected) as from the batch's Print button."""
        slips = self.batch.slip_ids.sorted(lambda slip: slip.employee_id.name)
        self.assertGreaterEqual(len(slips), 20)
        twenty = slips[:20]
        self._assert_one_page_each(
            self._pdf(REPORT_PAYSLIP, twenty.ids), twenty.employee_id.mapped("name")
        )
        officer = self.env.ref("base.user_admin")
        action = self.batch.with_user(officer).action_print_payslips()
        # an administrator is first offered the document layout, then the report
        action = action["context"].get("report_action", action)
        self.assertEqual(action["report_name"], "payroll.report_payslip")
        self.assertEqual(sorted(action["context"]["active_ids"]), sorted(slips.ids))
        pdf = self._pdf(action["report_name"], action["context"]["active_ids"], user=officer)
        self._assert_one_page_each(pdf, slips.employee_id.mapped("name"))

    def _assert_one_page_each(self, pdf, names):
        """One page per name, each name on its own page (a name inside a longer
        one, 王建 in 王建国, counts on the longer one's page only)."""
        pages = [squeeze(page) for page in raw_pdf_text(pdf).split("\f") if page.strip()]
        self.assertEqual(len(pages), len(names))
        found = {}
        for name in names:
            longer = [other for other in names if other != name and name in other]
            where = [
                number
                for number, page in enumerate(pages)
                if page.count(name) > sum(page.count(other) for other in longer)
            ]
            self.assertEqual(len(where), 1, f"{name} on pages {where}")
            found[name] = where[0]
        self.assertEqual(sorted(found.values()), list(range(len(names))))
