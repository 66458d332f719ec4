"""What the addon changes for a salary structure without KPI rules (issue 22,
README "Payroll-wide behaviour"): an integrator's other structures.

Deliberate hardening, for every payslip (RELIABILITY #30): a done payslip keeps
its input and computed lines, is not computed again, and its state changes only
through payroll's own buttons. Fixes of OCA's language handling, for every
payslip: its name is built in its language (OCA ships no zh_CN month), and its
lines carry their rule's name in that language. KPI-only (RELIABILITY #32): no
KPI input is added, the sheet computes base, gross and net as OCA would, and the
printed payslip has no KPI appendix.
"""

from odoo.exceptions import UserError
from odoo.tests import tagged

from . import test_kpi_payroll as payroll


@tagged("post_install", "-at_install")
class TestPayrollWithoutKpiRules(payroll.PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain = cls.env["hr.payroll.structure"].create(
            {
                "name": "普通员工",
                "code": "PLAIN_T",
                "company_id": cls.company.id,
                "rule_ids": [
                    (
                        6,
                        0,
                        [
                            cls.env.ref(f"hr_kpi_service.salary_rule_kpi_{code}").id
                            for code in ("basic", "gross", "net")
                        ],
                    )
                ],
            }
        )
        cls.employee, cls.contract = cls._staff(
            "普通员工甲", cls.job_rep, 3000, struct_id=cls.plain.id
        )
        cls.company.partner_id.lang = "zh_CN"  # a Chinese company's payslips read Chinese

    def _plain_payslip(self):
        slip = self._payslip(self.contract)
        slip.struct_id = self.plain
        return slip

    def test_no_kpi_input_and_oca_amounts(self):
        """RELIABILITY #32: no KPI input, base = gross = net = wage, no evaluation."""
        slip = self._plain_payslip()
        inputs = slip.get_inputs(self.contract, slip.date_from, slip.date_to)
        self.assertFalse([vals for vals in inputs if vals["code"] in payroll.KPI_CODES])
        self.assertFalse(slip._kpi_structure_carries_kpi())
        slip.compute_sheet()
        self.assertFalse(slip.input_line_ids)
        self.assertEqual(
            {line.code: line.total for line in slip.line_ids},
            {"BASIC": 3000.0, "GROSS": 3000.0, "NET": 3000.0},
        )
        self.assertFalse(slip.kpi_evaluation_id)

    def test_name_and_line_names_in_the_payslip_language(self):
        """Issue 13 for every payslip: named in its language (its creator reads
        company reads zh_CN), lines named after their rules in that language."""
        slip = self._plain_payslip()
        slip._compute_name()  # what OCA's employee onchange calls
        self.assertEqual(slip.name, "普通员工甲 2026年11月工资单")
        slip.compute_sheet()
        basic = slip.line_ids.filtered(lambda line: line.code == "BASIC")
        self.assertEqual(basic.with_context(lang="en_US").name, "基本工资")

    def test_done_payslip_is_frozen(self):
        """RELIABILITY #30 for every structure: a done payslip's lines and state
        stay what was paid."""
        slip = self._plain_payslip()
        slip.compute_sheet()
        slip.action_payslip_done()
        self.assertEqual(slip.state, "done")
        with self.assertRaises(UserError):
            slip.compute_sheet()
        with self.assertRaises(UserError):
            slip.line_ids[:1].amount = 1.0
        with self.assertRaises(UserError):
            slip.input_line_ids = [
                (
                    0,
                    0,
                    {
                        "name": "补发",
                        "code": "BACKPAY",
                        "amount": 10.0,
                        "contract_id": self.contract.id,
                    },
                )
            ]
        with self.assertRaises(UserError):  # an AccessError is one too
            slip.write({"state": "draft"})
        self.assertEqual(slip.state, "done")
        self.assertEqual(slip.get_salary_line_total("NET"), 3000.0)

    def test_printed_without_kpi_appendix(self):
        """The payslip report of a structure without KPI rules is OCA's alone."""
        slip = self._plain_payslip()
        slip.compute_sheet()
        report = self.env["report.payroll.report_payslip"].with_user(self.payroll)
        values = report._get_report_values(slip.ids)
        self.assertEqual(values["docs"], slip)
        self.assertNotIn(slip.id, values["kpi_appendix"])
        _employee, kpi_contract = self._staff("客服员工乙", self.job_rep, 2000)
        kpi_slip = self._pay(kpi_contract)
        values = report._get_report_values(kpi_slip.ids)
        self.assertIn(kpi_slip.id, values["kpi_appendix"])
