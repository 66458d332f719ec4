from odoo import fields, models

from ..models.kpi_policy import KpiPolicy


class HrKpiEvaluationReopen(models.TransientModel):
    """Ask an officer for the reason before reopening locked evaluations."""

    _name = "hr.kpi.evaluation.reopen"
    _inherit = ["hr.kpi.protected.mixin"]
    # A wizard: its values are checked like any record's; its buttons are the actions.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "Reopen KPI Evaluations"

    evaluation_ids = fields.Many2many("hr.kpi.evaluation", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if len(self.evaluation_ids) > 1:
            # several (the list's header): each on its own, with a summary (issue 20)
            return self.evaluation_ids._bulk_transition("reopen", reason=self.reason)
        self.evaluation_ids.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
