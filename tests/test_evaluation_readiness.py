"""Issue 20, finding 2: moving a month forward is click work with late surprises.

1. Taking evaluations from draft to HR review was one click per evaluation and step:
   every transition is now a bulk action of the list, with a summary per evaluation.
2. Send to HR Review passed with raters pending and values missing: it now checks what
   Approve checks (less what HR types in HR review) and names each item.
3. A sourced line could not be typed and nobody said which records feed it: the
   refusal names its source, and the line opens its records.
"""

from datetime import datetime

from odoo.exceptions import RedirectWarning
from odoo.tests import new_test_user, tagged

from .common import GROUP_OFFICER
from .test_kpi_evaluation import EvaluationCase

# Seed 001's values (service standard, satisfaction, complaints): 87 points
VALUES = {"服务工作标准执行": 3, "客户满意度调查": 16, "服务投诉": 1}


@tagged("post_install", "-at_install")
class ReadinessCase(EvaluationCase):
    def _rate(self, evaluation):
        """The superior (the KPI manager) rates and submits."""
        rating = evaluation.rating_ids.filtered(lambda r: r.role == "superior")
        for line in rating.with_user(self.manager).line_ids:
            line.write({"value": VALUES[line.evaluation_line_id.indicator_id.name]})
        rating.with_user(self.manager).action_submit()

    def _summary(self, action):
        step = self.env["hr.kpi.evaluation.step"].browse(action["res_id"])
        return {
            line.evaluation_id.employee_id.name: (line.done, line.reason or "")
            for line in step.line_ids
        }


class TestSendToHrReviewReadiness(ReadinessCase):
    def test_pending_rater_and_missing_values_are_named(self):
        """Finding 2.2: the rating of 王建国 is pending, so the three values of 刘洋 are
        missing; Send to HR Review refuses naming the rater and each line, with a
        button opening the lines (before: it passed, and Approve found them later).
        RELIABILITY #32"""
        evaluation = self._generate().filtered(lambda e: e.employee_id.name == "刘洋")
        evaluation.with_user(self.officer).action_start()
        evaluation.with_user(self.manager).action_to_rating()
        with self.assertRaises(RedirectWarning) as caught:
            evaluation.with_user(self.manager).action_to_hr_review()
        message, action, button = caught.exception.args[:3]
        self.assertIn("Send to HR Review: 3 items are missing.", message)
        for indicator in VALUES:
            self.assertIn(
                f"刘洋 · {indicator}: waiting for the rating of 王建国 (Superior)", message
            )
        lines = self.env["hr.kpi.evaluation.line"].search(action["domain"])
        self.assertEqual(lines, evaluation.line_ids)
        self.assertEqual(action["res_model"], "hr.kpi.evaluation.line")
        self.assertEqual(button, "Open the missing lines")
        self.assertEqual(evaluation.state, "rating", "nothing moved")
        self.assertIn("waiting for the rating of 王建国", lines[0].readiness_note)
        # rated: it goes, scored 87
        self._rate(evaluation)
        evaluation.with_user(self.manager).action_to_hr_review()
        self.assertEqual((evaluation.state, evaluation.total_score), ("hr_review", 87.0))

    def test_hr_lines_do_not_block(self):
        """What HR types in HR review (an HR line) is said, not refused; Approve still
        wants it."""
        self.scheme.action_reset_draft()
        self.scheme.indicator_ids.filtered(lambda i: i.name == "服务投诉").rater_role = "hr"
        self.scheme.action_activate()
        evaluation = self._generate().filtered(lambda e: e.employee_id.name == "刘洋")
        evaluation.with_user(self.officer).action_start()
        evaluation.with_user(self.manager).action_to_rating()
        self._rate(evaluation)
        action = evaluation.with_user(self.manager).action_bulk_to_hr_review()
        self.assertEqual(
            self._summary(action), {"刘洋": (True, "HR enters in HR review: 服务投诉")}
        )
        self.assertEqual(evaluation.state, "hr_review")


