"""A quarter's evaluation pays with the quarter's last month (seed 004 assesses
after-sales staff per quarter; issue 21's "Done when": the quarter's payslip pays
only after the last signature of its results sheet). Own records, not the demo."""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import GROUP_MANAGER, KpiCase


@tagged("post_install", "-at_install")
class TestQuarterPaysWithItsLastMonth(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        structure = cls.env.ref("hr_kpi_service.payroll_structure_customer_service")
        structure.company_id = cls.company
        cls.signer = new_test_user(
            cls.env,
            "kpi_quarter_gm_t",
            groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.chain = cls.env["hr.kpi.signoff.chain"].create(
            {
                "name": "公司领导审批",
                "company_id": cls.company.id,
                "level_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "总经理",
                            "approver_type": "users",
                            "user_ids": [(6, 0, cls.signer.ids)],
                        },
                    )
                ],
            }
        )
        job = cls.env["hr.job"].create({"name": "售后服务专员", "company_id": cls.company.id})
        cls.scheme = cls._scheme(
            [{"name": "季度业绩", "weight": 100, "scoring_method": "manual"}],
            job_ids=[(6, 0, job.ids)],
            period_type="quarterly",
        )
        cls.scheme.action_activate()
        cls.employee = cls._employee("专员甲", job=job)
        cls.employee.resource_calendar_id = cls.company.resource_calendar_id
        cls.contract = cls.env["hr.contract"].create(
            {
                "name": "专员甲 合同",
                "employee_id": cls.employee.id,
                "company_id": cls.company.id,
                "wage": 3500,
                "kpi_performance_base": 3000,
                "date_start": date(2026, 1, 1),
                "struct_id": structure.id,
                "resource_calendar_id": cls.company.resource_calendar_id.id,
                "state": "open",
            }
        )
        Period = cls.env["hr.kpi.period"]
        cls.quarter = Period._get_or_create(date(2026, 7, 1), "quarterly", cls.company)
        for month in (7, 8, 9):
            Period._get_or_create(date(2026, month, 1), "monthly", cls.company)

    def _approved(self, chain=None):
        self.scheme.signoff_chain_id = chain or False
        evaluation = (
            self.env["hr.kpi.evaluation"].with_company(self.company)._generate(self.quarter)
        )
        evaluation.line_ids.write({"actual_value": 89, "has_actual": True})
        as_officer = evaluation.with_user(self.officer)
        as_officer.action_start()
        as_officer.action_to_rating()
        as_officer.action_to_hr_review()
        as_officer.action_approve()
        return evaluation

    def _slip(self, month):
        start = date(2026, month, 1)
        slip = (
            self.env["hr.payslip"]
            .with_user(self.officer)
            .create(
                {
                    "employee_id": self.employee.id,
                    "contract_id": self.contract.id,
                    "struct_id": self.contract.struct_id.id,
                    "company_id": self.company.id,
                    "date_from": start,
                    "date_to": date(2026, month, 30 if month == 9 else 31),
                }
            )
        )
        return slip

    @staticmethod
    def _perf(slip):
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        return slip.get_salary_line_total("KPI_PERF")

    def test_the_quarter_pays_with_its_last_month_once_signed(self):
        """RELIABILITY #28 (one evaluation per payslip month) and #16 (the evaluation a
        payslip pays is of its month): the quarter's evaluation waits for its sheet;
        signed, it pays 3000 × 89 % with September, never with July or August."""
        self.officer.groups_id |= self.env.ref("payroll.group_payroll_manager")
        evaluation = self._approved(self.chain)
        self.assertTrue(evaluation.signoff_pending)
        september, july = self._slip(9), self._slip(7)
        self.assertEqual(self._perf(september), 0.0)
        self.quarter.with_user(self.officer).action_draw_up_results_sheets()
        sheet = evaluation.results_sheet_id
        sheet.with_user(self.officer).action_submit()
        sheet.with_user(self.signer).action_sign()
        self.assertFalse(evaluation.signoff_pending)
        self.assertEqual(self._perf(september), 2670.0)
        self.assertEqual(september.kpi_evaluation_id, evaluation)
        self.assertEqual(self._perf(july), 0.0)
        self.assertFalse(july.kpi_evaluation_id)
        # even the superuser cannot pay the quarter with another month
        with self.assertRaisesRegex(ValidationError, "is of period"):
            july.sudo().kpi_evaluation_id = evaluation
        september.sudo().kpi_evaluation_id = evaluation

    def test_without_a_chain_the_quarter_pays_after_approval(self):
        self.officer.groups_id |= self.env.ref("payroll.group_payroll_manager")
        evaluation = self._approved()
        self.assertFalse(evaluation.signoff_pending)
        self.assertEqual(self._perf(self._slip(9)), 2670.0)

    def test_the_last_months_payslip_step_names_the_quarter_that_waits(self):
        """RELIABILITY #28: September's payslip step (the period's and OCA's batch
        wizard's gap list) names the quarter's evaluation that is not generated, then
        the one waiting for the last signature; July's names neither; signed, none."""
        september = self.env["hr.kpi.period"].search(
            [
                ("company_id", "=", self.company.id),
                ("period_type", "=", "monthly"),
                ("date_from", "=", date(2026, 9, 1)),
            ]
        )
        july = self.env["hr.kpi.period"].search(
            [
                ("company_id", "=", self.company.id),
                ("period_type", "=", "monthly"),
                ("date_from", "=", date(2026, 7, 1)),
            ]
        )
        gaps = september._payslip_gaps(self.employee)
        self.assertEqual(len(gaps), 1)
        self.assertIn(f"1 employees have no evaluation of {self.quarter.name}: 专员甲", gaps[0])
        evaluation = self._approved(self.chain)
        self.assertEqual(
            september._payslip_gaps(self.employee),
            [
                f"1 evaluations of {self.quarter.name} wait for their results sheet's "
                "sign-off (no KPI pay for them until the last signature): 专员甲"
            ],
        )
        self.assertEqual(july._payslip_gaps(self.employee), [])
        self.quarter.with_user(self.officer).action_draw_up_results_sheets()
        sheet = evaluation.results_sheet_id
        sheet.with_user(self.officer).action_submit()
        sheet.with_user(self.signer).action_sign()
        self.assertEqual(september._payslip_gaps(self.employee), [])
