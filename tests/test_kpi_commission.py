"""The 4S service advisor's commission (seed 000 4S店售后服务绩效考核方案, issue 14)
through the product: the month's figures imported from a spreadsheet, confirmed
by another person, paid as KPI_COMMISSION with its formula, cut by complaints and
the reception score, partly held to year end."""

import base64
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_kpi_payroll import PayrollCase

HEADER = (
    "Name,Group,Repair Receipts,Warranty Claims Received,Accident Repairs,Production Target,"
    "Vehicles Received,Vehicle Intake Target,Accessory Sales,Accessory List Value,"
    "Personal Coefficient,Confirmed\n"
)
# The worked example: 产值 150,000 + 30,000 + 20,000 = 200,000 at 110 % of its
# target, 95 of 100 vehicles, accessories sold for 9,000 against a list value of 10,000.
SEED_ROW = "服务顾问甲,,150000,30000,20000,181818.18,95,100,9000,10000,,1\n"
SEED_FORMULA = "(200000 × 0.5 % × 110 % × 95 % + 9000 × 6 %) × 1/1 = 1585"


@tagged("post_install", "-at_install")
class CommissionCase(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.advisor, cls.advisor_contract = cls._staff(
            "服务顾问甲", cls.job_rep, 3000, kpi_reception_staff=True
        )
        cls.advisor.user_id = cls.user
        # the front-desk supervisor (前台主管) manages the reception group A组
        cls.lead = cls._employee("前台主管甲", job=cls.job_lead)
        cls.lead.user_id = cls.manager
        cls.group = cls.env["hr.kpi.commission.group"].create(
            {
                "name": "A组",
                "company_id": cls.company.id,
                "manager_id": cls.lead.id,
                "member_ids": [(6, 0, cls.advisor.ids)],
            }
        )

    @classmethod
    def _join(cls, *employees, group=None):
        """HR adds the advisors to the group (A组 by default)."""
        (group or cls.group).with_user(cls.officer).member_ids |= cls.env["hr.employee"].concat(
            *employees
        )

    def _import(self, content, user=None, period=None):
        wizard = (
            self.env["hr.kpi.import"]
            .with_user(user or self.officer)
            .create(
                {
                    "import_type": "commission",
                    "filename": "advisors.csv",
                    "file": base64.b64encode(content.encode()),
                    "period_id": (period or self.month).id,
                }
            )
        )
        wizard.action_import()
        return wizard

    def _months(self):
        return self.env["hr.kpi.commission.month"].search([("period_id", "=", self.month.id)])


class TestAdvisorCommissionPay(CommissionCase):
    def test_seed_advisor_is_paid_1585_with_its_formula(self):
        """200,000 × 0.5 % × 110 % × 95 % = 1,045 and 9,000 × 6 % = 540."""
        self._import(HEADER + SEED_ROW)
        self._publish({self.advisor: 98})
        slip = self._pay(self.advisor_contract)
        line = slip.input_line_ids.filtered(lambda i: i.code == "KPI_COMMISSION")
        self.assertEqual(line.amount, 1585.0)
        self.assertEqual(line.kpi_explanation, SEED_FORMULA)
        self.assertEqual(self._total(slip, "KPI_COMMISSION"), 1585.0)
        self.assertEqual(self._inputs(slip)["KPI_COMPLAINT"], 0.0)
        # base 3000 + commission 1585 + the full-attendance bonus 200
        self.assertEqual(self._total(slip, "NET"), 4785.0)

    def test_complaints_and_reception_score_cut_the_commission(self):
        """Two substantiated complaints (20 %) and a reception score of 95 (< 96: 10 %):
        −1585 × 30 % = −475.5."""
        self._import(HEADER + SEED_ROW)
        self._incidents(self.advisor, "valid_complaint", 2)
        self._publish({self.advisor: 95})
        slip = self._pay(self.advisor_contract)
        inputs = self._inputs(slip)
        self.assertEqual(inputs["KPI_COMMISSION"], 1585.0)
        self.assertEqual(inputs["KPI_COMPLAINT"], -475.5)
        complaint = slip.input_line_ids.filtered(lambda i: i.code == "KPI_COMPLAINT")
        self.assertEqual(complaint.kpi_explanation, "−1585 × 30 % = -475.5")
        self.assertEqual(self._total(slip, "NET"), 3000.0 + 1585.0 - 475.5 + 200.0)

    def test_commission_above_the_base_salary_is_partly_deferred(self):
        """(1585 − 1000) × 30 % = 175.5 held to year end."""
        self.advisor_contract.wage = 1000
        self._import(HEADER + SEED_ROW)
        self._publish({self.advisor: 98})
        slip = self._pay(self.advisor_contract)
        self.assertEqual(self._inputs(slip)["KPI_DEFER"], 175.5)
        self.assertEqual(self._total(slip, "NET"), 1000.0 + 1585.0 - 175.5 + 200.0)

    def test_group_split_by_coefficients_and_no_commission_on_probation(self):
        """A group of two advisors and a probationer: (200,000 × 0.5 % × 100 % × 100 % +
        540) × 1.2 / 3 and × 0.8 / 3; the probationer (coefficient 1) gets nothing."""
        second, second_contract = self._staff(
            "服务顾问乙", self.job_rep, 3000, kpi_reception_staff=True
        )
        trainee, trainee_contract = self._staff(
            "服务顾问丙",
            self.job_rep,
            2500,
            kpi_reception_staff=True,
            trial_date_end=date(2026, 12, 31),
        )
        self._join(second, trainee)
        self._import(
            HEADER
            + "服务顾问甲,A组,100000,,,100000,50,50,9000,10000,1.2,1\n"
            + "服务顾问乙,A组,60000,,,50000,30,30,,,0.8,1\n"
            + "服务顾问丙,A组,40000,,,50000,20,20,,,1,1\n"
        )
        self._publish({self.advisor: 98, second: 98, trainee: 98})
        first = self._inputs(self._pay(self.advisor_contract))["KPI_COMMISSION"]
        other = self._inputs(self._pay(second_contract))["KPI_COMMISSION"]
        self.assertEqual((first, other), (616.0, 410.67))  # 1540 × 1.2/3, × 0.8/3
        slip = self._pay(trainee_contract)
        self.assertEqual(self._inputs(slip)["KPI_COMMISSION"], 0.0)
        self.assertFalse(slip.input_line_ids.filtered(lambda i: i.code == "KPI_COMMISSION"))

    def test_an_unconfirmed_month_is_not_paid(self):
        self._import(HEADER + SEED_ROW.replace(",1\n", ",0\n"))
        self._publish({self.advisor: 98})
        slip = self._pay(self.advisor_contract)
        self.assertEqual(self._inputs(slip)["KPI_COMMISSION"], 0.0)
        self._months().with_user(self.officer).action_confirm()
        slip.action_add_kpi_lines()
        self.assertEqual(self._inputs(slip)["KPI_COMMISSION"], 1585.0)


class TestAdvisorMonthTrust(CommissionCase):
    def test_nobody_confirms_his_own_figures_and_confirmed_figures_are_locked(self):
        """RELIABILITY four-eyes and protected fields."""
        self._import(HEADER + SEED_ROW.replace(",1\n", ",0\n"))
        month = self._months()
        self.assertFalse(month.with_user(self.user).search([("id", "=", month.id)]))
        # the advisor is a KPI manager himself, and his group's manager
        self.lead.user_id = False
        self.lead.flush_recordset(["user_id"])  # one employee per user and company
        self.advisor.user_id = self.manager
        self.group.manager_id = self.advisor
        with self.assertRaises(UserError):
            month.with_user(self.manager).action_confirm()
        with self.assertRaises(AccessError):
            month.with_user(self.officer).write({"confirmed": True})
        month.with_user(self.officer).action_confirm()
        self.assertEqual((month.confirmed, month.confirmed_by_id), (True, self.officer))
        with self.assertRaises(UserError):
            month.with_user(self.officer).write({"repair_receipts": 999999})
        with self.assertRaises(UserError):
            month.with_user(self.officer).unlink()
        self.assertEqual(month.production_value, 200000.0)

    def test_paid_figures_stay_as_paid(self):
        """RELIABILITY #24 for commissions: once a done payslip paid the group's
        commission, its months are neither withdrawn nor joined by a new one."""
        self._import(HEADER + SEED_ROW.replace(",,150000", ",A组,150000"))
        second, _contract = self._staff("服务顾问乙", self.job_rep, 3000)
        self._join(second)
        self._import(HEADER + "服务顾问乙,A组,1000,,,1000,1,1,,,,0\n")
        self._publish({self.advisor: 98})
        slip = self._pay(self.advisor_contract)
        slip.with_user(self.payroll).action_payslip_done()
        months = self._months()
        first = months.filtered(lambda m: m.employee_id == self.advisor)
        other = months - first
        with self.assertRaises(UserError) as caught:
            first.with_user(self.officer).action_unconfirm()
        self.assertIn("already paid", str(caught.exception))
        with self.assertRaises(UserError):
            other.with_user(self.officer).action_confirm()
        self.assertEqual((first.confirmed, other.confirmed), (True, False))

    def test_reimport_skips_and_other_figures_are_refused(self):
        wizard = self._import(HEADER + SEED_ROW)
        self.assertEqual((wizard.new_count, wizard.skipped_count), (1, 0))
        again = self._import(HEADER + SEED_ROW)
        self.assertEqual((again.new_count, again.skipped_count), (0, 1))
        with self.assertRaises(UserError) as caught:
            self._import(HEADER + SEED_ROW.replace("150000", "160000"))
        self.assertIn("already has other figures", str(caught.exception))
        self.assertEqual(self._months().repair_receipts, 150000.0)

    def test_bad_rows_are_listed_and_nothing_is_written(self):
        with self.assertRaises(UserError) as caught:
            self._import(HEADER + SEED_ROW + "无此人,,1,,,1,1,1,,,,\n服务顾问甲,,-5,,,1,1,1,,,,\n")
        message = str(caught.exception)
        self.assertIn("无此人", message)
        self.assertIn("Repair Receipts", message)
        self.assertFalse(self._months())
        quarter = self.env["hr.kpi.period"]._get_or_create(
            date(2026, 11, 5), "quarterly", self.company
        )
        with self.assertRaises(UserError) as caught:
            self._import(HEADER + SEED_ROW, period=quarter)
        self.assertIn("into a month", str(caught.exception))
