"""What month-end does in bulk is what the ORM does: the tracking messages
(``hr_kpi_evaluation_tracking``: mail's own author, subtype, flags and tracked
values), the lines' scores (``hr_kpi_evaluation_line_bulk``) and the company check
of many evaluations (``hr.kpi.evaluation._check_company``)."""

from odoo.addons.hr_kpi_service.models import (
    hr_kpi_evaluation_line_bulk,
    hr_kpi_evaluation_results_write,
    hr_kpi_evaluation_tracking,
)
from odoo.addons.hr_kpi_service.models.kpi_policy import kpi_action_scope
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_kpi_period_cockpit import CockpitCase

MESSAGE_FIELDS = (
    "model",
    "message_type",
    "subtype_id",
    "is_internal",
    "author_id",
    "email_from",
    "reply_to",
    "body",
    "create_uid",
)
TRACKING_FIELDS = (
    "field_id",
    "old_value_float",
    "new_value_float",
    "old_value_char",
    "new_value_char",
    "old_value_integer",
    "new_value_integer",
    "currency_id",
)


@tagged("post_install", "-at_install")
class TestBulkTracking(CockpitCase):
    def _score(self, evaluations, value):
        for line in evaluations.line_ids:
            if line.indicator_id.scoring_method != "veto":
                line.actual_value = value
        self.env.flush_all()
        self.env.cr.precommit.run()  # what was tracked before is logged first
        before = self.env["mail.message"].search([], order="id desc", limit=1).id
        evaluations.with_user(self.manager).action_compute_scores()
        self.env.flush_all()
        self.env.cr.precommit.run()  # mail logs the tracking when the request commits
        return self.env["mail.message"].search(
            [("id", ">", before), ("model", "=", "hr.kpi.evaluation")], order="res_id"
        )

    @staticmethod
    def _shape(message):
        return (
            tuple(message[name] for name in MESSAGE_FIELDS),
            sorted(
                tuple(value[name] for name in TRACKING_FIELDS)
                for value in message.tracking_value_ids
            ),
        )

    def test_bulk_messages_are_mails_own(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        month = self.month.with_env(self.env).with_user(self.hr)
        month.action_generate_evaluations()
        # Odoo does not track records created in the same transaction: commit-time
        # hooks run once here, as if the evaluations had been generated earlier.
        self.env.flush_all()
        self.env.cr.precommit.run()
        evaluations = self._fill_and_review({"赵敏": 85, "钱进": 85, "孙莉": 85})
        self.assertEqual(set(evaluations.mapped("total_score")), {85.0})
        # mail's own log (3 messages: below the bulk size)
        by_mail = self._score(evaluations, 70)
        self.assertEqual(len(by_mail), 3)
        # the same change the other way, written in bulk (the bulk size lowered to 1)
        self.patch(hr_kpi_evaluation_tracking, "BULK_MESSAGES", 1)
        self._score(evaluations, 85)
        in_bulk = self._score(evaluations, 70)
        self.assertEqual(len(in_bulk), 3)
        self.assertEqual(in_bulk.mapped("res_id"), by_mail.mapped("res_id"))
        for bulk, mail in zip(in_bulk, by_mail, strict=True):
            self.assertEqual(self._shape(bulk), self._shape(mail))
        score_field = self.env["ir.model.fields"]._get("hr.kpi.evaluation", "total_score")
        values = in_bulk.tracking_value_ids.filtered(lambda v: v.field_id == score_field)
        self.assertEqual(
            sorted((v.old_value_float, v.new_value_float) for v in values), [(85.0, 70.0)] * 3
        )
        # the chatter shows them: the evaluation's messages include the bulk ones
        evaluations.invalidate_recordset(["message_ids"])
        self.assertTrue(set(in_bulk.ids) <= set(evaluations.message_ids.ids))
        self.assertEqual(in_bulk.mapped("message_id")[0][:1], "<")

    LINE_FIELDS = ("points", "max_points", "weighted_score", "vetoed", "scored_on")

    def _lines(self, evaluations):
        evaluations.invalidate_recordset()
        return {
            (line.employee_id.name, line.indicator_id.name): tuple(
                line[name] for name in self.LINE_FIELDS
            )
            for line in evaluations.line_ids
        }

    def test_bulk_line_scores_are_the_orms(self):
        """The same month scored through the ORM's writes and through one UPDATE gives
        the same points, weighted scores, vetoes and totals; an unchanged month writes
        nothing again; outside an action the bulk path refuses like a write."""
        month = self._month_as(self.hr)
        month.action_generate_evaluations()
        evaluations = self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
        by_orm = self._lines(evaluations)
        totals = sorted(evaluations.mapped("total_score"))
        self.assertEqual(totals, [70.0, 85.0, 95.0])
        self.assertEqual(len(by_orm), len(evaluations.line_ids))
        # everything at zero, then scored again in bulk (the bulk size lowered to 1)
        evaluations.line_ids.sudo().write(
            {"points": 0, "max_points": 0, "weighted_score": 0, "vetoed": False}
        )
        self.patch(hr_kpi_evaluation_line_bulk, "BULK_ROWS", 1)
        evaluations.with_user(self.manager).action_compute_scores()
        self.assertEqual(self._lines(evaluations), by_orm)
        self.assertEqual(sorted(evaluations.mapped("total_score")), totals)
        # scored again, nothing changed: no line is written (its write date stays)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hr_kpi_evaluation_line SET write_date = '2000-01-01' WHERE id IN %s",
            [tuple(evaluations.line_ids.ids)],
        )
        evaluations.invalidate_recordset()
        evaluations.line_ids.invalidate_recordset()
        evaluations.with_user(self.manager).action_compute_scores()
        self.env.flush_all()
        evaluations.line_ids.invalidate_recordset()
        self.assertEqual(
            {str(date) for date in evaluations.line_ids.mapped("write_date")},
            {"2000-01-01 00:00:00"},
        )
        # outside an action the lines' own write refuses the scores (protected fields)
        line = evaluations.line_ids[0].with_user(self.manager)
        with self.assertRaises(AccessError):
            line._kpi_write_bulk({line: {"points": 1.0}}, line.evaluation_id)

    RESULT_FIELDS = ("total_score", "missing_count", "vetoed", "grade_band_id",
                     "rank_department", "rank_company", "rank_flag", "most_improved")

    def _results(self, evaluations):
        evaluations.invalidate_recordset()
        return {
            e.employee_id.name: tuple(e[name] for name in self.RESULT_FIELDS)
            for e in evaluations
        }

    def test_bulk_results_are_the_orms(self):
        """RELIABILITY #41 (the results scoring and ranking write, issue 23): totals,
        grades and ranks written in bulk are those of the ORM's writes, with
        the same chatter tracking; an unchanged month writes no evaluation again;
        outside an action the same call refuses like a write."""
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        month = self._month_as(self.hr).with_env(self.env).with_user(self.hr)
        month.action_generate_evaluations()
        self.env.flush_all()
        self.env.cr.precommit.run()  # generated in an earlier request
        evaluations = self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
        manager = evaluations.with_user(self.manager)
        manager.action_compute_scores()
        with kpi_action_scope(manager):
            manager._compute_rankings()
        by_orm = self._results(evaluations)
        self.assertEqual(sorted(e[0] for e in by_orm.values()), [70.0, 85.0, 95.0])
        self.assertEqual(sorted(e[5] for e in by_orm.values()), [1, 2, 3])
        self._score(evaluations, 85)
        by_mail = self._score(evaluations, 60)
        # the same again in bulk (the bulk size lowered to 1): results cleared first
        self._score(evaluations, 85)
        self.patch(hr_kpi_evaluation_results_write, "BULK_ROWS", 1)
        in_bulk = self._score(evaluations, 60)
        self.assertEqual(len(in_bulk), len(by_mail))
        for bulk, mail in zip(in_bulk, by_mail, strict=True):
            self.assertEqual(self._shape(bulk), self._shape(mail))
        self._fill_and_rescore(evaluations, {"赵敏": 85, "钱进": 70, "孙莉": 95})
        evaluations.sudo().write(
            {"rank_department": 0, "rank_company": 0, "rank_flag": False, "most_improved": False}
        )
        with kpi_action_scope(manager):
            manager._compute_rankings()
        self.assertEqual(self._results(evaluations), by_orm)
        # ranked again, nothing changed: no evaluation is written (its write date stays)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hr_kpi_evaluation SET write_date = '2000-01-01' WHERE id IN %s",
            [tuple(evaluations.ids)],
        )
        evaluations.invalidate_recordset()
        with kpi_action_scope(manager):
            manager._compute_rankings()
        manager.action_compute_scores()
        self.env.flush_all()
        evaluations.invalidate_recordset()
        self.assertEqual(
            {str(date) for date in evaluations.mapped("write_date")}, {"2000-01-01 00:00:00"}
        )
        # outside an action: the ORM's write, which refuses the protected results
        with self.assertRaises(AccessError):
            manager._kpi_write_results({manager[0]: {"rank_company": 9}})

    def _fill_and_rescore(self, evaluations, scores):
        for line in evaluations.line_ids:
            if line.indicator_id.scoring_method != "veto":
                line.actual_value = scores[line.evaluation_id.employee_id.name]
        evaluations.with_user(self.manager).action_compute_scores()

    def test_grades_of_many_totals_are_band_for(self):
        """RELIABILITY #41 (grading a batch, issue 23): the bands of many totals read
        once per scale are those of _band_for, at every band's edge and around it."""
        scales = self.env["hr.kpi.grade.scale"].search([])
        self.assertTrue(scales)
        for scale in scales:
            edges = [band.min_score for band in scale.band_ids]
            scores = sorted(
                {0.0, 0.004, 100.0, 120.0}
                | {round(edge + delta, 4) for edge in edges for delta in (-0.01, 0, 0.0049, 1) if edge + delta >= 0}
            )
            bands = scale._band_ids_for(scores)
            self.assertEqual(
                bands, {score: scale._band_for(score).id for score in scores}, scale.name
            )
            self.assertGreater(len(set(bands.values())), 1, scale.name)

    def test_company_check_of_many_evaluations(self):
        """RELIABILITY #14: checked per company over the union, the check of 60
        evaluations still refuses the one whose employee belongs to another company,
        and names it as Odoo does."""
        evaluations = self.env["hr.kpi.evaluation"].search([], limit=60)
        self.assertEqual(len(evaluations), 60)
        evaluations._check_company()  # consistent: passes
        other = self.env["res.company"].create({"name": "其他公司"})
        stranger = self.env["hr.employee"].create({"name": "外人", "company_id": other.id})
        victim = evaluations[37]
        # as if it had been linked before the check existed (a write checks it at once)
        self.env.cr.execute(
            "UPDATE hr_kpi_evaluation SET employee_id = %s WHERE id = %s", [stranger.id, victim.id]
        )
        victim.invalidate_recordset(["employee_id"])
        with self.assertRaisesRegex(UserError, "外人"):
            evaluations._check_company(["employee_id"])
        with self.assertRaisesRegex(UserError, "外人"):
            evaluations._check_company()
