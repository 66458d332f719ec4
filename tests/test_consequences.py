"""Issue 13 item 7: suggested consequences are made once, carry a state, and HR marks
them done or dismisses them with a reason (officers only, never about themselves)."""

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_OFFICER
from .test_kpi_evaluation import EvaluationCase


@tagged("post_install", "-at_install")
class TestConsequences(EvaluationCase):
    def _consequences(self, rule=None):
        domain = [("employee_id", "in", self.reps.ids)]
        if rule:
            domain.append(("rule", "=", rule))
        return self.env["hr.kpi.consequence"].search(domain)

    def test_no_year_end_award_once_per_employee_and_year(self):
        """陈静 scores 80, 85, 70, 60 (four results below 90 in 2026): one
        取消年终评先资格, triggered by the first two, not one more per month."""
        reps = self.reps.sorted("name")
        months = {9: [96, 92, 80], 10: [95, 93, 85], 11: [97, 91, 70], 12: [94, 95, 60]}
        for month, scores in months.items():
            self._month(month, scores)
        award = self._consequences("no_year_end_award")
        self.assertEqual(len(award), 1)
        self.assertEqual(award.employee_id, reps[2])
        self.assertEqual(award.dedup_key, "year-2026")
        self.assertEqual(sorted(award.evaluation_ids.mapped("total_score")), [80.0, 85.0])
        self.assertEqual(award.state, "open")
        # running the detection twice more creates nothing
        before = self._consequences()
        evaluations = self.env["hr.kpi.evaluation"].search([("employee_id", "in", self.reps.ids)])
        self.env["hr.kpi.consequence"]._detect(evaluations)
        self.env["hr.kpi.consequence"]._detect(evaluations)
        self.assertEqual(self._consequences(), before)
        # the natural key is unique in the database too
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["hr.kpi.consequence"].create(
                {
                    "employee_id": reps[2].id,
                    "company_id": self.company.id,
                    "rule": "no_year_end_award",
                    "trigger_key": "1,2",
                    "dedup_key": "year-2026",
                }
            )

    def test_dismiss_with_reason_and_done(self):
        self._month(10, [96, 92, 80])
        self._month(11, [95, 93, 85])
        award = self._consequences("no_year_end_award")
        rule = dict(award._fields["rule"]._description_selection(award.env))[award.rule]
        self.assertEqual(award.display_name, f"{rule}: 陈静")
        as_officer = award.with_user(self.officer)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            as_officer.action_dismiss()  # no reason
        self.assertEqual(award.state, "open")
        as_officer.action_dismiss("已在十二月补足服务时长，经人力资源复核不取消资格")
        self.assertEqual(award.state, "dismissed")
        self.assertEqual(award.resolved_by_id, self.officer)
        self.assertEqual(award.resolution_note, "已在十二月补足服务时长，经人力资源复核不取消资格")
        self.assertFalse(award.activity_id, "the HR to-do is closed")
        # decided: no second decision, no rewriting of the reason
        with self.assertRaises(UserError), self.env.cr.savepoint():
            as_officer.action_done()
        with self.assertRaises(UserError), self.env.cr.savepoint():
            as_officer.write({"resolution_note": "改"})
        # dismissed stays dismissed: detection does not suggest it again
        self._month(12, [94, 95, 60])
        self.assertEqual(self._consequences("no_year_end_award"), award)
        bottom = self._consequences("bottom_rank")[:1]
        bottom.with_user(self.officer).action_done()
        self.assertEqual((bottom.state, bottom.resolution_note), ("done", False))

    def test_manager_cannot_decide_and_nobody_decides_his_own(self):
        self._month(10, [96, 92, 80])
        self._month(11, [95, 93, 85])
        award = self._consequences("no_year_end_award")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            award.with_user(self.manager).action_dismiss("经理不同意")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            award.with_user(self.manager).write({"state": "dismissed"})
        officer_rep = new_test_user(
            self.env,
            "kpi_officer_rep_t",
            groups=f"base.group_user,{GROUP_OFFICER}",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        award.employee_id.user_id = officer_rep
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            award.with_user(officer_rep).action_dismiss("我不同意")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            award.with_user(officer_rep).write({"state": "dismissed"})
        self.assertEqual(award.state, "open")
        award.with_user(self.officer).action_dismiss("复核后撤销")
        self.assertEqual(award.state, "dismissed")
