"""The period is the cockpit: one button per month-end step, each saying what it did."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import GROUP_OFFICER
from .test_kpi_payroll import PayrollCase


@tagged("post_install", "-at_install")
class CockpitCase(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["hr.kpi.star.level"]._create_seed_levels(cls.company.ids)
        company_ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        # HR's payroll officer runs the whole month from the period.
        cls.hr = new_test_user(
            cls.env,
            "kpi_cockpit_hr_t",
            groups=f"base.group_user,{GROUP_OFFICER},payroll.group_payroll_manager",
            **company_ctx,
        )
        cls.staff = {}
        for name, wage in (("赵敏", 2000), ("钱进", 2100), ("孙莉", 2200)):
            cls.staff[name] = cls._staff(name, cls.job_rep, wage)
        # The reps' superior computes his team's scores (a manager's step).
        cls.boss = cls._employee("王建国")
        cls.boss.user_id = cls.manager
        for employee, _contract in cls.staff.values():
            employee.parent_id = cls.boss

    def _month_as(self, user):
        return self.month.with_user(user)

    @staticmethod
    def _message(action):
        return action["params"]["message"]

    @staticmethod
    def _amounts(run):
        """{(employee, code): amount} of the non-zero inputs; a duplicate code fails."""
        amounts = {}
        for line in run.slip_ids.input_line_ids.filtered("amount"):
            key = (line.payslip_id.employee_id.name, line.code)
            assert key not in amounts, f"duplicate input {key}"
            amounts[key] = line.amount
        return amounts

    def _fill_and_review(self, scores):
        """Type the month's values and bring the evaluations to HR review."""
        evaluations = self.env["hr.kpi.evaluation"].search([("period_id", "=", self.month.id)])
        for evaluation in evaluations:
            for line in evaluation.line_ids:
                if line.indicator_id.scoring_method == "veto":
                    line.actual_value = 1
                else:
                    line.actual_value = scores[evaluation.employee_id.name]
                line.has_actual = True
        evaluations.with_user(self.officer).action_start()
        evaluations.with_user(self.officer).action_to_rating()
        evaluations.with_user(self.officer).action_to_hr_review()
        return evaluations


