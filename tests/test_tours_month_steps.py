"""Browser tours of issue 20 in headless Chromium, as zh_CN users on data of their own
(tests/test_tours.py's pattern): a month's evaluations moved in bulk from the list with
a summary per evaluation (finding 2), and guarded period steps refused with their
reason (finding 4). The tours are hr_kpi_service/static/tests/tours/kpi_bulk_month_tour.js
and kpi_guarded_step_tour.js."""

from datetime import date

from odoo import fields
from odoo.tests import tagged

from .common import GROUP_OFFICER
from .test_tours import TourCase


@tagged("post_install", "-at_install")
class TestBulkMonthTour(TourCase):
    """Three November evaluations: 刘洋's and 杨帆's values typed, 陈静's waiting for
    her superior 王建国's rating."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer_tour = cls._tour_user("kpi_tour_bulk", f"base.group_user,{GROUP_OFFICER}")
        scheme = cls._service_quality_scheme(job_ids=[(6, 0, cls.job_rep.ids)])
        scheme.action_activate()
        boss = cls._employee("王建国")
        cls.reps = cls.env["hr.employee"]
        for name in ("刘洋", "陈静", "杨帆"):
            cls.reps |= cls._employee(name, job=cls.job_rep)
        cls.reps.parent_id = boss
        cls.month = cls._month(date(2026, 11, 5))
        cls.evaluations = cls.env["hr.kpi.evaluation"].with_company(cls.company)._generate(
            cls.month
        )
        values = {"服务工作标准执行": 3, "客户满意度调查": 16, "服务投诉": 1}
        for evaluation in cls.evaluations.filtered(lambda e: e.employee_id.name != "陈静"):
            for line in evaluation.line_ids:
                line.actual_value = values[line.indicator_id.name]

    def test_bulk_transition_of_a_month(self):
        """RELIABILITY #23: each evaluation moves on its own checks."""
        self._tour(
            "/odoo/action-hr_kpi_service.action_hr_kpi_evaluation",
            "hr_kpi_service_bulk_month",
            self.officer_tour.login,
        )
        self.assertEqual(
            {e.employee_id.name: e.state for e in self.evaluations},
            {"刘洋": "hr_review", "陈静": "rating", "杨帆": "hr_review"},
        )
        self.assertEqual(
            sorted(self.evaluations.filtered(lambda e: e.state == "hr_review").mapped("total_score")),
            [87.0, 87.0],
        )


@tagged("post_install", "-at_install")
class TestGuardedStepTour(TourCase):
    """The current month (its quarter has not ended): one evaluation in draft."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer_tour = cls._tour_user(
            "kpi_tour_guard", f"base.group_user,{GROUP_OFFICER},payroll.group_payroll_manager"
        )
        scheme = cls._scheme(
            [{"name": "月度绩效", "weight": 100, "scoring_method": "manual"}],
            job_ids=[(6, 0, cls.job_rep.ids)],
        )
        scheme.action_activate()
        cls._employee("服务代表乙", job=cls.job_rep)
        cls.month = cls._month(fields.Date.today())
        cls.env["hr.kpi.evaluation"].with_company(cls.company)._generate(cls.month)

    def test_guarded_step_refused_with_its_reason(self):
        """RELIABILITY #19: a step before its data is refused and writes nothing."""
        self._tour(
            f"/odoo/action-hr_kpi_service.action_hr_kpi_period/{self.month.id}",
            "hr_kpi_service_guarded_step",
            self.officer_tour.login,
        )
        self.assertFalse(
            self.env["hr.kpi.star.review"].search([("period_id", "=", self.month.parent_id.id)])
        )
        self.assertFalse(
            self.env["hr.payslip.run"].search([("date_start", "=", self.month.date_from)])
        )
