"""Issue 10: the evaluation workflow cannot be bent.

Every hostile example of issue 10 (items 1, 2, 3, 4, 9 and the first rule of 12) is
replayed here by the hostile user himself (``with_user``); each test asserts the
clean error and that nothing changed. Protected fields change only inside the
workflow actions (hr.kpi.protected.mixin).
"""

import math
import uuid
from datetime import date, datetime

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, RedirectWarning, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_MANAGER, GROUP_OFFICER
from .test_kpi_evaluation import EvaluationCase

# AccessError and ValidationError are UserErrors: a clean, translated refusal.
REFUSED = UserError


@tagged("post_install", "-at_install")
class TrustCase(EvaluationCase):
    """The service-quality scheme with a self-assessed satisfaction line; a lead (a
    KPI manager with his own evaluation) over 陈静; an HR officer (孙丽) who is
    herself evaluated; a neutral HR officer and the department manager 王建国."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.scheme.action_reset_draft()
        cls.scheme.indicator_ids.filtered(lambda i: i.name == "客户满意度调查").rater_role = "self"
        cls.scheme.action_activate()
        cls.lead_user = new_test_user(
            cls.env, "kpi_lead_trust", groups=f"base.group_user,{GROUP_MANAGER}", **company_ctx
        )
        cls.lead = cls._employee("赵磊", job=cls.job_rep)
        cls.lead.write({"user_id": cls.lead_user.id, "parent_id": cls.boss.id})
        cls.reps[1].parent_id = cls.lead
        cls.hr_user = new_test_user(
            cls.env, "kpi_hr_trust", groups=f"base.group_user,{GROUP_OFFICER}", **company_ctx
        )
        cls.hr = cls._employee("孙丽", job=cls.job_rep)
        cls.hr.write({"user_id": cls.hr_user.id, "parent_id": cls.boss.id})
        cls.peer_user = new_test_user(
            cls.env, "kpi_peer_trust", groups="base.group_user", **company_ctx
        )
        cls.reps[2].user_id = cls.peer_user

    def setUp(self):
        super().setUp()
        self.evaluations = self._generate()
        self.by_employee = {e.employee_id: e for e in self.evaluations}

    def _eval(self, employee):
        return self.by_employee[employee]

    def _fill_superior(self, evaluations):
        """The superior's values typed as the superuser while still in draft."""
        for evaluation in evaluations:
            for line in evaluation.line_ids.filtered(lambda l: l.rater_role == "superior"):
                actual, major = self.SEED_001_VALUES[line.indicator_id.name]
                line.write({"actual_value": actual, "actual_major": major})

    def _self_assess(self, evaluation, value=16):
        rating = evaluation.rating_ids.filtered(lambda r: r.role == "self")
        user = rating.rater_user_id or self.officer
        rating.line_ids.with_user(user).write({"value": value})
        rating.with_user(user).action_submit()

    def _to_state(self, evaluations, state):
        """Drive `evaluations` through the workflow, each step by a neutral user."""
        self._fill_superior(evaluations)
        evaluations.with_user(self.officer).action_start()
        if state == "self_assessment":
            return evaluations
        for evaluation in evaluations:
            self._self_assess(evaluation)
        evaluations.with_user(self.manager).action_to_rating()
        if state == "rating":
            return evaluations
        evaluations.with_user(self.manager).action_to_hr_review()
        if state == "hr_review":
            return evaluations
        evaluations.with_user(self.officer).action_approve()
        if state == "approved":
            return evaluations
        with freeze_time(datetime(2026, 12, 1, 2, 0)):
            evaluations.with_user(self.officer).action_publish()
        if state == "published":
            return evaluations
        evaluations.with_user(self.officer).action_close()
        return evaluations

    @staticmethod
    def _snapshot(evaluation):
        evaluation.invalidate_recordset()
        return (
            evaluation.state,
            evaluation.total_score,
            evaluation.appeal_deadline,
            evaluation.grade_band_id.id,
            tuple(evaluation.line_ids.mapped(lambda l: (l.weight, l.points, l.indicator_id.id))),
        )

    def assertRefusedUnchanged(self, records, call, errors=REFUSED, snapshot=None):
        """`call()` raises one of `errors` (never a bare Python error) and the
        snapshot of `records` is the same afterwards."""
        snapshot = snapshot or self._snapshot
        before = snapshot(records)
        with self.assertRaises(errors) as caught:
            with self.env.cr.savepoint():
                call()
        self.env.invalidate_all()
        self.assertEqual(snapshot(records), before)
        self.assertTrue(str(caught.exception.args[0]).strip())
        return caught.exception


