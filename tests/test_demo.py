"""The demo month (October 2026) as installed with demo data: the indicators that
read recorded facts take their values from the shipped sample files.

Unlike the other ORM tests these read the demo records on purpose; `make test`
installs the addons with demo data, so they run in CI. On a database without demo
data they are skipped.
"""

from odoo.tests import TransactionCase, tagged

SOURCED = (
    "REP_COMPLAINT_HANDLING",
    "REP_AUDIT_PENALTY",
    "LEAD_ATTITUDE_COMPLAINTS",
    "LEAD_TRAINING_SESSIONS",
    "LEAD_DAILY_MANAGEMENT",
    "MGR_ATTITUDE",
)


@tagged("post_install", "-at_install")
class TestDemoMonth(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls.env.ref("hr_kpi_service.scheme_rep_monthly_demo", False)

    def setUp(self):
        super().setUp()
        if not self.scheme:
            self.skipTest("the demo data is not installed")
        self.october = self.env["hr.kpi.evaluation"].search(
            [
                ("period_id.period_type", "=", "monthly"),
                ("period_id.date_from", "=", "2026-10-01"),
                ("company_id", "=", self.env.ref("base.main_company").id),
            ]
        )

    def _line(self, employee_xmlid, code):
        employee = self.env.ref(f"hr_kpi_service.{employee_xmlid}")
        line = self.october.line_ids.filtered(
            lambda line: line.employee_id == employee and line.indicator_id.code == code
        )
        self.assertEqual(len(line), 1, f"{employee.name} / {code}")
        return line

    def _values(self, employee_xmlid, code):
        line = self._line(employee_xmlid, code)
        return line.actual_value, line.points

    def test_the_month_went_through(self):
        self.assertEqual(len(self.october), 17)
        self.assertEqual(
            sorted(set(self.october.mapped("state"))), ["closed", "published"]
        )

    def test_complaint_handling_follows_the_sla_sample(self):
        """sla_2026-10.xls: 杨帆's second complaint (21 Oct 15:10) was answered on
        23 Oct, after the 1 working day limit: 1 of 2 in time -> 50 %, below 75 %
        -> 5 of 10 points. Reps without a complaint: 100 %."""
        self.assertEqual(self._values("employee_yang_fan_demo", "REP_COMPLAINT_HANDLING"), (50, 5))
        self.assertEqual(self._values("employee_liu_yang_demo", "REP_COMPLAINT_HANDLING"), (100, 10))
        self.assertEqual(
            self._values("employee_huang_lei_demo", "REP_COMPLAINT_HANDLING"), (100, 10)
        )
        self.assertEqual(self._values("employee_chen_jing_demo", "REP_COMPLAINT_HANDLING"), (100, 10))

    def test_audit_deductions_follow_the_findings(self):
        """孙浩: findings of 2 and 5 points in incidents_2026-10.xlsx; 刘洋: 2 + 2,
        of which the appeal withdrew one."""
        self.assertEqual(self._values("employee_sun_hao_demo", "REP_AUDIT_PENALTY"), (7, -7))
        self.assertEqual(self._values("employee_liu_yang_demo", "REP_AUDIT_PENALTY"), (2, -2))

    def test_lead_indicators_follow_complaints_training_and_cards(self):
        # 杨帆 (李娜's team): the substantiated attitude complaint of 12 Oct -> 10 - 1
        self.assertEqual(self._values("employee_li_na_demo", "LEAD_ATTITUDE_COMPLAINTS"), (1, 9))
        self.assertEqual(self._values("employee_zhang_wei_demo", "LEAD_ATTITUDE_COMPLAINTS"), (0, 10))
        # activities_2026-10.csv: 4 team trainings for 李娜, 3 for 张伟 (of 4 required)
        self.assertEqual(self._values("employee_li_na_demo", "LEAD_TRAINING_SESSIONS"), (4, 100))
        self.assertEqual(self._values("employee_zhang_wei_demo", "LEAD_TRAINING_SESSIONS"), (3, 75))
        # surveys_2026-10.xlsx, card 1 about each lead: A A A = 5; B A B = 13 / 3
        self.assertEqual(self._values("employee_li_na_demo", "LEAD_DAILY_MANAGEMENT"), (5, 5))
        actual, points = self._values("employee_zhang_wei_demo", "LEAD_DAILY_MANAGEMENT")
        self.assertEqual((actual, points), (4.3333, 4.3333))

    def test_manager_attitude_follows_the_general_managers_card(self):
        # card 4 of the 总经理 about the department: A B B = 13 / 3
        self.assertEqual(self._values("employee_wang_jianguo_demo", "MGR_ATTITUDE"), (4.3333, 4.3333))

    def test_sourced_lines_are_nobodys_rating(self):
        sourced = self.october.line_ids.filtered(lambda line: line.indicator_id.code in SOURCED)
        self.assertEqual(len(sourced), 14 * 2 + 2 * 3 + 1)
        self.assertTrue(all(sourced.mapped("has_actual")))
        rated = self.october.rating_ids.line_ids.evaluation_line_id
        self.assertFalse(rated & sourced)
