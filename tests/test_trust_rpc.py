"""Issue 10: the locks, the rating links and the appeal decisions hold over real
XML-RPC calls (``execute_kw`` as the test users, with their passwords), and every
refusal reaches the client as a clean message, never a Python traceback.

Runs with ``--odoo-http`` (``make test`` passes it).
"""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import XmlRpcMixin
from .test_trust_workflow import TrustCase


@tagged("post_install", "-at_install")
class TestTrustRpc(XmlRpcMixin, TrustCase, HttpCase):
    def test_locked_evaluation_rewrite_over_rpc(self):
        """Issue 10 item 1 over XML-RPC: the lead rewrites state, score and deadline of
        his closed evaluation. RELIABILITY #21 RELIABILITY #6"""
        evaluation = self._to_state(self._eval(self.lead), "closed")
        deadline = evaluation.appeal_deadline
        for vals in (
            {"state": "hr_review"},
            {"total_score": 130},
            {"appeal_deadline": "2030-01-01 00:00:00"},
        ):
            with self.subTest(vals=vals):
                self.assertCleanFault(
                    lambda v=vals: self._call(
                        self.lead_user, "hr.kpi.evaluation", "write", [evaluation.id], v
                    ),
                    "locked",
                )
        self.assertCleanFault(
            lambda: self._call(
                self.lead_user, "hr.kpi.evaluation", "action_reopen", [evaluation.id], "改分"
            ),
            "needs the group",
        )
        self.assertEqual(
            (evaluation.state, evaluation.total_score, evaluation.appeal_deadline),
            ("closed", 87.0, deadline),
        )
        # a subordinate's draft approved by writing its state
        draft = self._eval(self.reps[1])
        self.assertCleanFault(
            lambda: self._call(
                self.lead_user, "hr.kpi.evaluation", "write", [draft.id], {"state": "approved"}
            ),
            "change only through the workflow buttons",
        )
        self.assertEqual(draft.state, "draft")

    def test_rating_repointing_over_rpc(self):
        """Issue 10 item 2 over XML-RPC: the rep re-points his rating line and moves
        his rating. RELIABILITY #3"""
        evaluation = self._to_state(self._eval(self.reps[0]), "self_assessment")
        rating = evaluation.rating_ids.filtered(lambda r: r.role == "self")
        rating_line = rating.line_ids
        target = evaluation.line_ids.filtered(lambda l: l.rater_role == "superior")[0]
        self.assertCleanFault(
            lambda: self._call(
                self.user,
                "hr.kpi.rating.line",
                "write",
                rating_line.ids,
                {"evaluation_line_id": target.id, "value": 1e9},
            ),
            "change only through the workflow buttons",
        )
        self.assertCleanFault(
            lambda: self._call(
                self.user, "hr.kpi.rating", "write", rating.ids, {"role": "superior"}
            ),
            "change only through the workflow buttons",
        )
        fault = self.assertCleanFault(
            lambda: self._call(
                self.user, "hr.kpi.rating.line", "write", rating_line.ids, {"value": 1e9}
            ),
            "客户满意度调查",
        )
        self.assertNotIn("OverflowError", fault)
        self.assertEqual(rating_line.evaluation_line_id, evaluation.line_ids.filtered(
            lambda l: l.rater_role == "self"
        ))
        self.assertEqual((rating_line.value, rating_line.has_value), (0.0, False))
        self.assertEqual(rating.role, "self")

    def test_appeal_forgery_over_rpc(self):
        """Issue 10 item 3 over XML-RPC: an appeal created already 'upheld' by an
        officer. RELIABILITY #3"""
        evaluation = self._to_state(self._eval(self.reps[0]), "published")
        with freeze_time(datetime(2026, 12, 2, 2, 0)):
            self.assertCleanFault(
                lambda: self._call(
                    self.user,
                    "hr.kpi.appeal",
                    "create",
                    {
                        "evaluation_id": evaluation.id,
                        "reason": "统计有误",
                        "state": "upheld",
                        "decided_by_id": self.officer.id,
                    },
                ),
                "set by HR's decision",
            )
        self.assertFalse(self.env["hr.kpi.appeal"].search([("evaluation_id", "=", evaluation.id)]))
        self.assertEqual(evaluation.state, "published")