class TestLockedEvaluation(TrustCase):
    def test_lead_cannot_rewrite_his_closed_evaluation(self):
        """Issue 10 item 1: a lead rewrites state, score and deadline of his own
        closed evaluation. RELIABILITY #5 RELIABILITY #21"""
        evaluation = self._to_state(self._eval(self.lead), "closed")
        self.assertEqual((evaluation.state, evaluation.total_score), ("closed", 87.0))
        as_lead = evaluation.with_user(self.lead_user)
        for vals in (
            {"state": "hr_review"},
            {"total_score": 130},
            {"state": "closed", "total_score": 130},
            {"appeal_deadline": datetime(2030, 1, 1)},
            {"grade_band_id": False},
            {"rank_company": 1, "previous_score": 0},
        ):
            with self.subTest(vals=vals):
                self.assertRefusedUnchanged(evaluation, lambda v=vals: as_lead.write(v))
        # even HR cannot: only the Reopen action moves a locked evaluation
        self.assertRefusedUnchanged(
            evaluation, lambda: evaluation.with_user(self.officer).write({"state": "hr_review"})
        )
        self.assertRefusedUnchanged(
            evaluation,
            lambda: evaluation.with_user(self.officer).write(
                {"appeal_deadline": datetime(2030, 1, 1)}
            ),
        )
        # and the lead cannot reopen it through the action either
        self.assertRefusedUnchanged(evaluation, lambda: as_lead.action_reopen("我要改分"))
        # the feedback stays writable for the managers
        evaluation.with_user(self.manager).write({"strengths": "沟通耐心"})
        self.assertEqual(evaluation.strengths, "沟通耐心")

    def test_lead_cannot_approve_a_subordinate_draft_by_writing_state(self):
        """Issue 10 item 1: approving a subordinate's draft by writing `state`.
        RELIABILITY #6"""
        evaluation = self._eval(self.reps[1])
        as_lead = evaluation.with_user(self.lead_user)
        for state in ("approved", "published", "closed", "hr_review"):
            with self.subTest(state=state):
                self.assertRefusedUnchanged(evaluation, lambda s=state: as_lead.write({"state": s}))
        # the action checks the group: a KPI manager does not approve
        self.assertRefusedUnchanged(evaluation, as_lead.action_approve)
        self.assertRefusedUnchanged(evaluation, as_lead.action_publish)
        self.assertEqual(evaluation.state, "draft")

    def test_rep_calls_the_officer_actions_over_rpc_style(self):
        """RELIABILITY #6: an employee calls the public actions of HR."""
        evaluation = self._to_state(self._eval(self.reps[0]), "hr_review")
        as_rep = evaluation.with_user(self.user)
        for action in ("action_approve", "action_grade", "action_close", "action_compute_scores"):
            with self.subTest(action=action):
                self.assertRefusedUnchanged(evaluation, getattr(as_rep, action))
        self.assertRefusedUnchanged(evaluation, lambda: as_rep.action_reopen("再来"))
        self.assertEqual(evaluation.state, "hr_review")

    def test_approved_is_read_only_for_everyone(self):
        """RELIABILITY #21: scores, weights, points of an approved evaluation by any
        user, HR included; whitelisted feedback stays writable; the form shows the
        scores read-only."""
        evaluation = self._to_state(self._eval(self.reps[0]), "approved")
        line = evaluation.line_ids[0]
        for user in (self.officer, self.manager):
            with self.subTest(user=user.login):
                self.assertRefusedUnchanged(
                    evaluation, lambda u=user: evaluation.with_user(u).write({"total_score": 99})
                )
                self.assertRefusedUnchanged(
                    evaluation, lambda u=user: line.with_user(u).write({"weight": 10})
                )
                self.assertRefusedUnchanged(
                    evaluation, lambda u=user: line.with_user(u).write({"actual_value": 0})
                )
        evaluation.with_user(self.officer).write({"improvement_plan": "每周复盘"})
        self.assertEqual(evaluation.improvement_plan, "每周复盘")
        with Form(evaluation.with_user(self.officer)) as form:
            with self.assertRaises(AssertionError):
                form.total_score = 99
        self.assertEqual(evaluation.total_score, 87.0)

    def test_approved_cannot_be_deleted(self):
        """RELIABILITY #22: unlink of an approved evaluation, even by HR (non-sudo)."""
        evaluation = self._to_state(self._eval(self.reps[0]), "approved")
        self.assertRefusedUnchanged(evaluation, evaluation.with_user(self.officer).unlink)
        self.assertTrue(evaluation.exists())
        line = evaluation.line_ids[:1]
        self.assertRefusedUnchanged(evaluation, line.with_user(self.officer).unlink)

    def test_scheme_changes_do_not_touch_approved_evaluations(self):
        """RELIABILITY #25: editing the scheme after approval keeps the stored weights
        and score of the approved evaluation (snapshot at generation)."""
        evaluation = self._to_state(self._eval(self.reps[0]), "approved")
        before = self._snapshot(evaluation)
        self.scheme.action_reset_draft()
        indicators = self.scheme.indicator_ids.sorted("sequence")
        indicators[0].weight = 40
        indicators[1].weight = 30
        self.scheme.action_activate()
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(evaluation), before)
        self.assertEqual(evaluation.line_ids.mapped("weight"), [50.0, 20.0, 30.0])


class TestLines(TrustCase):
    def test_manager_cannot_change_read_only_line_fields(self):
        """Issue 10 item 4: weight 500 turned 75 into 516; points and indicator too.
        RELIABILITY #18"""
        evaluation = self._to_state(self._eval(self.reps[0]), "hr_review")
        self.assertEqual(evaluation.total_score, 87.0)
        line = evaluation.line_ids.sorted("sequence")[0]
        other_indicator = evaluation.line_ids.sorted("sequence")[1].indicator_id
        as_manager = line.with_user(self.manager)
        for vals in (
            {"weight": 500},
            {"points": 500},
            {"weighted_score": 500},
            {"max_points": 1},
            {"vetoed": True},
            {"indicator_id": other_indicator.id},
            {"rater_role": "self"},
            {"evaluation_id": self._eval(self.reps[2]).id},
        ):
            with self.subTest(vals=vals):
                self.assertRefusedUnchanged(evaluation, lambda v=vals: as_manager.write(v))
        # nor through the stored related fields (written through to the evaluation)
        for vals in ({"employee_id": self.reps[2].id}, {"company_id": self.other_company.id}):
            with self.subTest(related=vals):
                self.assertRefusedUnchanged(evaluation, lambda v=vals: as_manager.write(v))
        self.assertEqual(line.employee_id, self.reps[0])
        # nor through the evaluation's one2many
        self.assertRefusedUnchanged(
            evaluation,
            lambda: evaluation.with_user(self.manager).write(
                {"line_ids": [(1, line.id, {"weight": 500})]}
            ),
        )
        # a new line cannot be slipped in, nor one removed
        self.assertRefusedUnchanged(
            evaluation,
            lambda: self.env["hr.kpi.evaluation.line"]
            .with_user(self.officer)
            .create(
                {
                    "evaluation_id": evaluation.id,
                    "indicator_id": other_indicator.id,
                    "weight": 500,
                    "actual_value": 20,
                }
            ),
        )
        evaluation.with_user(self.manager).action_compute_scores()
        self.assertEqual(evaluation.total_score, 87.0)

    def test_value_bounds_and_non_finite(self):
        """RELIABILITY #18: NaN, infinity and absurd magnitudes are refused with the
        field and the limit; nothing written."""
        evaluation = self._to_state(self._eval(self.reps[0]), "hr_review")
        line = evaluation.line_ids.filtered(lambda l: l.indicator_id.name == "服务投诉")
        as_manager = line.with_user(self.manager)
        for value in (math.nan, math.inf, -math.inf, 1e300):
            with self.subTest(value=value):
                error = self.assertRefusedUnchanged(
                    evaluation,
                    lambda v=value: as_manager.write({"actual_value": v}),
                    errors=ValidationError,
                )
                self.assertIn("1e+09", str(error))
        self.assertEqual(line.actual_value, 1.0)

    def test_missing_values_listed_on_approve(self):
        """RELIABILITY #18: a missing mandatory value is named, and the evaluation
        does not move: since issue 20 already when it is sent to HR review."""
        evaluation = self._eval(self.reps[0])
        evaluation.with_user(self.officer).action_start()
        self._self_assess(evaluation)
        evaluation.with_user(self.manager).action_to_rating()
        with self.assertRaises(RedirectWarning) as caught:  # (a savepoint: undone)
            evaluation.with_user(self.manager).action_to_hr_review()
        self.assertIn("服务工作标准执行", caught.exception.args[0])
        self.assertEqual(evaluation.state, "rating")

    def test_sourced_values_are_not_typed(self):
        """Actual values computed from the records are not typed by anyone."""
        evaluation = self._to_state(self._eval(self.reps[0]), "hr_review")
        line = evaluation.line_ids.filtered(lambda l: l.indicator_id.name == "服务投诉")
        line.indicator_id.sudo().source_type = "incident_count"
        self.assertRefusedUnchanged(
            evaluation,
            lambda: line.with_user(self.manager).write({"actual_value": 0}),
            errors=AccessError,
        )


