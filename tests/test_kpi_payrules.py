"""The seed rules that reach pay (issue 21), through to OCA payslips:

* seed 000 浙江和通 (指标按月取数, 当季度完成或累计数完成都算完成; 否决项不再补发): a
  January and a February missed monthly but rescued by March's quarter are paid
  back on March's payslip (KPI_BACK, with its formula), once;
* seed 004 末位处理: standby-training days HR decides are unpaid (KPI_STANDBY);
  考核结果为差的下调一级工资: a lower wage proposed, approved by another officer,
  written to the contract with its trace.
"""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .test_kpi_payroll import PayrollCase

REVENUE, QUALITY, SAFETY = "维修收入", "工作质量", "安全红线"


@tagged("post_install", "-at_install")
class BackPayCase(PayrollCase):
    """Seed 000 服务经理: 提成基数 5000 × the month score; 维修收入 weighs 30 points
    (monthly target 100 万元, the quarter or the year to date also counts), 工作质量
    50, the veto item 安全红线 20."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.job_service = cls.env["hr.job"].create(
            {"name": "服务经理 (浙江和通)", "company_id": cls.company.id}
        )
        ratio = {"scoring_method": "ratio", "target": 100, "rater_role": "hr"}
        cls.service_scheme = cls._scheme(
            [
                dict(ratio, name=REVENUE, weight=30, attainment_lenient=True),
                dict(ratio, name=QUALITY, weight=50),
                dict(ratio, name=SAFETY, weight=20, is_veto=True, attainment_lenient=True),
            ],
            name="服务部量化考核方案",
            job_ids=[(6, 0, cls.job_service.ids)],
        )
        cls.service_scheme.action_activate()
        cls.advisor, cls.advisor_contract = cls._staff(
            "服务经理乙", cls.job_service, 3000, kpi_performance_base=5000
        )

    def _month(self, month, revenue, safety=100):
        """The advisor's approved evaluation of `month` (2026)."""
        period = self.env["hr.kpi.period"]._get_or_create(
            date(2026, month, 1), "monthly", self.company
        )
        evaluation = (
            self.env["hr.kpi.evaluation"]
            .with_company(self.company)
            ._generate(period)
            .filtered(lambda e: e.employee_id == self.advisor)
        )
        values = {REVENUE: revenue, QUALITY: 100, SAFETY: safety}
        for line in evaluation.line_ids:
            line.actual_value = values[line.indicator_id.name]
        officer = evaluation.with_user(self.officer)
        officer.action_start()
        officer.action_to_rating()
        officer.action_to_hr_review()
        officer.action_approve()
        return evaluation

    def _month_slip(self, month):
        start = date(2026, month, 1)
        end = self.env["hr.kpi.period"]._get_or_create(start, "monthly", self.company).date_to
        return self._pay(self.advisor_contract, date_from=start, date_to=end)

    def _back(self, slip):
        return slip.input_line_ids.filtered(lambda i: i.code == "KPI_BACK")