class TestCockpit(CockpitCase):
    def test_a_month_from_the_period(self):
        """Generate → scores → approve → publish → stars → awards → payslip batch, each
        step's sentence in the notification and in the period's chatter."""
        month = self._month_as(self.hr)
        action = month.action_generate_evaluations()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
        self.assertEqual(
            self._message(action), "Generated 3 evaluations, skipped 0 that already existed."
        )
        self.assertEqual(
            self._message(month.action_generate_evaluations()),
            "Generated 0 evaluations, skipped 3 that already existed.",
        )
        self.assertEqual((month.evaluation_count, month.evaluation_draft_count), (3, 3))

        evaluations = self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
        month.invalidate_recordset()
        self.assertEqual(month.evaluation_hr_review_count, 3)
        self.assertEqual(
            self._message(month.with_user(self.manager).action_compute_scores()),
            "Scores computed for 3 evaluations.",
        )
        self.assertEqual(sorted(evaluations.mapped("total_score")), [70, 85, 95])
        self.assertEqual(self._message(month.action_approve_evaluations()), "Approved 3 evaluations.")
        self.assertEqual(sorted(evaluations.mapped("rank_company")), [1, 2, 3])
        self.assertEqual(
            self._message(month.action_publish_evaluations()), "Published 3 evaluations."
        )
        month.invalidate_recordset()
        self.assertEqual((month.evaluation_published_count, month.evaluation_count), (3, 3))
        self.assertEqual(
            month.action_publish_evaluations()["params"]["type"], "warning"
        )  # nothing left to publish

        # the quarter's star review runs once the quarter has ended (issue 20)
        with freeze_time("2027-01-05"):
            self.assertIn("3 employees reviewed", self._message(month.action_star_review()))
        review = self.env["hr.kpi.star.review"].search([("period_id", "=", self.month.parent_id.id)])
        self.assertEqual(len(review.line_ids), 3)
        self.assertIn("3 employees", self._message(month.action_monthly_stars()))
        self.assertEqual(
            self.env["hr.kpi.star.month"].search_count([("period_id", "=", self.month.id)]), 3
        )
        self.assertTrue(self._message(month.action_awards()).endswith("in total."))

        action = month.action_payslip_batch()
        run = self.env["hr.payslip.run"].browse(action["params"]["next"]["res_id"])
        self.assertEqual(len(run.slip_ids), 3)
        self.assertIn("3 payslips created with their KPI lines, 0 payslips", self._message(action))
        zhao = run.slip_ids.filtered(lambda s: s.employee_id.name == "赵敏")
        # 1 star at 600 × 85 %, full attendance 200 (seed 003's ladder, no review yet)
        self.assertEqual(
            (self._inputs(zhao)["KPI_STAR"], self._inputs(zhao)["KPI_ATT"]), (510.0, 200.0)
        )
        self.assertEqual(zhao.get_salary_line_total("NET"), 2710.0)
        amounts_before = self._amounts(run)
        # Pressed again: the same batch, no second payslip, no duplicate input.
        action = month.action_payslip_batch()
        self.assertEqual(action["params"]["next"]["res_id"], run.id)
        self.assertIn("0 payslips created with their KPI lines, 3 payslips", self._message(action))
        self.assertEqual(len(run.slip_ids), 3)
        self.assertEqual(self._amounts(run), amounts_before)

        notes = self.month.message_ids.mapped("body")
        self.assertTrue(any("Generated 3 evaluations" in note for note in notes))
        self.assertTrue(any("Published 3 evaluations" in note for note in notes))
        open_action = month.action_open_evaluations("published")
        self.assertEqual(
            self.env["hr.kpi.evaluation"].search_count(open_action["domain"]), 3
        )

    def test_four_eyes_in_bulk(self):
        """RELIABILITY #4: the officer's own evaluation is left to another person."""
        self.staff["赵敏"][0].user_id = self.hr
        month = self._month_as(self.hr)
        month.action_generate_evaluations()
        evaluations = self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
        self.assertEqual(
            self._message(month.action_approve_evaluations()),
            "Approved 2 evaluations. 1 of your own left to another person (four-eyes).",
        )
        own = evaluations.filtered(lambda e: e.employee_id.user_id == self.hr)
        self.assertEqual(own.state, "hr_review")
        self.assertEqual(set((evaluations - own).mapped("state")), {"approved"})


class TestCockpitRefusals(CockpitCase):
    def test_rep_and_manager_are_refused(self):
        """RELIABILITY #4: public methods check the caller's group themselves."""
        steps = (
            "action_generate_evaluations",
            "action_compute_scores",
            "action_approve_evaluations",
            "action_publish_evaluations",
            "action_star_review",
            "action_monthly_stars",
            "action_awards",
            "action_payslip_batch",
        )
        for step in steps:
            with self.subTest(step=step), self.assertRaises(AccessError):
                getattr(self._month_as(self.user), step)()
        for step in set(steps) - {"action_compute_scores"}:
            with self.subTest(step=step, user="manager"), self.assertRaises(AccessError):
                getattr(self._month_as(self.manager), step)()
        self.assertEqual(
            self.env["hr.kpi.evaluation"].search_count([("period_id", "=", self.month.id)]), 0
        )
        # A KPI officer who is no payroll officer makes no payslip batch.
        with self.assertRaises(AccessError):
            self._month_as(self.officer).action_payslip_batch()
        self.assertFalse(
            self.env["hr.payslip.run"].search([("date_start", "=", self.month.date_from)])
        )

    def test_closed_period_is_refused(self):
        self.month.state = "closed"
        with self.assertRaisesRegex(UserError, "closed"):
            self._month_as(self.hr).action_generate_evaluations()
