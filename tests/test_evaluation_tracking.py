"""The evaluations' tracking messages written in bulk (``hr_kpi_evaluation_tracking``)
are the messages mail itself logs: same author, subtype, flags and tracked values."""

from odoo.addons.hr_kpi_service.models import hr_kpi_evaluation_tracking
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