class TestRatings(TrustCase):
    def _own_rating(self):
        evaluation = self._to_state(self._eval(self.reps[0]), "self_assessment")
        rating = evaluation.rating_ids.filtered(lambda r: r.role == "self")
        self.assertEqual(rating.rater_user_id, self.user)
        return evaluation, rating

    @staticmethod
    def _rating_snapshot(rating):
        rating.invalidate_recordset()
        return (
            rating.evaluation_id.id,
            rating.role,
            rating.state,
            rating.rater_employee_id.id,
            rating.rater_user_id.id,
            rating.employee_id.id,
            tuple(
                rating.line_ids.mapped(lambda l: (l.evaluation_line_id.id, l.value, l.has_value))
            ),
        )

    def test_rep_cannot_repoint_his_rating_line_nor_write_a_huge_value(self):
        """Issue 10 item 2: a rep re-points a rating line to another line of his
        evaluation and writes a huge value. RELIABILITY #3"""
        evaluation, rating = self._own_rating()
        rating_line = rating.line_ids.with_user(self.user)
        target = evaluation.line_ids.filtered(lambda l: l.indicator_id.name == "服务工作标准执行")
        snap = self._rating_snapshot
        self.assertRefusedUnchanged(
            rating,
            lambda: rating_line.write({"evaluation_line_id": target.id, "value": 1e9}),
            errors=AccessError,
            snapshot=snap,
        )
        self.assertRefusedUnchanged(
            rating,
            lambda: rating_line.write({"evaluation_line_id": target.id}),
            errors=AccessError,
            snapshot=snap,
        )
        self.assertRefusedUnchanged(
            rating, lambda: rating_line.write({"value": 1e9}), errors=ValidationError, snapshot=snap
        )
        self.assertRefusedUnchanged(
            rating,
            lambda: rating_line.write({"has_value": True}),
            errors=AccessError,
            snapshot=snap,
        )
        # a new rating line pointing anywhere cannot be created
        self.assertRefusedUnchanged(
            rating,
            lambda: self.env["hr.kpi.rating.line"]
            .with_user(self.user)
            .create({"rating_id": rating.id, "evaluation_line_id": target.id, "value": 20}),
            snapshot=snap,
        )
        # his legitimate value goes in
        rating_line.write({"value": 16})
        self.assertEqual((rating_line.value, rating_line.has_value), (16.0, True))

    def test_rating_evaluation_role_and_state_are_not_writable(self):
        """Issue 10 item 2: a rating's evaluation_id and role are writable too.
        RELIABILITY #3"""
        evaluation, rating = self._own_rating()
        other = self._eval(self.reps[2])
        as_rep = rating.with_user(self.user)
        snap = self._rating_snapshot
        for vals in (
            {"evaluation_id": other.id},
            {"role": "superior"},
            {"state": "submitted"},
            {"rater_employee_id": self.boss.id},
            # stored related fields: written directly they would change only their column
            {"rater_user_id": self.peer_user.id},
            {"employee_id": self.reps[2].id},
        ):
            with self.subTest(vals=vals):
                self.assertRefusedUnchanged(
                    rating, lambda v=vals: as_rep.write(v), errors=AccessError, snapshot=snap
                )
        # nor does his manager re-assign the rating to himself or to another employee
        superior = evaluation.rating_ids.filtered(lambda r: r.role == "superior")
        for vals in ({"rater_user_id": self.lead_user.id}, {"employee_id": self.lead.id}):
            with self.subTest(manager=vals):
                self.assertRefusedUnchanged(
                    superior,
                    lambda v=vals: superior.with_user(self.manager).write(v),
                    errors=AccessError,
                    snapshot=snap,
                )
        # the rep writes nothing on the evaluation itself
        self.assertRefusedUnchanged(
            evaluation, lambda: evaluation.with_user(self.user).write({"strengths": "我很好"})
        )

    def test_rating_only_while_rated_and_only_once(self):
        """RELIABILITY #18: values after submission or after the rating steps are refused."""
        evaluation, rating = self._own_rating()
        self._self_assess(evaluation)
        self.assertEqual(rating.state, "submitted")
        snap = self._rating_snapshot
        self.assertRefusedUnchanged(
            rating, lambda: rating.line_ids.with_user(self.user).write({"value": 20}), snapshot=snap
        )
        self.assertRefusedUnchanged(
            rating, rating.with_user(self.user).action_submit, snapshot=snap
        )

    def test_nobody_rates_for_somebody_else(self):
        """A colleague (or HR for a rater who has a login) does not fill another's rating."""
        _evaluation, rating = self._own_rating()
        for user in (self.peer_user, self.officer):
            with self.subTest(user=user.login):
                self.assertRefusedUnchanged(
                    rating,
                    lambda u=user: rating.line_ids.with_user(u).write({"value": 20}),
                    snapshot=self._rating_snapshot,
                )

    def test_rating_form_saves_values_but_not_links(self):
        """The rating form saves its values through the rating's one2many: the value
        goes in, a re-pointing or a new line through the same path does not."""
        evaluation, rating = self._own_rating()
        line = rating.line_ids
        target = evaluation.line_ids.filtered(lambda l: l.rater_role == "superior")[0]
        as_rep = rating.with_user(self.user)
        as_rep.write({"line_ids": [(1, line.id, {"value": 16})]})
        self.assertEqual(line.value, 16.0)
        snap = self._rating_snapshot
        for commands in (
            [(1, line.id, {"evaluation_line_id": target.id})],
            [(0, 0, {"evaluation_line_id": target.id, "value": 20})],
            [(2, line.id)],
        ):
            with self.subTest(commands=commands):
                self.assertRefusedUnchanged(
                    rating, lambda c=commands: as_rep.write({"line_ids": c}), snapshot=snap
                )

    def test_submitted_rater_cannot_be_removed(self):
        """Removing the submitted raters of a group would move its weight to the
        others: refused; nor does anybody remove raters of his own evaluation."""
        evaluation = self._to_state(self._eval(self.reps[0]), "rating")
        rating = evaluation.rating_ids.filtered(lambda r: r.role == "self")
        self.assertEqual(rating.state, "submitted")
        self.assertRefusedUnchanged(
            rating, rating.with_user(self.manager).unlink, snapshot=self._rating_snapshot
        )
        lead_evaluation = self._to_state(self._eval(self.lead), "rating")
        superior = lead_evaluation.rating_ids.filtered(lambda r: r.role == "superior")
        self.assertRefusedUnchanged(
            superior, superior.with_user(self.lead_user).unlink, snapshot=self._rating_snapshot
        )
        self.assertTrue(superior.exists())

    def test_added_rater_checks_and_default_state_forgery(self):
        """A manager adds a rater: a context default_state='submitted' is dropped, the
        rating gets the lines of its role; the employee cannot pick his raters."""
        evaluation = self._to_state(self._eval(self.reps[0]), "rating")
        Rating = self.env["hr.kpi.rating"].with_context(
            default_state="submitted", default_role="self"
        )
        rating = Rating.with_user(self.manager).create(
            {"evaluation_id": evaluation.id, "role": "superior", "rater_employee_id": self.lead.id}
        )
        self.assertEqual(rating.state, "todo")
        self.assertEqual(
            rating.line_ids.evaluation_line_id,
            evaluation.line_ids.filtered(lambda l: l.rater_role == "superior"),
        )
        with self.assertRaises(AccessError):
            Rating.with_user(self.manager).create(
                {
                    "evaluation_id": evaluation.id,
                    "role": "superior",
                    "rater_employee_id": self.hr.id,
                    "state": "submitted",
                }
            )
        lead_evaluation = self._to_state(self._eval(self.lead), "rating")
        with self.assertRaises(AccessError):
            Rating.with_user(self.lead_user).create(
                {
                    "evaluation_id": lead_evaluation.id,
                    "role": "superior",
                    "rater_employee_id": self.reps[1].id,
                }
            )
        self.assertFalse(
            lead_evaluation.rating_ids.filtered(lambda r: r.rater_employee_id == self.reps[1])
        )


