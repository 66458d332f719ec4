"""Issue 20, finding 4: period steps ran before their data was complete.

1. In November, Aggregate Results built annual results from two quarters and created
   consequences: results now count once every month in them is approved and
   published; a provisional run is marked and creates no consequence.
2. Star Review pressed on a month ran the unfinished Q4 review: it waits for the
   quarter's end.
3. The payslip batch went ahead with evaluations and commission months missing, one
   advisor alone receiving the group's whole pool: the batch lists them and asks.
4. A Q4 team reward was requested and paid in November: it waits for the quarter's end.
"""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_kpi_commission_group import CommissionGroupCase
from .test_kpi_evaluation import EvaluationCase
from .test_kpi_period_cockpit import CockpitCase
from .test_kpi_team_reward import TeamRewardCase


@tagged("post_install", "-at_install")
class TestResultsWaitForTheirMonths(EvaluationCase):
    def _in_hr_review(self, month, scores):
        """The month's evaluations typed and in HR review (not approved)."""
        period = self.env["hr.kpi.period"]._get_or_create(
            date(2026, month, 1), "monthly", self.company
        )
        evaluations = self._generate(period)
        for evaluation, score in zip(
            evaluations.sorted(lambda e: e.employee_id.name), scores, strict=True
        ):
            self._fill(
                evaluation,
                {"服务工作标准执行": (100 - score, 0), "客户满意度调查": (20, 0), "服务投诉": (0, 0)},
            )
        evaluations.with_user(self.officer).action_start()
        evaluations.with_user(self.manager).action_to_rating()
        evaluations.with_user(self.manager).action_to_hr_review()
        return period, evaluations

    def _annual_consequences(self):
        return self.env["hr.kpi.consequence"].search(
            [("employee_id", "in", self.reps.ids), ("rule", "in", ("annual_priority", "annual_demotion"))]
        )

    def test_november_results_are_refused_or_provisional(self):
        """Finding 4.1: October published, November in HR review, December not there:
        Aggregate Results on November is refused naming both months; Provisional
        Results gives Q4 and 2026 to date, marked, without the annual priority of the
        rep at 97; once December is in, the final run replaces them and suggests it.
        RELIABILITY #25"""
        reps = self.reps.sorted("name")
        self._month(10, [97, 92, 80])
        november, evaluations = self._in_hr_review(11, [97, 93, 85])
        officer_month = november.with_user(self.officer)
        with self.assertRaises(UserError) as caught:
            officer_month.action_aggregate()
        message = str(caught.exception)
        self.assertIn("2026 Q4: 2026-11: 3 evaluations not approved and published yet; 2026-12 has no evaluations yet", message)
        self.assertIn("• 2026: 2026-11", message)
        self.assertFalse(self.env["hr.kpi.result"].search([("employee_id", "in", self.reps.ids)]))

        action = officer_month.action_aggregate_provisional()
        self.assertIn("marked provisional, no consequences", action["params"]["message"])
        results = self.env["hr.kpi.result"].search([("employee_id", "in", self.reps.ids)])
        self.assertEqual(len(results), 6, "Q4 and 2026 for three reps")
        self.assertEqual(set(results.mapped("provisional")), {True})
        annual = results.filtered(lambda r: r.period_type == "annual" and r.employee_id == reps[0])
        self.assertEqual((annual.score, annual.grade), (97.0, "优秀"))
        self.assertFalse(self._annual_consequences(), "a provisional run suggests nothing")

        evaluations.with_user(self.officer).action_approve()
        evaluations.with_user(self.officer).action_publish()
        self._month(12, [97, 90, 70])
        december = self.env["hr.kpi.period"]._get_or_create(date(2026, 12, 1), "monthly", self.company)
        action = december.with_user(self.officer).action_aggregate()
        self.assertEqual(
            action["params"]["message"], "Aggregated 6 results of 2026 Q4, 2026."
        )
        self.assertEqual(set(results.mapped("provisional")), {False})
        self.assertEqual(self._annual_consequences().employee_id, reps[0])

    def test_a_complete_quarter_goes_and_the_year_waits(self):
        """September: Q3 is complete and aggregated; the year waits for December."""
        for month in (7, 8, 9):
            self._month(month, [90, 80, 70])
        september = self.env["hr.kpi.period"]._get_or_create(date(2026, 9, 1), "monthly", self.company)
        action = september.with_user(self.officer).action_aggregate()
        message = action["params"]["message"]
        self.assertIn("Aggregated 3 results of 2026 Q3.", message)
        self.assertIn("Not aggregated, incomplete:\n• 2026: 2026-10 has no evaluations yet", message)
        results = self.env["hr.kpi.result"].search([("employee_id", "in", self.reps.ids)])
        self.assertEqual(set(results.mapped("period_id.period_type")), {"quarterly"})
        self.assertEqual(set(results.mapped("provisional")), {False})