class TestBackPay(BackPayCase):
    def test_january_and_february_rescued_in_march_are_paid_in_march(self):
        """RELIABILITY #26 RELIABILITY #29: 维修收入 90 and 95 miss January and
        February; March's 130 brings the quarter to 315 of 300. March's payslip pays
        5000 × (30 − 27) % + 5000 × (30 − 28.5) % = 225 back, beside March's own pay;
        January's and February's payslips paid nothing back."""
        january = self._month(1, 90)
        self.assertEqual(january.total_score, 97.0)
        self.assertFalse(self._back(self._month_slip(1)))
        self._month(2, 95)
        self.assertFalse(self._back(self._month_slip(2)))
        march = self._month(3, 130)
        slip = self._month_slip(3)
        back = self._back(slip)
        self.assertEqual(back.amount, 225.0)
        self.assertEqual(back.kpi_explanation, "5000 × (30 − 27) % + 5000 × (30 − 28.5) % = 225")
        self.assertEqual(self._total(slip, "KPI_BACK"), 225.0)
        self.assertEqual(self._inputs(slip)["KPI_PERF"], 5000 * march.total_score / 100)
        rows = self.env["hr.kpi.back.pay"].search([("payslip_id", "=", slip.id)])
        self.assertEqual(sorted(rows.mapped("month")), [date(2026, 1, 1), date(2026, 2, 1)])
        self.assertEqual(set(rows.mapped("paid_month")), {date(2026, 3, 1)})
        self.assertEqual(rows.indicator_id.name, REVENUE)
        # idempotent: adding the lines again pays the same months once
        slip.action_add_kpi_lines()
        self.assertEqual(self._back(slip).amount, 225.0)
        self.assertEqual(
            self.env["hr.kpi.back.pay"].search_count([("payslip_id", "=", slip.id)]), 2
        )

    def test_a_vetoed_month_is_never_paid_back(self):
        """RELIABILITY #28: 否决项 — January's 安全红线 missed (80) vetoes January: its
        reward is 0 and the quarter achieved in March does not pay it back; February
        is paid back (75)."""
        january = self._month(1, 90, safety=80)
        self.assertTrue(january.vetoed)
        self._month(2, 95)
        self._month(3, 130)
        back = self._back(self._month_slip(3))
        self.assertEqual(back.amount, 75.0)
        self.assertEqual(back.kpi_explanation, "5000 × (30 − 28.5) % = 75")

    def test_a_month_paid_back_is_never_paid_twice(self):
        """RELIABILITY #29 RELIABILITY #38: the month's row is unique in PostgreSQL: a
        second payslip carrying the same month paid back is refused cleanly; a
        refund frees it for one new payslip."""
        self._month(1, 90)
        self._month(2, 95)
        self._month(3, 130)
        slip = self._month_slip(3)
        paid = self._back(slip).kpi_back_pay_line_ids
        self.assertEqual(len(paid), 2)
        april = self._payslip(
            self.advisor_contract, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)
        )
        with self.assertRaises(ValidationError) as caught:
            self.env["hr.payslip.input"].with_user(self.payroll).create(
                {
                    "payslip_id": april.id,
                    "contract_id": self.advisor_contract.id,
                    "code": "KPI_BACK",
                    "name": "补发",
                    "amount": 225.0,
                    "kpi_back_pay_line_ids": [(6, 0, paid.ids)],
                }
            )
        self.assertIn("paid back once", str(caught.exception))
        # a later pay run of the same quarter pays nothing back again
        self.assertFalse(self._back(april))

    def test_back_pay_through_the_payslip_form(self):
        """RELIABILITY #27: the form's onchanges (get_inputs on a new payslip) fill
        KPI_BACK; saved (a client does not send the line's read-only fields), the
        months it pays back are recorded all the same, once."""
        self._month(1, 90)
        self._month(2, 95)
        self._month(3, 130)
        with (
            freeze_time("2026-03-20"),
            Form(self.env["hr.payslip"].with_user(self.payroll)) as form,
        ):
            form.employee_id = self.advisor
            form.date_from = date(2026, 3, 1)
            self.assertEqual(form.date_to, date(2026, 3, 31))
        slip = form.save()
        self.assertEqual(self._back(slip).amount, 225.0)
        rows = self.env["hr.kpi.back.pay"].search([("payslip_id", "=", slip.id)])
        self.assertEqual(sorted(rows.mapped("month")), [date(2026, 1, 1), date(2026, 2, 1)])
        # Add KPI lines on it records the same months, once
        slip.action_add_kpi_lines()
        self.assertEqual(
            self.env["hr.kpi.back.pay"].search_count([("payslip_id", "=", slip.id)]), 2
        )

    def test_back_pay_in_the_batch_wizard(self):
        """The batch wizard (get_inputs) pays the same months back, recorded once."""
        self._month(1, 90)
        self._month(2, 95)
        self._month(3, 130)
        run = self.env["hr.payslip.run"].create(
            {"name": "2026-03", "date_start": date(2026, 3, 1), "date_end": date(2026, 3, 31)}
        )
        wizard = (
            self.env["hr.payslip.employees"]
            .with_user(self.payroll)
            .with_context(active_id=run.id)
            .create({"employee_ids": [(6, 0, self.advisor.ids)]})
        )
        wizard.compute_sheet()
        slip = run.slip_ids
        self.assertEqual(self._back(slip).amount, 225.0)
        self.assertEqual(
            self.env["hr.kpi.back.pay"].search_count([("payslip_id", "=", slip.id)]), 2
        )