class TestAppeals(TrustCase):
    def _appeal(self, evaluation, user, **vals):
        with freeze_time(datetime(2026, 12, 2, 2, 0)):
            return (
                self.env["hr.kpi.appeal"]
                .with_user(user)
                .create(dict({"evaluation_id": evaluation.id, "reason": "统计有误"}, **vals))
            )

    def test_rep_cannot_forge_an_upheld_appeal(self):
        """Issue 10 item 3: a rep creates an appeal with state='upheld' and
        decided_by_id set to an officer. RELIABILITY #3"""
        evaluation = self._to_state(self._eval(self.reps[0]), "published")
        Appeal = self.env["hr.kpi.appeal"]
        for vals in (
            {"state": "upheld", "decided_by_id": self.officer.id},
            {"state": "rejected"},
            {"decided_by_id": self.officer.id},
            {"decision_date": datetime(2026, 12, 2)},
            {"decision_note": "同意"},
        ):
            with self.subTest(vals=vals):
                self.assertRefusedUnchanged(
                    evaluation, lambda v=vals: self._appeal(evaluation, self.user, **v)
                )
        self.assertFalse(Appeal.search([("evaluation_id", "=", evaluation.id)]))
        self.assertEqual(evaluation.state, "published")
        appeal = self._appeal(evaluation, self.user)
        self.assertEqual(evaluation.state, "appealed")
        # the rep cannot decide it either, nor rewrite it
        self.assertRefusedUnchanged(
            evaluation, lambda: appeal.with_user(self.user).write({"state": "upheld"})
        )
        self.assertRefusedUnchanged(
            evaluation, lambda: appeal.with_user(self.user).action_uphold("同意")
        )
        self.assertEqual(appeal.state, "submitted")

    def test_appeal_with_context_defaults_is_created_submitted(self):
        """default_state context forgery on create: the default is dropped."""
        evaluation = self._to_state(self._eval(self.reps[0]), "published")
        with freeze_time(datetime(2026, 12, 2, 2, 0)):
            appeal = (
                self.env["hr.kpi.appeal"]
                .with_user(self.user)
                .with_context(default_state="upheld", default_decided_by_id=self.officer.id)
                .create({"evaluation_id": evaluation.id, "reason": "统计有误"})
            )
        self.assertEqual(appeal.state, "submitted")
        self.assertFalse(appeal.decided_by_id)

    def test_only_the_employee_appeals_his_published_evaluation_once(self):
        """One open appeal per evaluation, none after a final decision, none by
        somebody else; the partial unique index holds against the superuser too."""
        evaluation = self._to_state(self._eval(self.reps[0]), "published")
        other = self._to_state(self._eval(self.reps[2]), "published")
        self.assertRefusedUnchanged(other, lambda: self._appeal(other, self.user))
        self.assertRefusedUnchanged(evaluation, lambda: self._appeal(evaluation, self.manager))
        appeal = self._appeal(evaluation, self.user)
        self.assertRefusedUnchanged(evaluation, lambda: self._appeal(evaluation, self.user))
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["hr.kpi.appeal"].create(
                    {"evaluation_id": evaluation.id, "reason": "再次申诉"}
                )
        # upheld, corrected, approved and published again: no second appeal
        appeal.with_user(self.officer).action_uphold("漏计一份调查表")
        evaluation.with_user(self.officer).action_approve()
        with freeze_time(datetime(2026, 12, 3, 2, 0)):
            evaluation.with_user(self.officer).action_publish()
        error = self.assertRefusedUnchanged(evaluation, lambda: self._appeal(evaluation, self.user))
        self.assertIn("final", str(error))

    def test_nobody_decides_his_own_appeal(self):
        """Issue 10 item 9 / RELIABILITY #23: an officer who is the evaluated employee
        cannot decide his own appeal; another officer can."""
        evaluation = self._to_state(self._eval(self.hr), "published")
        appeal = self._appeal(evaluation, self.hr_user)
        for action in ("action_uphold", "action_reject"):
            with self.subTest(action=action):
                self.assertRefusedUnchanged(
                    evaluation,
                    lambda a=action: getattr(appeal.with_user(self.hr_user), a)("我同意我自己"),
                    errors=AccessError,
                )
        self.assertEqual(appeal.state, "submitted")
        appeal.with_user(self.officer).action_reject("复核无误")
        self.assertEqual((appeal.state, evaluation.state), ("rejected", "closed"))
        self.assertEqual(appeal.decided_by_id, self.officer)
        self.assertRefusedUnchanged(
            evaluation,
            lambda: appeal.with_user(self.officer).write({"decision_note": "改判"}),
        )


