"""Payslips speak the employee's language (issue 13): input and line names, the
payslip's name, the structure's name and the printed payslip, in the language of
the payslip's employee (his user's, else his company's, else the creator's)."""

from datetime import date

from odoo.tests import TransactionCase, new_test_user, tagged

from .test_kpi_payroll import NOV_FROM, NOV_TO, PayrollCase
from .test_reports_pdf import pdf_text, squeeze

# The zh_CN names of the shipped rule inputs and structure (i18n: model terms of
# hr.rule.input and hr.payroll.structure, translatable since issue 13).
ZH_INPUTS = {
    "KPI_STAR": "星级绩效工资（星级工资 × 得分 %）",
    "KPI_ATT": "全勤奖",
    "KPI_PERF": "绩效工资（绩效基数 × 得分 %）",
}
ZH_STRUCTURE = "客服人员"
STRUCTURE = "hr_kpi_service.payroll_structure_customer_service"
# the rules' zh_CN names, shipped in i18n/zh_CN.po
ZH_LINES = {
    "BASIC": "基本工资",
    "KPI_STAR": "星级绩效工资",
    "KPI_ATT": "全勤奖",
    "KPI_PERF": "绩效工资",
    "GROSS": "应发工资",
    "NET": "实发工资",
}
EN_LINES = {
    "BASIC": "Base salary",
    "KPI_STAR": "Star performance pay",
    "KPI_ATT": "Full-attendance bonus",
    "GROSS": "Gross",
    "NET": "Net salary",
}


def _set_zh_names(env):
    """The zh_CN names of the rule inputs and the structure, as the .po gives them."""
    env["res.lang"]._activate_lang("zh_CN")
    inputs = env.ref(STRUCTURE).rule_ids.input_ids
    for rule_input in inputs:
        if rule_input.code in ZH_INPUTS:
            rule_input.update_field_translations("name", {"zh_CN": ZH_INPUTS[rule_input.code]})
    env.ref(STRUCTURE).update_field_translations("name", {"zh_CN": ZH_STRUCTURE})