class TestSourcedLineNamesItsRecords(ReadinessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme.action_reset_draft()
        cls.scheme.indicator_ids.filtered(lambda i: i.name == "服务投诉").unlink()
        cls.env["hr.kpi.indicator"].create(
            {
                "scheme_id": cls.scheme.id,
                "name": "服务时效达标率",
                "weight": 30,
                "scoring_method": "linear",
                "target": 100,
                "full_points": 30,
                "rater_role": "hr",
                "source_type": "sla_compliance",
                "sequence": 9,
            }
        )
        cls.scheme.action_activate()

    def test_missing_sourced_value_names_its_source(self):
        """Finding 2.3: the line whose value comes from the service-level records has
        none in November: the refusal says so, and the line opens 刘洋's records of
        November; with one record it goes."""
        evaluation = self._generate().filtered(lambda e: e.employee_id.name == "刘洋")
        evaluation.with_user(self.officer).action_start()
        evaluation.with_user(self.manager).action_to_rating()
        self._rate(evaluation)
        with self.assertRaises(RedirectWarning) as caught:
            evaluation.with_user(self.manager).action_to_hr_review()
        self.assertIn(
            "刘洋 · 服务时效达标率: its value comes from Service-level compliance (%), and "
            "nothing is recorded for 2026-11",
            caught.exception.args[0],
        )
        line = evaluation.line_ids.filtered(lambda l: l.indicator_id.name == "服务时效达标率")
        self.assertEqual(line.value_source, "Service-level compliance (%)")
        records = line.with_user(self.manager).action_open_value_source()
        self.assertEqual(records["res_model"], "hr.kpi.sla.record")
        sla = self.env["hr.kpi.sla.record"].create(
            {
                "name": "REQ-1101",
                "employee_id": evaluation.employee_id.id,
                "company_id": self.company.id,
                "priority": "general",
                "received": datetime(2026, 11, 9, 2, 0),
                "first_response": datetime(2026, 11, 9, 2, 30),
                "solved": datetime(2026, 11, 9, 3, 0),
            }
        )
        self.assertEqual(self.env["hr.kpi.sla.record"].search(records["domain"]), sla)
        evaluation.with_user(self.manager).action_to_hr_review()
        self.assertEqual(evaluation.state, "hr_review")
        self.assertTrue(line.has_actual)


class TestBulkTransitions(ReadinessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an officer who is himself evaluated (杨帆): four-eyes per evaluation
        cls.officer_rep = new_test_user(
            cls.env,
            "kpi_bulk_officer_rep",
            groups=f"base.group_user,{GROUP_OFFICER}",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.reps.filtered(lambda e: e.name == "杨帆").user_id = cls.officer_rep

    def test_a_month_moves_in_bulk_with_a_summary(self):
        """Finding 2.1: three evaluations move draft → self-assessment → rating → HR
        review → approved → published in one action per step (not 3 × 5 clicks); the
        one whose rater is pending is skipped and says why, the others move; the
        officer's own is left to another (four-eyes per record). RELIABILITY #23"""
        evaluations = self._generate()
        self.assertEqual(len(evaluations), 3)
        list_arch = evaluations.with_user(self.officer).get_views([(False, "list")])["views"][
            "list"
        ]["arch"]
        for step in ("start", "to_rating", "to_hr_review", "approve", "publish", "close"):
            self.assertIn(f'name="action_bulk_{step}"', list_arch)
        action = evaluations.with_user(self.officer).action_bulk_start()
        self.assertEqual(action["res_model"], "hr.kpi.evaluation.step")
        self.assertEqual(action["name"], "Start Self-assessment: 3 done, 0 skipped")
        action = evaluations.with_user(self.manager).action_bulk_to_rating()
        self.assertEqual(set(evaluations.mapped("state")), {"rating"})
        by_name = {e.employee_id.name: e for e in evaluations}
        self._rate(by_name["刘洋"])
        self._rate(by_name["杨帆"])
        action = evaluations.with_user(self.manager).action_bulk_to_hr_review()
        self.assertEqual(action["name"], "Send to HR Review: 2 done, 1 skipped")
        summary = self._summary(action)
        self.assertEqual(summary["刘洋"], (True, ""))
        done, reason = summary["陈静"]
        self.assertFalse(done)
        self.assertIn("陈静 · 客户满意度调查: waiting for the rating of 王建国", reason)
        step = self.env["hr.kpi.evaluation.step"].browse(action["res_id"])
        skipped = step.line_ids.filtered(lambda l: not l.done)
        self.assertEqual(skipped.missing_count, 3)
        self.assertEqual(
            self.env["hr.kpi.evaluation.line"].search(skipped.action_open_missing()["domain"]),
            by_name["陈静"].line_ids,
        )
        self.assertEqual(
            {e.employee_id.name: e.state for e in evaluations},
            {"刘洋": "hr_review", "陈静": "rating", "杨帆": "hr_review"},
        )
        # the officer who is 杨帆 approves: his own is skipped, 刘洋's approved and ranked
        action = evaluations.with_user(self.officer_rep).action_bulk_approve()
        summary = self._summary(action)
        self.assertEqual(summary["刘洋"], (True, ""))
        self.assertIn("your own evaluation", summary["杨帆"][1])
        self.assertIn("cannot move from Rating to Approved", summary["陈静"][1])
        self.assertEqual(by_name["刘洋"].state, "approved")
        self.assertEqual(by_name["刘洋"].rank_company, 1)
        self.assertEqual(by_name["杨帆"].state, "hr_review")
        action = evaluations.with_user(self.officer).action_bulk_publish()
        self.assertEqual(action["name"], "Publish: 1 done, 2 skipped")
        self.assertEqual(by_name["刘洋"].state, "published")
        # reopened from the list: the reason once, each evaluation on its own
        wizard_action = evaluations.with_user(self.officer).action_open_reopen_wizard()
        wizard = (
            self.env["hr.kpi.evaluation.reopen"]
            .with_user(self.officer)
            .with_context(wizard_action["context"])
            .create({"reason": "复核客户录音"})
        )
        action = wizard.action_confirm()
        self.assertEqual(action["name"], "Reopen: 1 done, 2 skipped")
        # one in rating is not reopened past its readiness check into HR review
        self.assertIn("陈静 · 2026-11 is Rating, not approved", self._summary(action)["陈静"][1])
        self.assertEqual(by_name["陈静"].state, "rating")
        self.assertEqual(
            (by_name["刘洋"].state, by_name["刘洋"].reopen_reason), ("hr_review", "复核客户录音")
        )

    def test_a_manager_cannot_approve_in_bulk(self):
        """Groups per record: a KPI manager's bulk approval approves nothing.
        RELIABILITY #6"""
        evaluations = self._generate()
        action = evaluations.with_user(self.officer).action_bulk_start()
        action = evaluations.with_user(self.manager).action_bulk_approve()
        self.assertEqual(action["name"], "Approve: 0 done, 3 skipped")
        self.assertEqual(set(evaluations.mapped("state")), {"self_assessment"})
