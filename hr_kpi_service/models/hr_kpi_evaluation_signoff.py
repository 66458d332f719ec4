from dataclasses import replace

from odoo import fields, models
from odoo.exceptions import UserError

from .hr_kpi_evaluation import HrKpiEvaluation as BaseEvaluation
from .kpi_policy import kpi_action_scope


class HrKpiEvaluation(models.Model):
    """Sign-off of the results (seed 004 第17条, seed 000 3.2): where the scheme has a
    chain, an approved evaluation waits on a results sheet until its last level
    signs; only then does it pay (``hr_payslip.PAYABLE_DOMAIN``)."""

    _inherit = "hr.kpi.evaluation"
    _kpi_policy = replace(
        BaseEvaluation._kpi_policy,
        protected=(*BaseEvaluation._kpi_policy.protected, "results_sheet_id", "signoff_pending"),
        action_scope=(*BaseEvaluation._kpi_policy.action_scope, "hr.kpi.results.sheet"),
    )

    results_sheet_id = fields.Many2one(
        "hr.kpi.results.sheet",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
    )
    signoff_pending = fields.Boolean(
        string="Waiting for Sign-off",
        readonly=True,
        copy=False,
        index=True,
        help="Approved, but its scheme's sign-off chain has not signed its results sheet "
        "yet: it does not pay before.",
    )

    def _approve(self, rank=True):
        result = super()._approve(rank=rank)
        chained = self.filtered(lambda e: e.scheme_id.signoff_chain_id)
        with kpi_action_scope(self):
            # approved again after a correction: a sheet signed or in approval before
            # no longer covers the new result, which waits for a sheet of its own
            for evaluation in chained:
                sheet = evaluation.results_sheet_id
                evaluation.write(
                    {
                        "signoff_pending": True,
                        "results_sheet_id": sheet.id if sheet.state == "draft" else False,
                    }
                )
            (self - chained).filtered("signoff_pending").write({"signoff_pending": False})
        return result

    def action_publish(self):
        """公示 comes after sign-off: an evaluation waiting for its chain is published by
        its signed results sheet (hr.kpi.results.sheet.action_publish_results)."""
        waiting = self.filtered("signoff_pending")
        if waiting:
            raise UserError(
                self.env._(
                    "%(evaluations)s wait for the sign-off of their results sheet; they are "
                    "published (公示) once it is signed.",
                    evaluations=", ".join(waiting[:10].mapped("name")),
                )
            )
        return super().action_publish()

    def _kpi_committee_reopen(self, reason):
        """The committee upheld an appeal (checked by the appeal): back to HR review
        for the correction, the reason in the chatter."""
        self._lock_rows()
        with kpi_action_scope(self):
            self._set_state("hr_review")
            self.write({"reopen_reason": reason})
        for evaluation in self:
            evaluation.message_post(body=reason)

    def _kpi_committee_close(self, note):
        """The committee rejected an appeal (checked by the appeal): closed as published."""
        self._lock_rows()
        with kpi_action_scope(self):
            self._set_state("closed")
        for evaluation in self:
            evaluation.message_post(body=note)