@tagged("post_install", "-at_install")
class TestPayslipLanguage(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _set_zh_names(cls.env)
        cls.company.partner_id.lang = "en_US"
        cls.rep, cls.rep_contract = cls._staff("客服代表中", cls.job_rep, 2000)
        cls.lead, cls.lead_contract = cls._staff("Lead English", cls.job_lead, 2800)
        cls.rep.user_id = new_test_user(cls.env, "zh_rep_t", lang="zh_CN")
        cls.lead.user_id = new_test_user(cls.env, "en_lead_t", lang="en_US")
        cls._publish({cls.rep: 85, cls.lead: 85})
        cls._star(cls.rep, 3, 1200)
        cls._star(cls.lead, 2, 2000, role="lead")
        # a Chinese payroll officer
        cls.payroll.lang = "zh_CN"

    @staticmethod
    def _names(records):
        return {record.code: record.name for record in records}

    def test_zh_cn_employee_gets_chinese_inputs_and_lines(self):
        slip = self._pay(self.rep_contract)
        self.assertEqual(self._total(slip, "NET"), 3220.0)
        self.assertEqual(
            self._names(slip.input_line_ids),
            {"KPI_STAR": ZH_INPUTS["KPI_STAR"], "KPI_ATT": ZH_INPUTS["KPI_ATT"]},
        )
        lines = self._names(slip.line_ids.with_context(lang="en_US"))
        self.assertEqual(lines, {code: ZH_LINES[code] for code in EN_LINES})
        self.assertEqual(slip._kpi_lang(), "zh_CN")

    def test_en_us_employee_keeps_english_whoever_computes(self):
        """The officer reads Chinese; the employee's payslip stays English."""
        slip = self._pay(self.lead_contract)
        self.assertEqual(self._total(slip, "NET"), 4700.0)
        self.assertEqual(self._names(slip.line_ids.with_context(lang="zh_CN")), EN_LINES)
        self.assertEqual(
            self._names(slip.input_line_ids),
            {
                "KPI_STAR": "Star performance pay (star pay × score %)",
                "KPI_ATT": "Full-attendance bonus",
            },
        )

    def test_batch_wizard_names_each_payslip_in_its_language(self):
        run = self.env["hr.payslip.run"].create(
            {"name": "十一月", "date_start": NOV_FROM, "date_end": NOV_TO}
        )
        self.env["hr.payslip.employees"].with_user(self.payroll).with_context(
            active_id=run.id, lang="zh_CN"
        ).create({"employee_ids": [(6, 0, (self.rep | self.lead).ids)]}).compute_sheet()
        slips = {slip.employee_id: slip for slip in run.slip_ids}
        zh, en = slips[self.rep], slips[self.lead]
        self.assertEqual((self._total(zh, "NET"), self._total(en, "NET")), (3220.0, 4700.0))
        self.assertEqual(self._names(zh.input_line_ids)["KPI_STAR"], ZH_INPUTS["KPI_STAR"])
        self.assertEqual(self._names(zh.line_ids)["NET"], "实发工资")
        self.assertEqual(
            self._names(en.input_line_ids)["KPI_STAR"], "Star performance pay (star pay × score %)"
        )
        self.assertEqual(self._names(en.line_ids)["NET"], "Net salary")
        # each in its employee's language, whoever runs the wizard (babel writes the month)
        self.assertEqual(en.name, "Salary Slip of Lead English for November 2026")
        self.assertEqual(zh.name, f"{self.rep.name} 2026年11月工资单")

    def test_language_chain_user_then_company_then_creator(self):
        Payslip = self.env["hr.payslip"]
        nobody, _contract = self._staff("无账号员工", self.job_rep, 2000)
        self.assertEqual(Payslip._kpi_lang_of(self.rep), "zh_CN")
        # no user: the company's language
        self.company.partner_id.lang = "zh_CN"
        self.assertEqual(Payslip._kpi_lang_of(nobody), "zh_CN")
        # no company language: the creator's
        self.company.partner_id.lang = False
        self.assertEqual(Payslip.with_user(self.payroll)._kpi_lang_of(nobody), "zh_CN")
        self.assertEqual(Payslip._kpi_lang_of(nobody, creator=self.lead.user_id), "en_US")
        # the user's language first
        self.assertEqual(Payslip._kpi_lang_of(self.lead), "en_US")

    def test_structure_name_translated(self):
        self.assertEqual(self.structure.with_context(lang="zh_CN").name, ZH_STRUCTURE)
        self.assertEqual(self.structure.with_context(lang="en_US").name, "Customer service")

    def test_printed_payslips_each_in_its_language(self):
        zh, en = self._pay(self.rep_contract), self._pay(self.lead_contract)
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = Report.with_user(self.payroll)._render_qweb_pdf(
            "payroll.action_report_payslip", (zh | en).ids
        )
        self.assertEqual(kind, "pdf")
        text = pdf_text(pdf)
        pages = text.split("\f")
        zh_page = squeeze(next(page for page in pages if "3,220" in page or "3220" in page))
        en_page = next(page for page in pages if "4,700" in page or "4700" in page)
        for name in ("工资单", "基本工资", "星级绩效工资", "全勤奖", "实发工资"):
            self.assertIn(name, zh_page)
        self.assertNotIn("Net salary", zh_page)
        for name in ("Pay Slip", "Base salary", "Star performance pay", "Net salary"):
            self.assertIn(name, en_page)
        self.assertNotIn("实发工资", squeeze(en_page))


@tagged("post_install", "-at_install")
class TestDemoPayslipsInChinese(TransactionCase):
    """The demo's payslips (3220 / 4700 / 4750) computed again by a payroll officer
    who reads English show Chinese names: the demo company speaks zh_CN."""

    def test_demo_payslips_show_chinese_line_names(self):
        if not self.env.ref("hr_kpi_service.scheme_rep_monthly_demo", False):
            self.skipTest("the demo data is not installed")
        _set_zh_names(self.env)
        company = self.env.ref("base.main_company")
        company.partner_id.lang = "zh_CN"
        officer = new_test_user(
            self.env,
            "demo_payroll_t",
            groups="base.group_user,payroll.group_payroll_manager",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
            lang="en_US",
        )
        slips = self.env["hr.payslip"].search(
            [
                ("struct_id", "=", self.env.ref(STRUCTURE).id),
                ("date_from", "=", date(2026, 10, 1)),
                ("state", "in", ("draft", "verify")),
            ]
        )
        slips.employee_id.user_id.write({"lang": "zh_CN"})
        slips = slips.with_user(officer)
        slips.action_add_kpi_lines()
        slips.compute_sheet()
        nets = {slip.get_salary_line_total("NET"): slip for slip in slips}
        perf = {slip.get_salary_line_total("KPI_PERF"): slip for slip in slips}
        shown = {3220.0: nets.get(3220.0), 4700.0: nets.get(4700.0), 4750.0: perf.get(4750.0)}
        for amount, slip in shown.items():
            self.assertTrue(slip, f"no demo payslip shows {amount}")
            lines = {line.code: line.name for line in slip.line_ids.with_context(lang="en_US")}
            self.assertEqual(lines["BASIC"], "基本工资")
            self.assertEqual(lines["NET"], "实发工资")
            self.assertEqual(lines.get("KPI_STAR", lines.get("KPI_PERF")), (
                "星级绩效工资" if "KPI_STAR" in lines else "绩效工资"
            ))
        self.assertEqual(
            {line.code: line.name for line in shown[3220.0].input_line_ids}["KPI_STAR"],
            ZH_INPUTS["KPI_STAR"],
        )