@tagged("post_install", "-at_install")
class TestStarReviewAfterTheQuarter(CockpitCase):
    def test_q4_review_waits_for_january(self):
        """Finding 4.2: pressed on November, the Q4 star review is refused with its
        reason and nothing is created; in January it runs. RELIABILITY #19"""
        month = self._month_as(self.hr)
        month.action_generate_evaluations()
        self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
        month.action_approve_evaluations()
        with freeze_time("2026-11-20"), self.assertRaises(UserError) as caught:
            month.action_star_review()
        self.assertEqual(
            str(caught.exception),
            "2026 Q4: Star Review runs after its quarter has ended: the quarter ends on "
            "2026-12-31, today is 2026-11-20.",
        )
        quarter = self.month.parent_id
        self.assertFalse(self.env["hr.kpi.star.review"].search([("period_id", "=", quarter.id)]))
        review = self.env["hr.kpi.star.review"].create(
            {"company_id": self.company.id, "period_id": quarter.id}
        )
        with freeze_time("2026-12-31"), self.assertRaisesRegex(UserError, "after its quarter"):
            review.with_user(self.hr).action_compute()
        with freeze_time("2027-01-05"):
            self.assertIn("3 employees reviewed", self._message(month.action_star_review()))
        self.assertEqual(len(review.line_ids), 3)


@tagged("post_install", "-at_install")
class TestPayslipBatchAsksFirst(CockpitCase):
    def test_missing_evaluation_is_listed_and_confirmed(self):
        """Finding 4.3 (evaluations): 孙莉's evaluation is still in HR review; the
        month's payslip batch lists her and creates nothing until confirmed.
        RELIABILITY #32"""
        month = self._month_as(self.hr)
        month.action_generate_evaluations()
        evaluations = self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
        (evaluations - evaluations.filtered(lambda e: e.employee_id.name == "孙莉")).with_user(
            self.hr
        ).action_approve()
        action = month.action_payslip_batch()
        self.assertEqual(action["res_model"], "hr.kpi.period.confirm")
        wizard = self.env["hr.kpi.period.confirm"].browse(action["res_id"])
        self.assertEqual(
            wizard.missing, "• 1 evaluations are not approved (no KPI pay for them): 孙莉"
        )
        self.assertFalse(
            self.env["hr.payslip.run"].search([("date_start", "=", self.month.date_from)])
        )
        action = wizard.with_user(self.hr).action_confirm()
        run = self.env["hr.payslip.run"].browse(action["params"]["next"]["res_id"])
        self.assertEqual(len(run.slip_ids), 3)


@tagged("post_install", "-at_install")
class TestPoolSharedByFewerMembers(CommissionGroupCase):
    def test_one_advisor_alone_does_not_get_the_pool_silently(self):
        """Finding 4.3 (commission): A组 has three advisors and only 服务顾问甲's month
        is confirmed; the batch wizard names the two others and that he would share
        the whole pool, and refuses until ticked. RELIABILITY #20"""
        second, _c2 = self._staff("服务顾问乙", self.job_rep, 3000, kpi_reception_staff=True)
        third, _c3 = self._staff("服务顾问丙", self.job_rep, 3000, kpi_reception_staff=True)
        self._join(second, third)
        month = self.env["hr.kpi.commission.month"].with_user(self.officer).create(
            self._month_vals(self.advisor, self.group, coefficient=1.2)
        )
        month.with_user(self.manager).action_confirm()
        self._publish({self.advisor: 90})
        run = (
            self.env["hr.payslip.run"]
            .with_user(self.payroll)
            .create({"name": "2026-11", "date_start": self.month.date_from, "date_end": self.month.date_to})
        )
        wizard = (
            self.env["hr.payslip.employees"]
            .with_user(self.payroll)
            .with_context(active_id=run.id)
            .create({"employee_ids": [(6, 0, self.advisor.ids)]})
        )
        self.assertIn(
            "A组: 服务顾问丙, 服务顾问乙 have no confirmed month of 2026-11, so 服务顾问甲 would "
            "share the group's whole pool.",
            wizard.kpi_missing,
        )
        with self.assertRaisesRegex(UserError, "Create the Payslips Anyway"):
            wizard.compute_sheet()
        self.assertFalse(run.slip_ids)
        wizard.kpi_confirm_missing = True
        wizard.compute_sheet()
        self.assertEqual(len(run.slip_ids), 1)


@tagged("post_install", "-at_install")
class TestTeamRewardAfterTheQuarter(TeamRewardCase):
    def test_q4_reward_waits_for_january(self):
        """Finding 4.4: a Q4 reward is not requested (nor approved) in November; in
        January it is. RELIABILITY #43"""
        q4 = self.env["hr.kpi.period"]._get_or_create(date(2026, 11, 5), "quarterly", self.company)
        january = self.env["hr.kpi.period"]._get_or_create(date(2027, 1, 5), "monthly", self.company)
        reward = self._reward(quarter=q4, pay_period=january)
        with freeze_time("2026-11-20"), self.assertRaisesRegex(
            UserError, "2026 Q4: Team Reward runs after its quarter has ended"
        ):
            reward.action_request()
        self.assertEqual(reward.state, "draft")
        with freeze_time("2027-01-05"):
            reward.action_request()
            reward.with_user(self.officer).action_approve()
        self.assertEqual((reward.state, reward.amount), ("approved", 4500.0))
