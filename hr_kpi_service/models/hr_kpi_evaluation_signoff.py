from dataclasses import replace

from odoo import fields, models

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
        string="Results Sheet",
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
        super()._approve(rank=rank)
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