class TestFourEyes(TrustCase):
    def test_officer_cannot_approve_his_own_evaluation(self):
        """Issue 10 item 9: an officer who is also evaluated approves his own
        evaluation; a second officer approves it. RELIABILITY #23 RELIABILITY #5"""
        evaluation = self._to_state(self._eval(self.hr), "hr_review")
        as_self = evaluation.with_user(self.hr_user)
        for action in ("action_approve", "action_grade", "action_compute_scores"):
            with self.subTest(action=action):
                self.assertRefusedUnchanged(
                    evaluation, getattr(as_self, action), errors=AccessError
                )
        self.assertRefusedUnchanged(
            evaluation, lambda: as_self.write({"state": "approved"}), errors=AccessError
        )
        evaluation.with_user(self.officer).action_approve()
        self.assertEqual(evaluation.state, "approved")
        for action in ("action_publish", "action_close"):
            self.assertRefusedUnchanged(evaluation, getattr(as_self, action))
        self.assertRefusedUnchanged(evaluation, lambda: as_self.action_reopen("自己改"))

    def test_officer_cannot_fill_his_own_values(self):
        """Issue 10 item 9: an officer who is evaluated fills his own values: only his
        self-assessment is his. RELIABILITY #5"""
        evaluation = self._eval(self.hr)
        evaluation.with_user(self.officer).action_start()
        superior_line = evaluation.line_ids.filtered(lambda l: l.rater_role == "superior")[0]
        self.assertRefusedUnchanged(
            evaluation,
            lambda: superior_line.with_user(self.hr_user).write({"actual_value": 0}),
            errors=AccessError,
        )
        superior = evaluation.rating_ids.filtered(lambda r: r.role == "superior")
        self.assertEqual(superior.rater_employee_id, self.boss)
        self.assertRefusedUnchanged(
            evaluation,
            lambda: superior.line_ids.with_user(self.hr_user).write({"value": 20}),
            errors=AccessError,
        )
        # her self-assessment is hers
        self._self_assess(evaluation, value=20)
        self.assertEqual(
            evaluation.rating_ids.filtered(lambda r: r.role == "self").state, "submitted"
        )

    def test_nobody_edits_his_own_evaluation(self):
        """RELIABILITY #5: the lead (a KPI manager) writes the feedback or the private
        note of his own evaluation: refused; on his report's evaluation: allowed."""
        evaluation = self._to_state(self._eval(self.lead), "hr_review")
        as_lead = evaluation.with_user(self.lead_user)
        for vals in (
            {"strengths": "我最棒"},
            {"private_note": "无"},
            {"improvement_plan": "无需改进"},
        ):
            with self.subTest(vals=vals):
                self.assertRefusedUnchanged(
                    evaluation, lambda v=vals: as_lead.write(v), errors=AccessError
                )
        self.assertFalse(evaluation.strengths)
        report = self._eval(self.reps[1]).with_user(self.lead_user)
        report.write({"strengths": "耐心"})
        self.assertEqual(report.strengths, "耐心")

    def test_manager_on_his_own_evaluation(self):
        """RELIABILITY #5: child_of includes the manager himself; he still cannot type
        the superior's values of his own evaluation, nor move it on."""
        evaluation = self._to_state(self._eval(self.lead), "rating")
        line = evaluation.line_ids.filtered(lambda l: l.rater_role == "superior")[0]
        self.assertRefusedUnchanged(
            evaluation,
            lambda: line.with_user(self.lead_user).write({"actual_value": 0}),
            errors=AccessError,
        )
        as_lead = evaluation.with_user(self.lead_user)
        self.assertRefusedUnchanged(evaluation, as_lead.action_to_hr_review, errors=AccessError)
        self.assertEqual(evaluation.state, "rating")