@tagged("post_install", "-at_install")
class TestSanctionsReachPay(PayrollCase):
    """Seed 004 末位处理 and 工资晋升."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.worker, cls.worker_contract = cls._staff("售后专员丙", cls.job_rep, 4200)
        cls.second_officer = new_test_user(
            cls.env,
            "kpi_officer_contracts_t",
            groups="base.group_user,hr_kpi_service.group_kpi_officer,"
            "hr_contract.group_hr_contract_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )

    def _consequence(self, rule):
        return self.env["hr.kpi.consequence"].create(
            {
                "employee_id": self.worker.id,
                "company_id": self.company.id,
                "rule": rule,
                "trigger_key": f"test-{rule}",
                "description": "末位 / 差 (test)",
            }
        )

    def test_standby_days_are_deducted_from_the_months_payslip(self):
        """RELIABILITY #32: 待岗培训期间不予发工资 — 3 days in November 2026 (21 working
        days): −4200 / 21 × 3 = −600, on the payslip of November."""
        consequence = self._consequence("bottom_rank").with_user(self.officer)
        consequence.write({"standby_days": 3, "standby_period_id": self.month.id})
        consequence.action_decide_standby()
        self.assertEqual(consequence.state, "done")
        slip = self._pay(self.worker_contract)
        line = slip.input_line_ids.filtered(lambda i: i.code == "KPI_STANDBY")
        self.assertEqual(line.amount, -600.0)
        self.assertEqual(line.kpi_explanation, "−4200 / 21 × 3 = -600")
        self.assertEqual(self._total(slip, "KPI_STANDBY"), -600.0)
        # 4200 − 600 + the full-attendance bonus 200
        self.assertEqual(self._total(slip, "NET"), 3800.0)
        # decided: the days no longer change
        with self.assertRaises(UserError):
            consequence.write({"standby_days": 10})

    def test_standby_needs_three_days_a_month_and_hr(self):
        """At least three days (待岗时间至少为三天), a month chosen, decided by HR."""
        consequence = self._consequence("bottom_rank")
        consequence.with_user(self.officer).write({"standby_days": 2})
        with self.assertRaises(UserError):
            consequence.with_user(self.officer).action_decide_standby()
        consequence.with_user(self.officer).write({"standby_period_id": self.month.id})
        with self.assertRaises(UserError) as caught:
            consequence.with_user(self.officer).action_decide_standby()
        self.assertIn("at least 3 days", str(caught.exception))
        consequence.with_user(self.officer).write({"standby_days": 3})
        with self.assertRaises(AccessError):
            consequence.with_user(self.manager).action_decide_standby()
        self.assertEqual(consequence.state, "open")
        self.assertFalse(
            self._pay(self.worker_contract).input_line_ids.filtered(
                lambda i: i.code == "KPI_STANDBY"
            )
        )

    def test_grade_down_proposed_then_approved_by_another_officer(self):
        """RELIABILITY #31 four-eyes: 差 → 4200 × 95 % = 3990 proposed by one officer,
        approved by another who may change contracts; the contract's wage changes
        through the approval only, with its trace."""
        consequence = self._consequence("salary_down")
        with self.assertRaises(AccessError):
            consequence.with_user(self.officer).write({"proposed_wage": 1})
        consequence.with_user(self.officer).action_propose_wage_down()
        self.assertEqual(
            (consequence.current_wage, consequence.proposed_wage, consequence.contract_id),
            (4200.0, 3990.0, self.worker_contract),
        )
        self.assertEqual(self.worker_contract.wage, 4200.0)  # nothing silent
        with self.assertRaises(AccessError):
            consequence.with_user(self.officer).action_apply_wage_down()
        consequence.with_user(self.second_officer).action_apply_wage_down()
        self.assertEqual(consequence.state, "done")
        self.assertEqual(consequence.resolved_by_id, self.second_officer)
        self.assertEqual(self.worker_contract.wage, 3990.0)
        self.assertIn("3990", self.worker_contract.message_ids[:1].body)

    def test_grade_down_step_reject_and_changed_contract(self):
        """A company wage step (200) instead of the percentage; a proposal whose
        contract changed meanwhile is not applied; a rejection needs its reason."""
        self.company.kpi_salary_grade_step = 200
        consequence = self._consequence("salary_down")
        consequence.with_user(self.officer).action_propose_wage_down()
        self.assertEqual(consequence.proposed_wage, 4000.0)
        self.worker_contract.wage = 4500
        with self.assertRaises(UserError):
            consequence.with_user(self.second_officer).action_apply_wage_down()
        self.assertEqual(self.worker_contract.wage, 4500.0)
        with self.assertRaises(UserError):
            consequence.with_user(self.second_officer).action_dismiss()
        consequence.with_user(self.second_officer).action_dismiss("复核后维持原工资")
        self.assertEqual(consequence.state, "dismissed")
        self.assertEqual(self.worker_contract.wage, 4500.0)


@tagged("post_install", "-at_install")
class TestTeamRewardFromFacts(PayrollCase):
    """Seed 000 5.1 (达成力争指标, 季度计提维修收入0.3%作为团队奖励): the quarter's
    repair revenue comes from the team's confirmed monthly figures, the stretch from
    the manager's approved target plan; the requesting manager types neither."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.boss = cls._employee("服务经理丁")
        cls.boss.user_id = cls.manager
        cls.department.manager_id = cls.boss
        cls.advisor, cls.advisor_contract = cls._staff("服务顾问丁", cls.job_rep, 3000)
        cls.quarter = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 8, 5), "quarterly", cls.company
        )
        cls.clerk = new_test_user(
            cls.env,
            "kpi_officer_clerk_t",
            groups="base.group_user,hr_kpi_service.group_kpi_officer",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        Period = cls.env["hr.kpi.period"]
        cls.months = [
            Period._get_or_create(date(2026, month, 1), "monthly", cls.company)
            for month in (7, 8, 9)
        ]
        scheme = cls.env["hr.kpi.scheme"].create(
            {"name": "服务经理目标责任书", "company_id": cls.company.id, "period_type": "quarterly"}
        )
        cls.revenue_indicator = cls.env["hr.kpi.indicator"].create(
            {
                "scheme_id": scheme.id,
                "name": "维修收入",
                "code": "REVENUE",
                "weight": 100,
                "scoring_method": "ratio",
                "target": 1200000,
            }
        )

    def _revenue(self, month, amount, user=None):
        return (
            self.env["hr.kpi.team.revenue"]
            .with_user(user or self.clerk)
            .create(
                {
                    "company_id": self.company.id,
                    "department_id": self.department.id,
                    "period_id": month.id,
                    "amount": amount,
                    "note": "财务月报",
                }
            )
        )

    def _letter(self, stretch):
        """The manager's third-quarter target letter, approved by HR."""
        plan = (
            self.env["hr.kpi.target.plan"]
            .with_user(self.manager)
            .create(
                {
                    "employee_id": self.boss.id,
                    "company_id": self.company.id,
                    "period_id": self.quarter.id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "indicator_id": self.revenue_indicator.id,
                                "target": 1200000,
                                "stretch": stretch,
                            },
                        )
                    ],
                }
            )
        )
        plan.action_propose()
        plan.with_user(self.officer).action_approve()
        return plan

    def _reward(self):
        return (
            self.env["hr.kpi.team.reward"]
            .with_user(self.manager)
            .create(
                {
                    "department_id": self.department.id,
                    "period_id": self.quarter.id,
                    "pay_period_id": self.month.id,
                    "line_ids": [(0, 0, {"employee_id": self.advisor.id, "coefficient": 1})],
                }
            )
        )

    def test_revenue_and_stretch_come_from_the_facts(self):
        """RELIABILITY #43: 520,000 + 550,000 + 580,000 = 1,650,000 confirmed, the
        letter's stretch 1,600,000 reached: 1,650,000 × 0.3 % = 4,950, paid as KPI_TEAM."""
        revenues = self._revenue(self.months[0], 520000) | self._revenue(self.months[1], 550000)
        revenues.with_user(self.officer).action_confirm()
        plan = self._letter(1600000)
        reward = self._reward()
        self.assertEqual(
            (reward.quarter_revenue, reward.stretch_target, reward.stretch_plan_id),
            (1070000.0, 1600000.0, plan),
        )
        with self.assertRaises(AccessError):
            reward.write({"quarter_revenue": 9000000})
        with self.assertRaises(AccessError):
            self.env["hr.kpi.team.reward"].with_user(self.manager).create(
                {
                    "department_id": self.department.id,
                    "period_id": self.quarter.id,
                    "pay_period_id": self.month.id,
                    "stretch_target": 1,
                }
            )
        # September is not recorded yet: nothing is requested on two months
        with self.assertRaises(UserError) as caught:
            reward.action_request()
        self.assertIn("2026-09", str(caught.exception))
        september = self._revenue(self.months[2], 580000)
        september.with_user(self.officer).action_confirm()
        reward.action_request()
        self.assertEqual(
            (reward.state, reward.quarter_revenue, reward.amount), ("requested", 1650000.0, 4950.0)
        )
        reward.with_user(self.clerk).action_approve()
        self._publish({self.advisor: 90})
        slip = self._pay(self.advisor_contract)
        self.assertEqual(self._inputs(slip)["KPI_TEAM"], 4950.0)

    def test_confirmation_is_four_eyes_and_locks_the_figure(self):
        """RELIABILITY #31 four-eyes: who typed a month's revenue does not confirm
        it; a manager neither types nor confirms; a confirmed figure is locked."""
        july = self._revenue(self.months[0], 520000)
        with self.assertRaises(AccessError):
            july.with_user(self.clerk).action_confirm()
        with self.assertRaises(AccessError):
            july.with_user(self.manager).action_confirm()
        with self.assertRaises(AccessError):
            self._revenue(self.months[1], 1, user=self.manager)
        with self.assertRaises(ValidationError):
            self._revenue(self.months[1], -5)
        with self.assertRaises(AccessError):
            july.with_user(self.clerk).write({"state": "confirmed"})
        july.with_user(self.officer).action_confirm()
        self.assertEqual((july.state, july.confirmed_by_id), ("confirmed", self.officer))
        with self.assertRaises(UserError):
            july.with_user(self.clerk).write({"amount": 9000000})

    def test_no_stretch_no_reward_and_the_confirmer_does_not_request(self):
        """No approved letter, no stretch: refused; below the stretch: no reward; the
        manager who confirmed a month does not request the reward of it."""
        revenues = self.env["hr.kpi.team.revenue"]
        for month, amount in zip(self.months, (400000, 400000, 400000), strict=True):
            revenues |= self._revenue(month, amount)
        revenues.with_user(self.officer).action_confirm()
        reward = self._reward()
        with self.assertRaises(UserError) as caught:
            reward.action_request()
        self.assertIn("no approved target plan", str(caught.exception))
        self._letter(1300000)
        reward.action_refresh_figures()
        self.assertEqual((reward.quarter_revenue, reward.reached), (1200000.0, False))
        with self.assertRaises(UserError):
            reward.action_request()
        self.assertEqual(reward.state, "draft")
        # the officer who confirmed the months requests nothing on them
        self.officer.groups_id |= self.env.ref("hr_kpi_service.group_kpi_manager")
        with self.assertRaises(AccessError):
            reward.with_user(self.officer).action_request()
