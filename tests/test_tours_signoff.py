"""Browser tour of issue 21 in headless Chromium, as zh_CN users on data of their
own: a results sheet through a two-level chain with one calibration move, to the
payslip (5000 × 90 % = 4500 once both levels signed)."""

from datetime import date

from odoo.tests import tagged

from .common import GROUP_MANAGER, GROUP_OFFICER
from .test_tours import TourCase


@tagged("post_install", "-at_install")
class TestSheetThroughTwoLevels(TourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        officer_groups = f"base.group_user,{GROUP_OFFICER},payroll.group_payroll_manager"
        cls.hr = cls._tour_user("kpi_tour_so_hr", officer_groups)
        cls.director = cls._tour_user("kpi_tour_so_director", f"base.group_user,{GROUP_OFFICER}")
        supervisor_employee = cls._employee("主管丙")
        cls.supervisor = cls._tour_user(
            "kpi_tour_so_supervisor", f"base.group_user,{GROUP_MANAGER}", supervisor_employee
        )
        cls.gm = cls._tour_user("kpi_tour_so_gm", f"base.group_user,{GROUP_MANAGER}")
        structure = cls.env.ref("hr_kpi_service.payroll_structure_customer_service")
        structure.company_id = cls.company
        job = cls.env["hr.job"].create({"name": "客户服务部经理", "company_id": cls.company.id})
        committee = cls.env["hr.kpi.calibration.committee"].create(
            {
                "name": "考核委员会",
                "company_id": cls.company.id,
                "member_ids": [(6, 0, (cls.hr | cls.director).ids)],
            }
        )
        chain = cls.env["hr.kpi.signoff.chain"].create(
            {
                "name": "两级审批",
                "company_id": cls.company.id,
                "committee_id": committee.id,
                "level_ids": [
                    (0, 0, {"sequence": 1, "name": "上级主管", "approver_type": "superior"}),
                    (
                        0,
                        0,
                        {
                            "sequence": 2,
                            "name": "总经理",
                            "approver_type": "users",
                            "user_ids": [(6, 0, cls.gm.ids)],
                        },
                    ),
                ],
            }
        )
        scheme = cls._scheme(
            [{"name": "月度绩效", "weight": 100, "scoring_method": "manual"}],
            job_ids=[(6, 0, job.ids)],
            signoff_chain_id=chain.id,
        )
        scheme.action_activate()
        boss = cls._employee("服务经理甲", job=job)
        boss.parent_id = supervisor_employee
        boss.resource_calendar_id = cls.company.resource_calendar_id
        cls.contract = cls.env["hr.contract"].create(
            {
                "name": "服务经理甲 合同",
                "employee_id": boss.id,
                "company_id": cls.company.id,
                "wage": 5000,
                "kpi_performance_base": 5000,
                "date_start": date(2026, 1, 1),
                "struct_id": structure.id,
                "resource_calendar_id": cls.company.resource_calendar_id.id,
                "state": "open",
            }
        )
        cls.month = cls._month(date(2026, 11, 5))
        evaluation = cls.env["hr.kpi.evaluation"].with_company(cls.company)._generate(cls.month)
        evaluation = evaluation.filtered(lambda e: e.employee_id == boss)
        evaluation.line_ids.write({"actual_value": 95, "has_actual": True})
        as_hr = evaluation.with_user(cls.hr)
        as_hr.action_start()
        as_hr.action_to_rating()
        as_hr.action_to_hr_review()
        as_hr.action_approve()
        cls.month.with_user(cls.hr).action_draw_up_results_sheets()
        cls.sheet = cls.env["hr.kpi.results.sheet"].search([("period_id", "=", cls.month.id)])
        cls.sheet.with_user(cls.director).action_propose_move(
            evaluation, "部门目标未达成", score=90.0
        )
        cls.evaluation = evaluation

    def test_two_levels_with_a_calibration_move_to_the_payslip(self):
        """Issue 21, RELIABILITY #23: the second member confirms the move and submits;
        the supervisor then the general manager sign; the payslip pays 4500."""
        url = f"/odoo/action-hr_kpi_service.action_hr_kpi_results_sheet/{self.sheet.id}"
        self._tour(url, "hr_kpi_service_signoff_calibrate", self.hr.login)
        self.assertEqual(self.sheet.state, "in_approval")
        self.assertEqual(self.evaluation.total_score, 90.0)
        self._tour(url, "hr_kpi_service_signoff_sign", self.supervisor.login)
        self.assertEqual(self.sheet.state, "in_approval")
        self.assertTrue(self.evaluation.signoff_pending)
        self._tour(url, "hr_kpi_service_signoff_sign", self.gm.login)
        self.assertEqual(self.sheet.state, "signed")
        self.assertEqual(self.sheet.signature_ids.mapped("user_id"), self.supervisor | self.gm)
        slip = (
            self.env["hr.payslip"]
            .with_user(self.hr)
            .create(
                {
                    "employee_id": self.contract.employee_id.id,
                    "contract_id": self.contract.id,
                    "struct_id": self.contract.struct_id.id,
                    "company_id": self.company.id,
                    "date_from": date(2026, 11, 1),
                    "date_to": date(2026, 11, 30),
                }
            )
        )
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        self.assertEqual(slip.get_salary_line_total("KPI_PERF"), 4500.0)