class TestConfidentiality(TrustCase):
    """RELIABILITY #1, #2, #4, #10, #11, #12 on the evaluations."""

    def test_employee_does_not_read_a_colleague(self):
        """RELIABILITY #1: read raises; search, count, read_group and name_search
        leave the colleague's evaluation out."""
        self._to_state(self.evaluations, "published")
        own, other = self._eval(self.reps[0]), self._eval(self.reps[2])
        Evaluation = self.env["hr.kpi.evaluation"].with_user(self.user)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            other.with_user(self.user).read(["total_score"])
        self.assertEqual(Evaluation.search([]), own)
        self.assertEqual(Evaluation.search_count([]), 1)
        groups = Evaluation.read_group([], ["total_score:sum"], [])
        self.assertEqual(groups[0]["total_score"], own.total_score)
        self.assertEqual(groups[0]["__count"], 1)
        self.assertFalse(Evaluation.name_search(self.reps[2].name))
        Line = self.env["hr.kpi.evaluation.line"].with_user(self.user)
        self.assertFalse(Line.search([("evaluation_id", "=", other.id)]))

    def test_employee_reads_his_own_but_not_the_private_note(self):
        """RELIABILITY #2: his published evaluation is readable, the managers' private
        note is not; a draft is invisible."""
        draft = self._eval(self.reps[0])
        draft.private_note = "试用期考察"
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertFalse(self.env["hr.kpi.evaluation"].with_user(self.user).search([]))
        with self.assertRaises(AccessError):
            draft.with_user(self.user).read(["total_score"])
        evaluation = self._to_state(draft, "published")
        self.env.invalidate_all()
        as_rep = evaluation.with_user(self.user)
        self.assertEqual(as_rep.read(["total_score"])[0]["total_score"], 87.0)
        with self.assertRaises(AccessError):
            as_rep.read(["private_note"])
        self.assertNotIn("private_note", as_rep.read()[0])
        self.assertEqual(evaluation.with_user(self.manager).private_note, "试用期考察")

    def test_employee_writes_nothing_on_his_evaluation(self):
        """RELIABILITY #3: score, grade, state, plan on his own evaluation by ORM write."""
        evaluation = self._to_state(self._eval(self.reps[0]), "hr_review")
        as_rep = evaluation.with_user(self.user)
        for vals in (
            {"total_score": 100},
            {"state": "approved"},
            {"grade_band_id": False},
            {"strengths": "我很好"},
        ):
            with self.subTest(vals=vals):
                self.assertRefusedUnchanged(evaluation, lambda v=vals: as_rep.write(v))
        line = evaluation.line_ids[0].with_user(self.user)
        self.assertRefusedUnchanged(evaluation, lambda: line.write({"actual_value": 0}))

    def test_manager_sees_his_subtree_following_the_org_chart(self):
        """RELIABILITY #4: the lead sees his direct report, not a peer's. Policy: the
        visibility follows the current org chart, history included: after 陈静 moves
        to another manager, the lead no longer sees her evaluations, old or new."""
        self._to_state(self.evaluations, "self_assessment")
        self.env.flush_all()
        self.env.invalidate_all()
        Evaluation = self.env["hr.kpi.evaluation"].with_user(self.lead_user)
        self.assertEqual(
            Evaluation.search([]).employee_id, self.lead | self.reps[1]
        )
        self.assertEqual(
            self.env["hr.kpi.evaluation"].with_user(self.manager).search([]).employee_id,
            self.reps | self.lead | self.hr,
        )
        with self.assertRaises(AccessError):
            self._eval(self.reps[2]).with_user(self.lead_user).read(["total_score"])
        self.reps[1].parent_id = self.boss
        december = self.env["hr.kpi.period"]._get_or_create(
            date(2026, 12, 1), "monthly", self.company
        )
        self._generate(december)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(Evaluation.search([]).employee_id, self.lead)

    def test_search_oracle_on_the_private_note(self):
        """RELIABILITY #10: searching or ordering by the private note as an employee
        raises instead of filtering."""
        evaluation = self._to_state(self._eval(self.reps[0]), "published")
        evaluation.private_note = "重点关注"
        self.env.flush_all()
        self.env.invalidate_all()
        Evaluation = self.env["hr.kpi.evaluation"].with_user(self.user)
        with self.assertRaises(AccessError):
            Evaluation.search([("private_note", "ilike", "重点")])
        with self.assertRaises(AccessError):
            Evaluation.search([], order="private_note")
        with self.assertRaises(AccessError):
            Evaluation.read_group([], ["total_score:sum"], ["private_note"])

    def test_export_of_a_colleague_evaluation(self):
        """RELIABILITY #11 (export_data part): a colleague exporting the evaluation
        gets an AccessError; the printed sheet (PDF) comes with the reports addon and
        is tested there."""
        evaluation = self._to_state(self._eval(self.reps[0]), "published")
        export = self.env.ref("base.group_allow_export")
        (self.user | self.peer_user).write({"groups_id": [(4, export.id)]})
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.peer_user).export_data(["employee_id", "total_score"])
        rows = evaluation.with_user(self.user).export_data(["total_score"])["datas"]
        self.assertEqual(rows, [["87.0"]] if isinstance(rows[0][0], str) else [[87.0]])
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user).export_data(["private_note"])

    def test_private_note_stays_out_of_the_chatter_and_attachments(self):
        """RELIABILITY #12: a change of the private note posts no tracking value the
        employee could read; an attachment on his evaluation is not readable by a
        colleague."""
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        evaluation = self._to_state(self._eval(self.reps[0]), "published")
        self.env.flush_all()
        self.env.cr.precommit.run()
        evaluation.with_user(self.manager).write({"private_note": "绩效改进候选"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        tracked = evaluation.message_ids.sudo().tracking_value_ids.field_id.mapped("name")
        self.assertNotIn("private_note", tracked)
        as_rep = evaluation.with_user(self.user)
        bodies = " ".join(as_rep.message_ids.mapped(lambda m: m.body or ""))
        self.assertNotIn("绩效改进候选", bodies)
        attachment = self.env["ir.attachment"].create(
            {
                "name": "面谈记录.txt",
                "raw": b"interview",
                "res_model": "hr.kpi.evaluation",
                "res_id": evaluation.id,
            }
        )
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            attachment.with_user(self.peer_user).read(["raw"])


class TestPeriodsAndUniqueness(TrustCase):
    def test_periods_and_one_evaluation_per_employee_scheme_period(self):
        """RELIABILITY #19: dates in the wrong order; a second evaluation for the same
        employee, scheme and period (refused to HR, and by the database); archived
        employees and employees hired after the period get none."""
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["hr.kpi.period"].create(
                {
                    "name": "倒置",
                    "period_type": "monthly",
                    "date_from": date(2026, 6, 30),
                    "date_to": date(2026, 6, 1),
                    "company_id": self.company.id,
                }
            )
        evaluation = self._eval(self.reps[0])
        vals = {
            "employee_id": self.reps[0].id,
            "scheme_id": self.scheme.id,
            "period_id": self.period.id,
            "company_id": self.company.id,
        }
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["hr.kpi.evaluation"].with_user(self.officer).create(vals)
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["hr.kpi.evaluation"].create(vals)
        self.assertEqual(
            self.env["hr.kpi.evaluation"].search_count(
                [("employee_id", "=", self.reps[0].id), ("period_id", "=", self.period.id)]
            ),
            1,
        )
        self.assertTrue(evaluation.exists())
        # a period with evaluations keeps its dates (the pay month follows from them)
        for vals in ({"date_from": date(2026, 10, 1)}, {"period_type": "quarterly"}):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(UserError, "already has evaluations"):
                    self.period.with_user(self.officer).write(vals)
        self.assertEqual(self.period.date_from, date(2026, 11, 1))
        self.period.with_user(self.officer).write({"pay_date": date(2026, 12, 21)})
        january = self.env["hr.kpi.period"]._get_or_create(
            date(2027, 1, 1), "monthly", self.company
        )
        self.reps[2].active = False
        self.assertNotIn(self.reps[2], self._generate(january).employee_id)


@tagged("post_install", "-at_install")
class TestEmptyRaterGroup(EvaluationCase):
    """Issue 10 item 12, first rule (seed 004 售后服务 40 / 30 / 30): a rater group
    with nobody in it gives its weight to the others, and the redistribution holds
    through approval: no value is asked for it, and a value typed anyway changes
    nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.job_360 = cls.env["hr.job"].create({"name": "售后主管", "company_id": cls.company.id})
        cls.scheme_360 = cls._scheme(
            [
                {"name": name, "weight": weight, "scoring_method": "manual", "rater_role": role}
                for name, weight, role in (
                    ("上级评价", 40, "superior"),
                    ("同事评价", 30, "peer"),
                    ("下属评价", 30, "subordinate"),
                )
            ],
            name="售后服务 360",
            job_ids=[(6, 0, cls.job_360.ids)],
            rater_config_id=cls.env.ref("hr_kpi_service.rater_config_seed004").id,
        )
        cls.scheme_360.action_activate()
        after_sales, parts = cls.env["hr.department"].create(
            [{"name": name, "company_id": cls.company.id} for name in ("售后服务部", "备件部")]
        )
        cls.director = cls._employee("周总", department=after_sales)
        # no peers: the department holds only his superior and his subordinates
        cls.head = cls._employee("吴强", job=cls.job_360, department=after_sales)
        cls.head.parent_id = cls.director
        cls.team = cls.env["hr.employee"]
        for name in ("郑一", "郑二"):
            cls.team |= cls._employee(name, department=after_sales)
        cls.team.parent_id = cls.head
        # neither peers nor subordinates
        cls.alone = cls._employee("钱多", job=cls.job_360, department=parts)
        cls.alone.parent_id = cls.director

    def _run(self, values):
        evaluations = self._generate().filtered(lambda e: e.scheme_id == self.scheme_360)
        officer = evaluations.with_user(self.officer)
        officer.action_start()
        officer.action_to_rating()
        # the raters have no login: HR types their sheets
        for rating in evaluations.rating_ids:
            value = values[rating.role]
            rating.line_ids.with_user(self.officer).write({"value": value})
            rating.with_user(self.officer).action_submit()
        officer.action_to_hr_review()
        return {e.employee_id: e for e in evaluations}

    def test_no_peers_60_40_holds_through_approval(self):
        by_employee = self._run({"superior": 90, "subordinate": 70})
        head, alone = by_employee[self.head], by_employee[self.alone]
        self.assertEqual(set(head.rating_ids.mapped("role")), {"superior", "subordinate"})
        self.assertFalse(alone.rating_ids.filtered(lambda r: r.role != "superior"))
        self.assertEqual(head.total_score, 82.0)  # 90 × 60 % + 70 × 40 %
        self.assertEqual(alone.total_score, 90.0)  # superior 100 %
        peer_line = head.line_ids.filtered(lambda l: l.rater_role == "peer")
        self.assertTrue(peer_line.no_rater)
        self.assertEqual(head.missing_count, 0)
        # nobody can type a value for the empty group...
        with self.assertRaisesRegex(UserError, "nobody rates this rater group"):
            peer_line.with_user(self.officer).write({"actual_value": 10})
        # ...and a value slipped in by the superuser changes nothing
        peer_line.write({"actual_value": 10})
        (head | alone).with_user(self.officer).action_approve()
        self.assertEqual((head.state, alone.state), ("approved", "approved"))
        self.assertEqual(head.total_score, 82.0)
        self.assertEqual(alone.total_score, 90.0)
        self.assertEqual((head.missing_count, alone.missing_count), (0, 0))

    def test_a_group_with_a_rater_is_still_demanded(self):
        """A subordinate who has not submitted: the missing value is named (since
        issue 20 when the evaluation is sent to HR review)."""
        evaluations = self._generate().filtered(lambda e: e.employee_id == self.head)
        evaluations.with_user(self.officer).action_start()
        evaluations.with_user(self.officer).action_to_rating()
        superior = evaluations.rating_ids.filtered(lambda r: r.role == "superior")
        superior.line_ids.with_user(self.officer).write({"value": 90})
        superior.with_user(self.officer).action_submit()
        with self.assertRaises(RedirectWarning) as caught:  # (a savepoint: undone)
            evaluations.with_user(self.officer).action_to_hr_review()
        self.assertIn("下属评价", caught.exception.args[0])
        self.assertEqual(evaluations.state, "rating")


@tagged("post_install", "-at_install")
class TestApproveEditRace(TransactionCase):
    """RELIABILITY #39: the manager edits a value in one transaction while HR
    approves in another. Two real cursors (registry.cursor()) on fixtures committed
    for the test and removed after it. Both sides lock the evaluation's row (the
    approval FOR UPDATE, the manager's value FOR SHARE; hr_kpi_row_locks), waiting
    briefly for it, and re-read its state: an edit never lands on an approved
    evaluation, the loser gets a clean UserError, and its retry re-validates. The
    raters' side and the waits: tests/test_narrow_locks.py."""

    def _commit_fixtures(self):
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env["res.company"].create({"name": f"竞态 {tag}"})
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            ctx = {"company_id": company.id, "company_ids": [(6, 0, company.ids)]}
            officer, manager = (
                new_test_user(env, f"race_{role}_{tag}", groups=f"base.group_user,{group}", **ctx)
                for role, group in (("hr", GROUP_OFFICER), ("mgr", GROUP_MANAGER))
            )
            job = env["hr.job"].create({"name": f"客服 {tag}", "company_id": company.id})
            boss = env["hr.employee"].create(
                {"name": "上级", "company_id": company.id, "user_id": manager.id}
            )
            reps = env["hr.employee"].create(
                [
                    {"name": name, "company_id": company.id, "job_id": job.id, "parent_id": boss.id}
                    for name in ("甲", "乙")
                ]
            )
            scheme = env["hr.kpi.scheme"].create(
                {"name": f"竞态 {tag}", "company_id": company.id, "job_ids": [(6, 0, job.ids)]}
            )
            env["hr.kpi.indicator"].create(
                {
                    "scheme_id": scheme.id,
                    "name": "服务质量",
                    "weight": 100,
                    "scoring_method": "manual",
                    "rater_role": "hr",
                }
            )
            scheme.action_activate()
            period = env["hr.kpi.period"].with_company(company)._get_or_create(
                date(2026, 11, 1), "monthly", company
            )
            evaluations = env["hr.kpi.evaluation"].with_company(company)._generate(period)
            evaluations.line_ids.write({"actual_value": 80})
            evaluations.action_start()
            evaluations.action_to_rating()
            evaluations.action_to_hr_review()
            ids = {
                "company": company.id,
                "officer": officer.id,
                "manager": manager.id,
                "evaluations": evaluations.sorted(lambda e: e.employee_id.name).ids,
                "period": period.ids + period.parent_id.ids + period.parent_id.parent_id.ids,
                "scheme": scheme.id,
                "employees": (boss | reps).ids,
                "job": job.id,
            }
        self.addCleanup(self._remove_fixtures, ids)
        return ids

    def _remove_fixtures(self, ids):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM hr_kpi_evaluation WHERE id IN %s", [tuple(ids["evaluations"])])
            cr.execute("DELETE FROM hr_kpi_indicator WHERE scheme_id = %s", [ids["scheme"]])
            cr.execute("DELETE FROM hr_kpi_scheme WHERE id = %s", [ids["scheme"]])
            cr.execute("DELETE FROM hr_kpi_period WHERE id IN %s", [tuple(ids["period"])])
            cr.execute("DELETE FROM hr_employee WHERE id IN %s", [tuple(ids["employees"])])
            cr.execute("DELETE FROM hr_job WHERE id = %s", [ids["job"]])
            cr.execute(
                "UPDATE res_users SET active = FALSE WHERE id IN %s",
                [(ids["officer"], ids["manager"])],
            )

    def _env(self, cr, uid, company_id=None):
        return api.Environment(cr, uid, {"allowed_company_ids": [company_id]} if company_id else {})

    def _state_score_value(self, evaluation_id):
        with self.registry.cursor() as cr:
            evaluation = self._env(cr, SUPERUSER_ID)["hr.kpi.evaluation"].browse(evaluation_id)
            return evaluation.state, evaluation.total_score, evaluation.line_ids.actual_value

    def test_edit_first_then_approval_waits_for_nothing_and_retries(self):
        ids = self._commit_fixtures()
        first = ids["evaluations"][0]
        with self.registry.cursor() as cr_mgr, self.registry.cursor() as cr_hr:
            mgr = self._env(cr_mgr, ids["manager"], ids["company"])
            hr = self._env(cr_hr, ids["officer"], ids["company"])
            mgr["hr.kpi.evaluation"].browse(first).line_ids.write({"actual_value": 95})
            with self.assertRaisesRegex(UserError, "Another user is changing"):
                hr["hr.kpi.evaluation"].browse(first).action_approve()
            cr_hr.rollback()
            cr_mgr.commit()
            # the retry re-validates and scores the committed edit
            hr["hr.kpi.evaluation"].browse(first).action_approve()
            cr_hr.commit()
        self.assertEqual(self._state_score_value(first), ("approved", 95.0, 95.0))

    def test_approval_first_then_the_edit_is_refused(self):
        ids = self._commit_fixtures()
        second = ids["evaluations"][1]
        with self.registry.cursor() as cr_mgr, self.registry.cursor() as cr_hr:
            mgr = self._env(cr_mgr, ids["manager"], ids["company"])
            hr = self._env(cr_hr, ids["officer"], ids["company"])
            hr["hr.kpi.evaluation"].browse(second).action_approve()
            line = mgr["hr.kpi.evaluation"].browse(second).line_ids
            with self.assertRaisesRegex(UserError, "Another user is changing"):
                line.write({"actual_value": 10})
            cr_mgr.rollback()
            cr_hr.commit()
            # the retry sees the approval and is refused: nothing lands on it
            mgr.invalidate_all()
            with self.assertRaisesRegex(UserError, "locked"):
                mgr["hr.kpi.evaluation"].browse(second).line_ids.write({"actual_value": 10})
            cr_mgr.rollback()
        self.assertEqual(self._state_score_value(second), ("approved", 80.0, 80.0))
